"""Campaign emails: one per subscriber, with the unsubscribe link in the body and in the
`List-Unsubscribe` headers (RFC 2369) that let mail apps unsubscribe in one click (RFC 8058)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from petittalk.core.emails import SiteEmail
from petittalk.newsletter.models import Campaign
from petittalk.newsletter.tokens import unsubscribe_token


def unsubscribe_url(subscriber_id: int) -> str:
    token = unsubscribe_token(subscriber_id=subscriber_id)
    return settings.SITE_URL + reverse("newsletter:unsubscribe", args=[token])


def campaign_message(
    *, campaign: Campaign, to: str, subscriber_id: int, test: bool = False
) -> SiteEmail:
    link = unsubscribe_url(subscriber_id)
    context = {"campaign": campaign, "unsubscribe_url": link, "test": test}
    subject = f"[Test] {campaign.subject}" if test else campaign.subject
    # SiteEmail: a Message-ID in the site's domain and modern header folding, like every mail.
    message = SiteEmail(
        subject=subject,
        body=render_to_string("newsletter/emails/campaign_message.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={
            "List-Unsubscribe": (
                f"<{link}>, <mailto:{settings.SUPPORT_EMAIL}?subject=unsubscribe>"
            ),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    if campaign.body_html:
        message.attach_alternative(
            render_to_string("newsletter/emails/campaign_message.html", context), "text/html"
        )
    return message
