"""Staff run the newsletter from /staff/: subscribers (search, filter, CSV) and campaigns."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.audit.models import AuditEntry
from petittalk.newsletter.models import Campaign, CampaignStatus, SubscriberStatus
from petittalk.newsletter.tests.factories import CampaignFactory, SubscriberFactory

pytestmark = pytest.mark.django_db
XSS = '<script>alert("x")</script>'


@pytest.fixture
def staff_client(client):
    staff = StaffFactory(email="sophie@petittalk.test")
    client.force_login(staff)
    client.staff = staff
    return client


def staff_urls(campaign, subscriber):
    return [
        ("get", reverse("staff:subscriber_list")),
        ("get", reverse("staff:subscriber_export")),
        ("post", reverse("staff:subscriber_unsubscribe", args=[subscriber.pk])),
        ("get", reverse("staff:campaign_list")),
        ("get", reverse("staff:campaign_create")),
        ("get", reverse("staff:campaign_detail", args=[campaign.pk])),
        ("get", reverse("staff:campaign_edit", args=[campaign.pk])),
        ("get", reverse("staff:campaign_progress", args=[campaign.pk])),
        ("post", reverse("staff:campaign_send_test", args=[campaign.pk])),
        ("post", reverse("staff:campaign_send", args=[campaign.pk])),
        ("post", reverse("staff:campaign_resume", args=[campaign.pk])),
    ]


@pytest.mark.parametrize("make_user", [StudentFactory, lambda: None])
def test_nobody_but_staff_reaches_the_newsletter_pages(client, make_user):
    user = make_user()
    if user:
        client.force_login(user)
    campaign, subscriber = CampaignFactory(), SubscriberFactory()

    for method, url in staff_urls(campaign, subscriber):
        response = getattr(client, method)(url)
        assert response.status_code == (404 if user else 302), url
    assert Campaign.objects.get().status == CampaignStatus.DRAFT
    assert SubscriberFactory._meta.model.objects.get().status == SubscriberStatus.CONFIRMED


def test_subscribers_can_be_searched_and_filtered(staff_client):
    SubscriberFactory(email="anna@example.com")
    SubscriberFactory(email="anne@example.com", status=SubscriberStatus.PENDING)
    SubscriberFactory(email="bob@example.com")

    page = staff_client.get(reverse("staff:subscriber_list"), {"q": "ANN", "status": "confirmed"})

    body = page.content.decode()
    assert page.status_code == 200
    assert "anna@example.com" in body
    assert "anne@example.com" not in body and "bob@example.com" not in body


def test_the_subscriber_list_takes_the_same_queries_for_a_few_or_many(
    staff_client, django_assert_max_num_queries
):
    for _ in range(3):
        SubscriberFactory()
    with django_assert_max_num_queries(12) as few:
        staff_client.get(reverse("staff:subscriber_list"))
    for _ in range(60):
        SubscriberFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(reverse("staff:subscriber_list"))


def test_the_csv_export_neutralises_formulas(staff_client):
    SubscriberFactory(email="=HYPERLINK(1)@example.com")
    SubscriberFactory(email="+sum@example.com", status=SubscriberStatus.PENDING)
    SubscriberFactory(email="plain@example.com")

    response = staff_client.get(reverse("staff:subscriber_export"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:2] == ["email", "status"]
    emails = {row[0] for row in rows[1:]}
    assert emails == {"'=HYPERLINK(1)@example.com", "'+sum@example.com", "plain@example.com"}


def test_the_export_follows_the_filters(staff_client):
    SubscriberFactory(email="yes@example.com")
    SubscriberFactory(email="no@example.com", status=SubscriberStatus.UNSUBSCRIBED)

    response = staff_client.get(reverse("staff:subscriber_export"), {"status": "confirmed"})

    content = b"".join(response.streaming_content).decode()
    assert [row[0] for row in csv.reader(io.StringIO(content))][1:] == ["yes@example.com"]


def test_staff_unsubscribe_someone_and_it_is_audited(staff_client):
    subscriber = SubscriberFactory()

    response = staff_client.post(reverse("staff:subscriber_unsubscribe", args=[subscriber.pk]))

    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    entry = AuditEntry.objects.get(action="newsletter.subscriber.unsubscribed")
    assert entry.actor == staff_client.staff and entry.object_id == str(subscriber.pk)


def test_a_campaign_is_composed_previewed_escaped_and_sent(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="reader@example.com")
    response = staff_client.post(
        reverse("staff:campaign_create"),
        {"subject": f"Hello {XSS}", "body_text": f"Text {XSS}", "body_html": f"<p>Hi</p>{XSS}"},
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="newsletter.campaign.created").count() == 1

    page = staff_client.get(reverse("staff:campaign_detail", args=[campaign.pk]))
    body = page.content.decode()
    assert XSS not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
    # The HTML is shown only in a sandboxed frame that may run nothing.
    assert 'sandbox=""' in body and "srcdoc=" in body

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("staff:campaign_send_test", args=[campaign.pk]))
    assert [m.to for m in mailoutbox] == [["sophie@petittalk.test"]]

    with django_capture_on_commit_callbacks(execute=True):
        sent = staff_client.post(reverse("staff:campaign_send", args=[campaign.pk]))
    assert sent.status_code == 302
    assert [m.to for m in mailoutbox][1:] == [["reader@example.com"]]
    progress = staff_client.get(reverse("staff:campaign_progress", args=[campaign.pk]))
    assert "1 / 1" in " ".join(progress.content.decode().split())


def test_a_campaign_with_an_empty_text_is_refused_with_a_message(staff_client):
    response = staff_client.post(
        reverse("staff:campaign_create"), {"subject": "Hi", "body_text": "   ", "body_html": ""}
    )

    assert response.status_code == 200
    assert "Write the text of the email." in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_sent_campaign_can_no_longer_be_edited(staff_client):
    campaign = CampaignFactory(status=CampaignStatus.SENT)

    response = staff_client.post(
        reverse("staff:campaign_edit", args=[campaign.pk]),
        {"subject": "Changed", "body_text": "Changed", "body_html": ""},
    )

    assert "can no longer be changed" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.subject == "Spring in Paris"


def test_the_staff_nav_links_the_newsletter(staff_client):
    body = staff_client.get(reverse("staff:home")).content.decode()

    assert reverse("staff:subscriber_list") in body and reverse("staff:campaign_list") in body
