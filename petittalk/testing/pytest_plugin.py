"""Loaded first (`-p` in pyproject): sets the test environment before Django reads its settings.

Unless TEST_DATABASE_URL is given, the suite starts its own PostgreSQL 15 in a temporary folder on a
free 127.0.0.1 port and stops it at the end. xdist workers inherit the controller's DATABASE_URL.
The `redis_url` fixture starts a throwaway Redis the first time a test asks for it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator

import pytest

from petittalk.testing.postgres import TemporaryPostgres
from petittalk.testing.redis import TemporaryRedis

TEST_ENVIRONMENT = {
    "DEBUG": "0",
    "HTTPS": "0",
    "STATIC_MANIFEST": "0",
    "TASKS_BACKEND": "immediate",
    "EMAIL_URL": "locmem://",
    "ALLOWED_HOSTS": "*",
    # Playwright's sync API runs an event loop in the test thread; the ORM calls there are safe.
    "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
}


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests(early_config, parser, args):
    for name, value in TEST_ENVIRONMENT.items():
        os.environ[name] = value
    os.environ.setdefault("SECRET_KEY", "test-" + secrets.token_urlsafe(48))
    os.environ.pop("AWS_STORAGE_BUCKET_NAME", None)
    media_root = tempfile.mkdtemp(prefix="petittalk-media-")
    os.environ["MEDIA_ROOT"] = media_root
    early_config.add_cleanup(lambda: shutil.rmtree(media_root, ignore_errors=True))
    is_xdist_worker = "PYTEST_XDIST_WORKER" in os.environ
    if os.environ.get("TEST_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["TEST_DATABASE_URL"]
    elif not is_xdist_worker:
        server = TemporaryPostgres.start()
        os.environ["DATABASE_URL"] = server.url
        early_config.add_cleanup(server.stop)
    return (yield)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis of its own for this test run (each xdist worker gets one), stopped at the end."""
    server = TemporaryRedis.start()
    try:
        yield server.url
    finally:
        server.stop()
