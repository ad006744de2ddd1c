"""Calendar invitations (iTIP, RFC 5546): what each party's calendar app receives over a lesson's
life, and that every file parses under two independent libraries (icalendar and vobject)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import icalendar
import pytest
import vobject

from petittalk.bookings import services
from petittalk.bookings.models import BookingStatus
from petittalk.bookings.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Invitation:
    to: str
    subject: str
    mime_method: str
    method: str
    status: str
    sequence: int
    start: dt.datetime
    uid: str
    ics: bytes


def parsed_strictly(ics: bytes) -> icalendar.Calendar:
    """Parse with icalendar and with vobject, which validates the properties it knows."""
    vobject.readOne(ics.decode()).validate(raiseException=True, complainUnrecognized=False)
    return icalendar.Calendar.from_ical(ics)


def invitations(mailoutbox) -> list[Invitation]:
    found = []
    for message in mailoutbox:
        [part] = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
        ics = part.get_payload(decode=True)
        calendar = parsed_strictly(ics)
        [event] = calendar.events
        found.append(
            Invitation(
                to=message.to[0],
                subject=message.subject,
                mime_method=part.get_param("method"),
                method=str(calendar["METHOD"]),
                status=str(event["STATUS"]),
                sequence=event.sequence,
                start=event.start,
                uid=str(event.uid),
                ics=ics,
            )
        )
    mailoutbox.clear()
    return found


def summary(found: list[Invitation]) -> set[tuple[str, str, str, int]]:
    return {(i.to, i.method, i.status, i.sequence) for i in found}


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


def requested(run, teacher, student, starts_at=None):
    booking = services.booking_hold(
        student=student,
        teacher=teacher,
        starts_at=starts_at or at(3, 9),
        duration_minutes=60,
        level="B1",
        purpose="conversation",
        now=NOW,
    )
    return run(services.booking_mark_paid, booking=booking, now=NOW)


def test_one_lessons_life_reaches_both_parties_as_invitations_with_a_rising_sequence(
    teacher, student, mailoutbox, run
):
    sam, claire = student.email, teacher.user.email

    booking = requested(run, teacher, student)
    # The teacher is asked by a plain email; the student's calendar gets a tentative event.
    assert [m.to for m in mailoutbox if not m.attachments] == [[claire]]
    mailoutbox[:] = [m for m in mailoutbox if m.attachments]
    [request] = invitations(mailoutbox)
    assert (request.to, request.method, request.status, request.sequence) == (
        sam,
        "REQUEST",
        "TENTATIVE",
        0,
    )

    run(services.booking_accept, booking=booking, by=teacher.user, now=NOW)
    assert summary(invitations(mailoutbox)) == {
        (sam, "REQUEST", "CONFIRMED", 1),
        (claire, "REQUEST", "CONFIRMED", 1),
    }

    run(services.booking_reschedule, booking=booking, by=student, new_starts_at=at(4, 14), now=NOW)
    moved = invitations(mailoutbox)
    assert summary(moved) == {
        (sam, "REQUEST", "CONFIRMED", 2),
        (claire, "REQUEST", "CONFIRMED", 2),
    }
    assert {i.start for i in moved} == {at(4, 14)}

    late = at(4, 2)  # 12 hours before the lesson: no refund, but both calendars must drop it
    run(services.booking_cancel, booking=booking, by=student, now=late)
    cancelled = invitations(mailoutbox)
    assert summary(cancelled) == {
        (sam, "CANCEL", "CANCELLED", 3),
        (claire, "CANCEL", "CANCELLED", 3),
    }
    for invitation in (request, *moved, *cancelled):
        assert invitation.uid == f"booking-{booking.pk}@petittalk"
        assert invitation.mime_method == invitation.method
    booking.refresh_from_db()
    assert booking.calendar_sequence == 3


def test_an_invitation_names_the_site_as_organizer_and_the_recipient_as_attendee(
    teacher, student, mailoutbox, run
):
    booking = requested(run, teacher, student)
    mailoutbox.clear()
    run(services.booking_accept, booking=booking, by=teacher.user, now=NOW)

    for message in mailoutbox:
        if message.to != [teacher.user.email]:
            continue
        [event] = icalendar.Calendar.from_ical(message.attachments[0][1]).events
        assert str(event["ORGANIZER"]) == "mailto:hello@petittalk.example"
        assert event["ORGANIZER"].params["CN"] == "Petit Talk"
        attendee = event["ATTENDEE"]
        assert str(attendee) == f"mailto:{teacher.user.email}"
        assert attendee.params["CN"] == "Claire"
        assert attendee.params["PARTSTAT"] == "ACCEPTED"
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        part = [p for p in message.message().walk() if p.get_content_type() == "text/calendar"]
        assert part[0].get_param("charset") == "utf-8"
        break
    else:
        pytest.fail("the teacher got no confirmation")


@pytest.mark.parametrize("ending", ["decline", "expire"])
def test_a_declined_or_expired_request_cancels_the_students_tentative_event(
    teacher, student, mailoutbox, run, ending
):
    booking = requested(run, teacher, student)
    mailoutbox.clear()

    if ending == "decline":
        run(services.booking_decline, booking=booking, by=teacher.user, now=NOW)
    else:
        run(services.bookings_expire_unanswered, now=NOW + dt.timedelta(hours=49))

    [cancel] = invitations(mailoutbox)
    assert (cancel.to, cancel.method, cancel.status, cancel.sequence) == (
        student.email,
        "CANCEL",
        "CANCELLED",
        1,
    )
    booking.refresh_from_db()
    assert booking.status in (BookingStatus.DECLINED, BookingStatus.EXPIRED)


def test_a_student_cancelling_a_request_cancels_only_their_own_tentative_event(
    teacher, student, mailoutbox, run
):
    booking = requested(run, teacher, student)
    mailoutbox.clear()

    run(services.booking_cancel, booking=booking, by=student, now=NOW)

    assert summary(invitations([m for m in mailoutbox if m.attachments])) == {
        (student.email, "CANCEL", "CANCELLED", 1)
    }
    # The teacher held nothing in a calendar, but still hears the request is withdrawn.
    assert teacher.user.email in {m.to[0] for m in mailoutbox}


# --- khal, a real calendar client, takes the files of one lesson's life in order ---------------

KHAL = shutil.which("khal")

KHAL_CONFIG = """\
[calendars]
[[lessons]]
path = {vdir}
type = calendar
[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
default_timezone = UTC
local_timezone = UTC
[sqlite]
path = {db}
"""


class Khal:
    """One person's calendar in a throwaway khal config."""

    def __init__(self, root: Path) -> None:
        assert KHAL, "khal is missing: `make system-deps` installs it"
        root.mkdir()
        (root / "vdir").mkdir()
        self.config = root / "khal.conf"
        self.config.write_text(KHAL_CONFIG.format(vdir=root / "vdir", db=root / "khal.db"))
        self.root = root

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [KHAL, "-c", str(self.config), *args],
            capture_output=True,
            text=True,
            timeout=30,
            env={**os.environ, "HOME": str(self.root), "TZ": "UTC"},
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def take(self, ics: bytes) -> None:
        path = self.root / "incoming.ics"
        path.write_bytes(ics)
        self.run("import", "--batch", "-a", "lessons", str(path))

    def lessons(self) -> list[str]:
        listing = self.run("list", "-f", "{start} {cancelled}{title}", "2026-12-01", "30d")
        return [line.strip() for line in listing.splitlines() if "French lesson" in line]


def test_khal_ends_with_the_lesson_moved_then_cancelled_in_each_partys_calendar(
    teacher, student, mailoutbox, run, tmp_path
):
    calendars = {
        student.email: Khal(tmp_path / "sam"),
        teacher.user.email: Khal(tmp_path / "claire"),
    }
    seen: dict[str, list[list[str]]] = {address: [] for address in calendars}

    def deliver() -> None:
        for invitation in invitations([m for m in mailoutbox if m.attachments]):
            calendars[invitation.to].take(invitation.ics)
        mailoutbox.clear()
        for address, khal in calendars.items():
            seen[address].append(khal.lessons())

    booking = requested(run, teacher, student)
    deliver()
    run(services.booking_accept, booking=booking, by=teacher.user, now=NOW)
    deliver()
    run(services.booking_reschedule, booking=booking, by=student, new_starts_at=at(4, 14), now=NOW)
    deliver()
    run(services.booking_cancel, booking=booking, by=student, now=at(4, 2))
    deliver()

    assert seen[student.email][:3] == [
        ["2026-12-03 09:00 French lesson with Claire"],
        ["2026-12-03 09:00 French lesson with Claire"],
        ["2026-12-04 14:00 French lesson with Claire"],
    ]
    assert seen[teacher.user.email][:3] == [
        [],
        ["2026-12-03 09:00 French lesson with Sam"],
        ["2026-12-04 14:00 French lesson with Sam"],
    ]
    print(seen)  # what khal showed after each step, for the record
    assert seen[student.email][3] in ([], ["2026-12-04 14:00 CANCELLED French lesson with Claire"])
    assert seen[teacher.user.email][3] in (
        [],
        ["2026-12-04 14:00 CANCELLED French lesson with Sam"],
    )
