from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_login_page_offers_the_password_reset_link_once(client):
    page = client.get("/accounts/login/").text

    assert page.count("Forgot your password?") == 1
    assert page.count('href="/accounts/password/reset/"') == 1
