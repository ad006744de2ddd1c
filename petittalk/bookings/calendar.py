"""Lessons as RFC 5545 calendars: one event for an email attachment, or a private feed URL.

Built with `icalendar` so escaping, line folding and UTC stamps are the library's job. Times are
written in UTC (calendar apps convert them to the device's zone); the human-readable line in the
description goes through `core.timefmt`, in the zone of the person the calendar is for.
"""

from __future__ import annotations

import datetime as dt
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from petittalk.accounts.models import User
from petittalk.bookings.models import Booking, BookingStatus, CalendarFeed
from petittalk.core.timefmt import format_datetime

PRODID = "-//Petit Talk//Lessons//EN"
FEED_NAME = "Petit Talk lessons"
FEED_PAST_DAYS = 90
# A lesson the teacher has not accepted yet still shows, but as tentative, so nobody double-books.
FEED_STATUSES = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED, BookingStatus.COMPLETED)

EVENT_STATUS = {
    BookingStatus.HELD: "TENTATIVE",
    BookingStatus.REQUESTED: "TENTATIVE",
    BookingStatus.CONFIRMED: "CONFIRMED",
    BookingStatus.COMPLETED: "CONFIRMED",
    BookingStatus.DECLINED: "CANCELLED",
    BookingStatus.EXPIRED: "CANCELLED",
    BookingStatus.CANCELLED: "CANCELLED",
}


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def booking_uid(booking: Booking) -> str:
    """Stable per booking, so an updated file replaces the event instead of adding a second one."""
    return f"booking-{booking.pk}@petittalk"


# iTIP (RFC 5546) methods of an emailed calendar file: a lesson that is on (or asked for) is
# sent as a REQUEST, so the recipient's calendar adds or updates it; one that is off as a CANCEL,
# so the calendar removes it (a PUBLISH with STATUS:CANCELLED is kept by apps such as khal).
CANCELLED_STATUSES = (BookingStatus.DECLINED, BookingStatus.EXPIRED, BookingStatus.CANCELLED)


def itip_method(booking: Booking) -> str:
    return "CANCEL" if booking.status in CANCELLED_STATUSES else "REQUEST"


def organizer_address() -> str:
    """The site's own address, the organizer of every lesson invitation."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    if "@" in address:
        return address
    return f"hello@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def _other_party_name(booking: Booking, for_user: User) -> str:
    if booking.student_id == for_user.pk:
        return booking.teacher.user.name
    return booking.student.name


def _description(booking: Booking, for_user: User) -> str:
    lines = [
        f"{booking.duration_minutes}-minute French lesson on Petit Talk",
        f"When: {format_datetime(booking.starts_at, for_user.timezone)}",
        f"Level: {booking.get_level_display()}",
        f"Focus: {booking.get_purpose_display()}",
    ]
    if booking.status == BookingStatus.REQUESTED:
        lines.append("Waiting for the teacher to accept.")
    if booking.meeting_url:
        lines.append(f"Join: {booking.meeting_url}")
    return "\n".join(lines)


def booking_event(
    booking: Booking, *, for_user: User, stamp: dt.datetime | None = None
) -> icalendar.Event:
    """The lesson as one VEVENT, titled and described for `for_user` (the student or teacher)."""
    event = icalendar.Event.new(
        uid=booking_uid(booking),
        stamp=_utc(stamp or timezone.now()),
        start=_utc(booking.starts_at),
        end=_utc(booking.ends_at),
        summary=f"French lesson with {_other_party_name(booking, for_user)}",
        description=_description(booking, for_user),
        status=EVENT_STATUS[BookingStatus(booking.status)],
        sequence=booking.calendar_sequence,
        location=booking.meeting_url or None,
        url=booking.meeting_url or None,
    )
    return event


def booking_ics(booking: Booking, *, for_user: User) -> bytes:
    """An iTIP message holding just this lesson, for `for_user`'s calendar, to attach to an email.

    The site organizes every lesson; the recipient is the only attendee named (the other party's
    address is theirs to keep), already accepted, so mail apps offer no RSVP buttons.
    """
    calendar = icalendar.Calendar.new(prodid=PRODID, method=itip_method(booking))
    event = booking_event(booking, for_user=for_user)
    event.add(
        "ORGANIZER",
        icalendar.vCalAddress(f"mailto:{organizer_address()}"),
        parameters={"CN": settings.SITE_NAME},
    )
    event.add(
        "ATTENDEE",
        icalendar.vCalAddress(f"mailto:{for_user.email}"),
        parameters={
            "CN": for_user.name,
            "ROLE": "REQ-PARTICIPANT",
            "PARTSTAT": "ACCEPTED",
            "RSVP": "FALSE",
        },
    )
    calendar.add_component(event)
    return calendar.to_ical()


def feed_bookings(user: User):
    """The lessons in `user`'s feed, whether they take them (student) or give them (teacher).

    A lesson called off after it was asked for stays, marked cancelled with its SEQUENCE, so a
    calendar that kept it from an earlier fetch or an emailed file sees it is off; a hold that
    lapsed unpaid was never in a calendar (no requested_at) and is left out.
    """
    return (
        Booking.objects.filter(Q(student=user) | Q(teacher__user=user))
        .filter(
            Q(status__in=FEED_STATUSES)
            | Q(status__in=CANCELLED_STATUSES, requested_at__isnull=False),
            starts_at__gte=timezone.now() - timedelta(days=FEED_PAST_DAYS),
        )
        .select_related("teacher__user", "student")
        .order_by("starts_at")
    )


def feed_ics(user: User) -> bytes:
    """The subscribable calendar of `user`'s lessons, from 90 days ago onward, in one query."""
    return feed_ics_and_last_modified(user)[0]


def feed_ics_and_last_modified(user: User) -> tuple[bytes, dt.datetime | None]:
    """The feed, and when the newest change to a lesson in it was saved (None when empty).

    Each event is stamped with its lesson's last change rather than the time of the fetch, so
    the file stays byte for byte the same until a lesson changes, and its hash can be the ETag.
    """
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        method="PUBLISH",
        name=FEED_NAME,
        # Stable so a calendar app recognises the same feed on every fetch.
        uid=f"lessons-{user.pk}@petittalk",
    )
    # Subscribed calendars are polled; ask for about hourly, matching a short HTTP cache. Both as
    # durations: RFC 7986's property needs VALUE=DURATION, Outlook reads the X- one.
    calendar.add("REFRESH-INTERVAL", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(timedelta(hours=1)))
    last_modified = None
    for booking in feed_bookings(user):
        calendar.add_component(booking_event(booking, for_user=user, stamp=booking.updated_at))
        last_modified = max(filter(None, (last_modified, booking.updated_at)))
    return calendar.to_ical(), last_modified


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed a secret token opens, or None (unknown token, or the account is deactivated)."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )


def calendar_feed_of(user: User) -> CalendarFeed:
    """The user's feed, created with a fresh token the first time it is asked for."""
    feed, _ = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": CalendarFeed.new_token()}
    )
    return feed


def calendar_feed_reset(user: User) -> CalendarFeed:
    """Give the user a new token; the old address stops working at once (e.g. after a leak)."""
    feed, _ = CalendarFeed.objects.update_or_create(
        user=user, defaults={"token": CalendarFeed.new_token()}
    )
    return feed
