"""Fixtures shared by every test. Environment and database: petittalk/testing/pytest_plugin.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps as installed_apps
from django.db.models.signals import post_migrate

from petittalk.teachers.reference import ensure_reference_data
from petittalk.testing.browser import CHROMIUM_ARGS, CHROMIUM_PATH

ARTIFACTS = Path(__file__).parent / "test-artifacts"


def _restore_reference_data(sender, apps=installed_apps, **kwargs) -> None:
    # A transactional test (browser, race, live-server tests) ends with Django's `flush`, which
    # empties every table, the languages and specialties a data migration made included; a plain
    # test that runs next on the same xdist worker would find none. `flush` then sends
    # post_migrate (that is how content types come back), so the migration's own code puts the
    # rows back there: a few queries per transactional test. `serialized_rollback` would do it by
    # reloading a copy of the whole database after every such test, and each would need marking.
    if sender.label == "teachers":
        ensure_reference_data(
            apps.get_model("teachers", "Language"), apps.get_model("teachers", "Specialty")
        )


post_migrate.connect(_restore_reference_data, dispatch_uid="petittalk-test-reference-data")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium: Playwright cannot download its own browser on these machines.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def _clear_caches(request):
    # Rate limits live in the cache, a database table: tests must not throttle each other. A
    # test's writes there roll back with it; a transactional test (the browser tests) commits
    # them, and Django's flush empties model tables only, so clear it after those.
    yield
    # Each process keeps copies of cached pages in memory (core/content_cache.py). A test's
    # version bumps roll back with it, so the next test may reuse the same versions for other
    # content: forget the copies, as a new process would have none.
    from petittalk.core import content_cache

    content_cache.clear_local()
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or "transactional_db" in request.fixturenames:
        from django.core.cache import cache

        cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 is slow on purpose; factories create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
