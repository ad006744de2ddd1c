"""The cache (where login rate limits are counted) is shared by every process of the site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from petittalk.accounts.tests.factories import PASSWORD, StudentFactory

ROOT = Path(__file__).resolve().parents[3]


def run_in_another_process(code: str) -> str:
    """Run `code` with Django set up, in a new Python process on this test's database."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    script = "import django; django.setup()\n" + code
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


@pytest.mark.django_db(transaction=True)
def test_a_value_cached_by_one_process_is_read_by_another():
    run_in_another_process("from django.core.cache import cache; cache.set('shared', 'oui', 60)")

    assert (
        run_in_another_process("from django.core.cache import cache; print(cache.get('shared'))")
        == "oui"
    )


@pytest.mark.django_db(transaction=True)
def test_failed_logins_in_two_processes_add_up_to_one_limit(client):
    student = StudentFactory()
    three_wrong_passwords = (
        "from django.test import Client\n"
        "for _ in range(3):\n"
        f"    Client().post('/accounts/login/', {{'login': {student.email!r}, "
        "'password': 'wrong'})\n"
    )

    # Two web workers each see three wrong passwords: six in all, over the limit of five.
    run_in_another_process(three_wrong_passwords)
    run_in_another_process(three_wrong_passwords)

    response = client.post(reverse("account_login"), {"login": student.email, "password": PASSWORD})
    assert response.status_code == 429 or "Too many failed login attempts" in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_cache_table_is_made_by_migrate():
    assert "petittalk_cache" in connection.introspection.table_names()
