from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def test_demo_logins_name_every_demo_account_or_its_pattern():
    out = StringIO()

    call_command("demo_logins", stdout=out)

    text = out.getvalue()
    for email in (
        "staff@example.com",
        "sam@example.com",
        "claire@example.com",
        "julien@example.com",
        "amelie@example.com",
        "thomas@example.com",
        "camille@example.com",
        "hugo@example.com",
        "lea@example.com",
        "nicolas@example.com",
    ):
        assert email in text
    assert "student01@example.com … student19@example.com" in text
    assert "petittalk-demo" in text
