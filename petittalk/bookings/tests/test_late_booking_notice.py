"""A lesson starting within 24 hours cannot be cancelled for a refund: the student is told so
on the slot and on the booking page, before paying."""

from __future__ import annotations

import pytest
import time_machine

from petittalk.bookings.tests.conftest import NOW, at

pytestmark = pytest.mark.django_db
NOTE = "no refund"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):  # Tue 1 Dec 2026, 08:00 UTC
        yield


@pytest.fixture
def short_notice_teacher(teacher):
    teacher.min_notice_hours = 2
    teacher.save(update_fields=["min_notice_hours"])
    return teacher


def slot_html(page: str, starts_at) -> str:
    """The list item of the slot starting at `starts_at`."""
    marker = f"start={starts_at:%Y-%m-%dT%H:%M:%SZ}&amp;"
    item = next(li for li in page.split("<li>") if marker in li)
    return item.split("</li>")[0]


def test_slots_within_24_hours_are_marked_no_refund_in_the_picker(client, short_notice_teacher):
    page = client.get(
        f"/teachers/{short_notice_teacher.slug}/slots/?duration=60", HTTP_HX_REQUEST="true"
    ).text

    assert NOTE in slot_html(page, at(1, 10))  # in 2 hours
    assert NOTE in slot_html(page, at(2, 7, 30))  # in 23.5 hours
    assert NOTE not in slot_html(page, at(2, 8))  # in exactly 24 hours: refundable
    assert NOTE not in slot_html(page, at(3, 9))
    assert "start within 24 hours" in page  # the legend explains the marker


def test_the_picker_has_no_legend_when_every_slot_is_refundable(client, teacher):
    page = client.get(
        f"/teachers/{teacher.slug}/slots/?week=2026-12-08&duration=60", HTTP_HX_REQUEST="true"
    ).text

    assert NOTE not in page
    assert "start within 24 hours" not in page


def test_the_booking_page_warns_that_a_lesson_within_24_hours_is_not_refundable(
    client, short_notice_teacher, student
):
    client.force_login(student)
    url = f"/book/{short_notice_teacher.slug}/?start=2026-12-01T10:00:00Z&duration=60"

    page = client.get(url).text

    assert "starts in less than 24 hours" in page
    assert "cannot be cancelled for a refund" in page


def test_the_booking_page_says_nothing_more_for_a_lesson_days_ahead(
    client, short_notice_teacher, student
):
    client.force_login(student)
    url = f"/book/{short_notice_teacher.slug}/?start=2026-12-03T09:00:00Z&duration=60"

    page = client.get(url).text

    assert "Reserve this lesson" in page
    assert "starts in less than 24 hours" not in page
