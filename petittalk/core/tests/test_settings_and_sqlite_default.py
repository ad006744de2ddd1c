"""The embedded defaults that `make demo` relies on, checked in fresh processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from petittalk.testing.pytest_plugin import TEST_ENVIRONMENT

ROOT = Path(__file__).resolve().parents[3]


def outside_env(env: dict[str, str]) -> dict[str, str]:
    """The environment of a fresh shell: none of the test suite's own settings."""
    dropped = {*TEST_ENVIRONMENT, "DATABASE_URL", "SECRET_KEY", "MEDIA_ROOT"}
    return {**{k: v for k, v in os.environ.items() if k not in dropped}, **env}


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        env=outside_env(env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=outside_env(env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python(
        "import django; django.setup()", {"DEBUG": "0", "DJANGO_SETTINGS_MODULE": "config.settings"}
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_a_weak_secret_key():
    result = run_python(
        "import django; django.setup()",
        {
            "DEBUG": "0",
            "SECRET_KEY": "django-insecure-abc",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
    )
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "DEBUG": "0",
            "SECRET_KEY": "x" * 20 + "-Yq3vL9pT2mRk8sWz5nB4cD7fG1hJ6kL0pQ",
            "ALLOWED_HOSTS": "petittalk.example.org",
            "DATABASE_URL": "sqlite:///:memory:",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console://", "django.core.mail.backends.console.EmailBackend"),
        (
            "smtp://user:p%40ss@mail.example.org:587?tls=1",
            "django.core.mail.backends.smtp.EmailBackend",
        ),
    ],
)
def test_email_url_picks_the_backend(url, expected):
    from config.env import parse_email_url

    config = parse_email_url(url)
    assert config["EMAIL_BACKEND"] == expected
    if url.startswith("smtp"):
        assert config["EMAIL_HOST_PASSWORD"] == "p@ss"
        assert config["EMAIL_PORT"] == 587 and config["EMAIL_USE_TLS"] is True


def test_the_embedded_sqlite_default_migrates_seeds_and_serves_pages(tmp_path):
    """What `make demo` does, on the default SQLite database (WAL, IMMEDIATE transactions)."""
    env = {
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "TASKS_BACKEND": "immediate",
    }
    for command in (["migrate", "--noinput"], ["seed_demo"], ["seed_demo"]):
        result = manage(*command, env=env)
        assert result.returncode == 0, result.stdout + result.stderr

    smoke = run_python(
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        "django.setup();"
        "from django.db import connection; from django.test import Client;"
        "from petittalk.teachers.models import TeacherProfile;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print('mode', c.fetchone()[0]);"
        "print('tx', connection.settings_dict['OPTIONS']['transaction_mode']);"
        "print('teachers', TeacherProfile.objects.filter(is_published=True).count());"
        "client = Client(HTTP_HOST='127.0.0.1');"
        "urls = ('/', '/teachers/', '/teachers/claire/');"
        "print('pages', [client.get(u).status_code for u in urls]);"
        "print('login', client.login(email='sam@example.com', password='petittalk-demo'))",
        env,
    )
    assert smoke.returncode == 0, smoke.stderr
    assert "mode wal" in smoke.stdout
    assert "tx IMMEDIATE" in smoke.stdout
    assert "teachers 8" in smoke.stdout
    assert "pages [200, 200, 200]" in smoke.stdout
    assert "login True" in smoke.stdout


PRINT_DATABASE_AND_SESSIONS = (
    "import django; django.setup(); from django.conf import settings;"
    "db = settings.DATABASES['default'];"
    "print(db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'], settings.SESSION_ENGINE)"
)
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "-Yq3vL9pT2mRk8sWz5nB4cD7fG1hJ6kL0pQ",
    "DATABASE_URL": "postgres://petittalk@127.0.0.1:5432/petittalk",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "60 True django.contrib.sessions.backends.db"),
        ({"DEBUG": "1"}, "0 True django.contrib.sessions.backends.db"),
        ({"DATABASE_CONN_MAX_AGE": "0"}, "0 True django.contrib.sessions.backends.db"),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/0"},
            "60 True django.contrib.sessions.backends.cached_db",
        ),
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/0", "SESSION_STORE": "cache"},
            "60 True django.contrib.sessions.backends.cache",
        ),
    ],
    ids=["production", "debug", "connections-closed", "redis", "redis-sessions-only"],
)
def test_production_keeps_connections_and_puts_sessions_where_redis_allows(env, expected):
    result = run_python(PRINT_DATABASE_AND_SESSIONS, {**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"REDIS_URL": "redis://127.0.0.1:6379/0", "SESSION_STORE": "redis"},
            "SESSION_STORE must be one of db, cached_db, cache, not 'redis'",
        ),
        ({"SESSION_STORE": "cache"}, "SESSION_STORE=cache needs REDIS_URL"),
    ],
    ids=["unknown", "cache-without-redis"],
)
def test_a_session_store_that_cannot_work_is_refused_at_start(env, message):
    result = run_python(PRINT_DATABASE_AND_SESSIONS, {**PRODUCTION, **env})
    assert result.returncode != 0
    assert message in result.stderr
