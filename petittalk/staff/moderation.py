"""What waits for a staff decision, counted for the overview: one entry per moderation queue.

Each queue belongs to the app that owns its rows and counts them there with one query (a
selector); the overview only lists them. A queue that does not exist yet is simply absent, so the
page shows nothing for it rather than a zero nobody measured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from petittalk.community import selectors as community_selectors
from petittalk.reviews import selectors as reviews_selectors


@dataclass(frozen=True)
class ModerationSource:
    label: str
    count: Callable[[], int]  # the owning app's selector: one query, whatever the backlog
    url_name: str  # the staff page where the queue is worked through


@dataclass(frozen=True)
class Pending:
    label: str
    count: int
    url: str


SOURCES: tuple[ModerationSource, ...] = (
    ModerationSource(
        "Testimonials to approve",
        community_selectors.pending_testimonial_count,
        "staff:testimonial_list",
    ),
    ModerationSource(
        f"Reviews written in the last {reviews_selectors.NEW_REVIEW_DAYS} days",
        reviews_selectors.new_review_count,
        "staff:review_list",
    ),
    ModerationSource(
        "Contact messages to answer",
        community_selectors.open_contact_message_count,
        "staff:contact_list",
    ),
)


def pending_moderation() -> list[Pending]:
    """Every queue's waiting count (one query each); empty while no queue exists."""
    return [
        Pending(label=source.label, count=source.count(), url=reverse(source.url_name))
        for source in SOURCES
    ]
