"""Public pages are cached for visitors without a session (core/pagecache.py), and every change
shows on the very next request: the versions they are stored under move in the writer's own
transaction (core/versions.py). Each test first warms the cache, then changes something the way
the site does, then looks again as a visitor."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.bookings import services as booking_services
from petittalk.bookings.tests.conftest import NOW, at
from petittalk.core import content_cache
from petittalk.core.pagecache import csrf_placeholder
from petittalk.offers.tests.factories import OfferFactory
from petittalk.orders.services import Billing, checkout_place_order
from petittalk.scheduling import services as scheduling_services
from petittalk.teachers.models import Language, Specialty

pytestmark = pytest.mark.django_db

THURSDAY_9 = "start=2026-12-03T09:00:00Z&amp;duration=60"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def visitor() -> Client:
    return Client()


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.text


def week_fragment(client: Client, teacher) -> str:
    return client.get(f"/teachers/{teacher.slug}/slots/", HTTP_HX_REQUEST="true").text


def hold(student, teacher, starts_at):
    return booking_services.booking_hold(
        student=student,
        teacher=teacher,
        starts_at=starts_at,
        duration_minutes=60,
        level="B1",
        purpose="conversation",
    )


def test_a_second_visit_is_served_from_the_cache(visitor, teacher):
    url = f"/teachers/{teacher.slug}/"
    first = queries_for(visitor, url)
    second = queries_for(visitor, url)
    assert second == 1 < first  # the versions, found through the teacher's address


def test_a_slot_held_through_the_site_leaves_the_cached_teacher_page_at_once(
    visitor, teacher, student
):
    assert THURSDAY_9 in page(visitor, f"/teachers/{teacher.slug}/")
    assert THURSDAY_9 in week_fragment(visitor, teacher)

    booker = Client()
    booker.force_login(student)
    response = booker.post(
        f"/book/{teacher.slug}/",
        {"start": "2026-12-03T09:00:00Z", "duration": "60", "level": "B1", "purpose": "travel"},
    )
    assert response.status_code == 302

    assert THURSDAY_9 not in page(visitor, f"/teachers/{teacher.slug}/")
    assert THURSDAY_9 not in week_fragment(visitor, teacher)


def test_a_lapsed_hold_frees_its_slot_on_the_cached_page_with_no_write(
    visitor, teacher, student, frozen_clock
):
    hold(student, teacher, at(3, 9))
    assert THURSDAY_9 not in page(visitor, f"/teachers/{teacher.slug}/")

    frozen_clock.shift(dt.timedelta(minutes=16))  # the 15-minute hold lapsed; nothing was written

    assert THURSDAY_9 in page(visitor, f"/teachers/{teacher.slug}/")


def test_a_checkout_keeps_the_slot_taken_past_the_first_hold(
    visitor, teacher, student, frozen_clock
):
    hold(student, teacher, at(3, 9))
    assert THURSDAY_9 not in page(visitor, f"/teachers/{teacher.slug}/")
    # Checkout extends the hold to 30 minutes with a bulk update, which moves no version: the
    # cached slots are recomputed when the first hold would have lapsed, and see the new end.
    checkout_place_order(
        student=student, billing=Billing(name="Sam", email="sam@example.com", country="FR")
    )

    frozen_clock.shift(dt.timedelta(minutes=20))

    assert THURSDAY_9 not in page(visitor, f"/teachers/{teacher.slug}/")


def test_a_cancelled_lesson_frees_its_slot_at_once(visitor, teacher, student):
    booking = hold(student, teacher, at(3, 9))
    assert THURSDAY_9 not in page(visitor, f"/teachers/{teacher.slug}/")

    booking_services.booking_release_hold(booking=booking, by=student)

    assert THURSDAY_9 in page(visitor, f"/teachers/{teacher.slug}/")


def test_hours_and_time_off_changes_show_at_once(visitor, teacher):
    assert THURSDAY_9 in page(visitor, f"/teachers/{teacher.slug}/")
    scheduling_services.time_off_add(
        teacher=teacher, first_day=dt.date(2026, 12, 3), last_day=dt.date(2026, 12, 3)
    )
    assert THURSDAY_9 not in page(visitor, f"/teachers/{teacher.slug}/")


def test_copying_a_day_shows_at_once(visitor, teacher):
    # Thursday has no hours yet; Friday's are copied onto it with a bulk insert (no signal).
    teacher.availability_rules.filter(weekday=3).delete()
    assert THURSDAY_9 not in page(visitor, f"/teachers/{teacher.slug}/")

    scheduling_services.availability_copy_day(teacher=teacher, from_weekday=4, to_weekdays=[3])

    assert THURSDAY_9 in page(visitor, f"/teachers/{teacher.slug}/")


def test_a_price_and_profile_change_shows_at_once_on_every_public_page(visitor, teacher):
    urls = ["/", "/teachers/", f"/teachers/{teacher.slug}/"]
    for url in urls:
        assert "€22.00" in page(visitor, url)

    editor = Client()
    editor.force_login(teacher.user)
    response = editor.post(
        "/dashboard/teacher/profile/",
        {
            "display_name": "Claire Dupont",
            "headline": "Grammar without tears",
            "bio": "Je suis prof depuis dix ans.",
            "languages": [Language.objects.get(code="en").pk],
            "specialties": [Specialty.objects.get(slug="grammar").pk],
            "price_30": "15.00",
            "price_60": "27.50",
            "intro_video_url": "",
        },
    )
    assert response.status_code == 302

    for url in urls:
        shown = page(visitor, url)
        assert "€27.50" in shown and "€22.00" not in shown, url
        assert "Claire Dupont" in shown, url


def test_a_new_offer_and_its_end_show_on_the_home_page(visitor, teacher, frozen_clock):
    assert "Winter sale" not in page(visitor, "/")

    OfferFactory(name="Winter sale", is_featured=True, valid_until=NOW + dt.timedelta(hours=2))
    assert "Winter sale" in page(visitor, "/")

    frozen_clock.shift(dt.timedelta(hours=2, seconds=1))  # it ended; nothing was written
    assert "Winter sale" not in page(visitor, "/")


def test_a_logged_in_page_is_never_stored_or_shared(visitor, teacher):
    ada, bob = StudentFactory(display_name="Ada Lovelace"), StudentFactory(display_name="Bob")
    as_ada = Client()
    as_ada.force_login(ada)
    ada_page = as_ada.get(f"/teachers/{teacher.slug}/")
    assert "Ada Lovelace" in ada_page.text
    assert "private" in ada_page["Cache-Control"]

    as_bob = Client()
    as_bob.force_login(bob)
    assert "Ada Lovelace" not in page(as_bob, f"/teachers/{teacher.slug}/")
    assert "Ada Lovelace" not in page(visitor, f"/teachers/{teacher.slug}/")
    # And what the visitor's request stored is not shown to a logged-in student either.
    assert "Log in" not in page(as_bob, f"/teachers/{teacher.slug}/").split("<main")[0]


def test_every_visitor_gets_a_csrf_token_of_their_own_that_works(teacher):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page(first, "/")
    page(second, "/")  # served from the cache
    tokens = [client.cookies["csrftoken"].value for client in (first, second)]
    assert tokens[0] != tokens[1]
    for client, token in zip((first, second), tokens, strict=True):
        shown = page(client, "/")
        assert csrf_placeholder() not in shown
        login = client.post(
            "/accounts/login/",
            {"login": "nobody@example.com", "password": "wrong"},
            HTTP_X_CSRFTOKEN=token,
        )
        assert login.status_code == 200  # the form's own error, not a 403 from CSRF


def test_made_up_query_parameters_are_rendered_but_never_stored(visitor, teacher):
    url = "/teachers/?utm_source=spam-1"
    first = queries_for(visitor, url)
    assert queries_for(visitor, url) == first  # computed again, not served from the cache


def test_inside_a_transaction_the_cache_is_neither_read_nor_filled():
    content_cache.put("k", "outside", seconds=60)
    with transaction.atomic():
        assert content_cache.get("k") is None
        content_cache.put("k", "inside", seconds=60)
    assert content_cache.get("k") == "outside"
