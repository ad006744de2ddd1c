"""axe-core (installed with npm) audits the main pages in Chromium: no serious or critical issue."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from petittalk.accounts.tests.factories import PASSWORD, StaffFactory, StudentFactory
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
MISSING_PAGE = "/no-such-page/"
PUBLIC_PAGES = [
    "/",
    "/teachers/",
    "/teachers/claire/",
    "/about/",
    "/offers/",
    "/contact/",
    "/accounts/signup/",
    "/accounts/login/",
    MISSING_PAGE,
]


def audit(page, base_url: str, paths: list[str]) -> dict[str, list[str]]:
    """Serious and critical axe findings, by page (empty when every page is clean)."""
    problems = {}
    for path in paths:
        response = page.goto(base_url + path)
        expected = 404 if path == MISSING_PAGE else 200
        if response.status != expected:  # an audit of the wrong page proves nothing
            problems[path] = [f"answered {response.status}, not {expected}"]
            continue
        found = serious_violations(page)
        if found:
            problems[path] = found
    return problems


def serious_violations(page) -> list[str]:
    # Our CSP forbids injected scripts, so the audit context bypasses it (see `audit_page`).
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture
def audit_page(browser: Browser):
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


def test_public_pages_have_no_serious_accessibility_violations(audit_page, live_server):
    TeacherProfileFactory(slug="claire", user__display_name="Claire Dubois")
    assert audit(audit_page, live_server.url, PUBLIC_PAGES) == {}


@pytest.mark.parametrize(
    ("make_user", "paths"),
    [
        (
            StudentFactory,
            [
                "/dashboard/student/",
                "/dashboard/profile/",
                "/dashboard/settings/",
                "/basket/",
                "/dashboard/orders/",
                "/testimonials/",
                "/testimonials/new/",
            ],
        ),
        (
            lambda: TeacherProfileFactory().user,
            ["/dashboard/teacher/", "/dashboard/teacher/profile/", "/reviews/mine/"],
        ),
        (
            StaffFactory,
            [
                "/staff/",
                "/staff/teachers/",
                "/staff/teachers/invite/",
                "/staff/bookings/",
                "/staff/orders/",
                "/staff/offers/",
                "/staff/offers/new/",
                "/staff/newsletter/",
                "/staff/campaigns/",
                "/staff/campaigns/new/",
                "/staff/testimonials/",
                "/staff/contact/",
                "/staff/reviews/",
            ],
        ),
    ],
    ids=["student", "teacher", "staff"],
)
def test_signed_in_pages_have_no_serious_accessibility_violations(
    audit_page, live_server, make_user, paths
):
    user = make_user()
    audit_page.goto(live_server.url + "/accounts/login/")
    audit_page.fill("input[name=login]", user.email)
    audit_page.fill("input[name=password]", PASSWORD)
    audit_page.click("button[type=submit]")
    audit_page.wait_for_url("**/dashboard/**" if "/staff/" not in paths[0] else "**/staff/")
    assert audit(audit_page, live_server.url, paths) == {}
