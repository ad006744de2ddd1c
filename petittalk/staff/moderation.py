"""What waits for a staff decision, counted for the overview: one entry per moderation queue.

Each queue belongs to the app that owns its rows and counts them there with one query (a
selector); the overview only lists them. A queue that does not exist yet is simply absent, so the
page shows nothing for it rather than a zero nobody measured.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


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


# Add each queue here as it lands, for example:
#   ModerationSource("Testimonials", community_selectors.pending_testimonial_count,
#                    "staff:testimonial_list"),
#   ModerationSource("Reviews", <reviews app>.selectors.<reviews waiting count>, "staff:…"),
#   ModerationSource("Contact messages", <contact app>.selectors.<unhandled count>, "staff:…"),
SOURCES: tuple[ModerationSource, ...] = ()


def pending_moderation() -> list[Pending]:
    """Every queue's waiting count (one query each); empty while no queue exists."""
    return [
        Pending(label=source.label, count=source.count(), url=reverse(source.url_name))
        for source in SOURCES
    ]
