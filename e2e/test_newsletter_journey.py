"""The newsletter in a real Chromium: a visitor subscribes from the home page, confirms through
the emailed link and leaves through the link in a campaign mail; staff compose and send one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from petittalk.accounts.tests.factories import PASSWORD, StaffFactory
from petittalk.newsletter import services
from petittalk.newsletter.models import Campaign, CampaignStatus, Subscriber, SubscriberStatus
from petittalk.newsletter.tests.factories import CampaignFactory, SubscriberFactory

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def shoot(page: Page, folder, name: str) -> None:
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(WIDTHS["desktop"])


def path_of(body: str, kind: str) -> str:
    return re.search(rf"https?://[^/\s]+(/newsletter/{kind}/\S+/)", body).group(1)


def test_a_visitor_subscribes_confirms_and_unsubscribes_from_a_campaign_mail(
    page: Page, live_server, artifacts_dir, mailoutbox
):
    shots = artifacts_dir / "newsletter"
    shots.mkdir(exist_ok=True)
    page.goto(live_server.url + "/")
    signup = page.get_by_role("form", name="French tips and new teachers, twice a month")
    signup.get_by_label("Your address for the newsletter").fill("Lea.Petit@Example.com")
    shoot(page, shots, "1-home-signup")
    signup.get_by_role("button", name="Subscribe").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    shoot(page, shots, "2-check-inbox")
    [confirmation] = mailoutbox
    assert confirmation.to == ["Lea.Petit@Example.com"]
    page.goto(live_server.url + path_of(confirmation.body, "confirm"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your subscription")
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING  # opening is not enough
    shoot(page, shots, "3-confirm")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")
    shoot(page, shots, "4-confirmed")
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED

    services.campaign_send(campaign=CampaignFactory(), actor=StaffFactory())
    campaign_mail = mailoutbox[-1]
    assert campaign_mail.to == ["Lea.Petit@Example.com"]
    page.goto(live_server.url + path_of(campaign_mail.body, "unsubscribe"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe from the newsletter")
    shoot(page, shots, "5-unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    shoot(page, shots, "6-unsubscribed")
    assert Subscriber.objects.get().status == SubscriberStatus.UNSUBSCRIBED


def test_staff_compose_preview_and_send_a_campaign(
    page: Page, live_server, artifacts_dir, mailoutbox
):
    shots = artifacts_dir / "newsletter"
    shots.mkdir(exist_ok=True)
    staff = StaffFactory(display_name="Sophie", email="sophie@petittalk.test")
    for n in range(3):
        SubscriberFactory(email=f"reader{n}@example.com")
    SubscriberFactory(email="=cmd@example.com", status=SubscriberStatus.PENDING)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    # A `goto` racing the log-in POST would arrive logged out: wait for it to land.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(live_server.url + "/staff/")
    staff_nav = page.get_by_role("navigation", name="Staff")

    staff_nav.get_by_role("link", name="Subscribers").click()
    expect(page.get_by_role("cell", name="reader0@example.com", exact=True)).to_be_visible()
    shoot(page, shots, "staff-subscribers")

    staff_nav.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Subject").fill("Bonjour <script>alert(1)</script>")
    page.get_by_label("Text").fill("Three new teachers joined.")
    page.get_by_label("HTML (optional)").fill(
        "<h1>Bonjour</h1><p>Three new teachers.</p><script>parent.document.title='pwned'</script>"
    )
    shoot(page, shots, "staff-campaign-form")
    page.get_by_role("button", name="Save the draft").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour <script>alert(1)</script>")
    frame = page.frame_locator("iframe.campaign-preview")
    expect(frame.get_by_role("heading", name="Bonjour")).to_be_visible()
    assert "pwned" not in page.title()
    page.get_by_role("button", name="Send me a test").click()
    expect(page.get_by_text("A test is on its way")).to_be_visible()
    assert [m.to for m in mailoutbox] == [["sophie@petittalk.test"]]

    page.get_by_role("button", name="Send to every confirmed subscriber").click()
    expect(page.get_by_text("Sending to 3 subscribers.")).to_be_visible()
    expect(page.locator("#campaign-progress")).to_contain_text("3 / 3")
    expect(frame.get_by_role("heading", name="Bonjour")).to_be_visible()
    shoot(page, shots, "staff-campaign-sent")
    assert Campaign.objects.get().status == CampaignStatus.SENT
    assert sorted(m.to[0] for m in mailoutbox[1:]) == [f"reader{n}@example.com" for n in range(3)]
