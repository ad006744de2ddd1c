"""The basket is cached for its student alone (core/pagecache.cached_private_page), and every
change shows on the very next request. Each test first warms the cache by looking, then changes
something the way the site does, then looks again."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from petittalk.accounts import services as account_services
from petittalk.accounts.tests.factories import StudentFactory
from petittalk.bookings import services as booking_services
from petittalk.bookings.tests.conftest import NOW, at
from petittalk.offers.tests.factories import OfferFactory
from petittalk.orders.models import Order
from petittalk.orders.services import checkout_place_order, order_mark_paid
from petittalk.payments.services import order_payment_start
from petittalk.payments.tests.helpers import BILLING, held_lessons, paid_order
from petittalk.scheduling.tests.factories import teacher_open_all_week

pytestmark = pytest.mark.django_db

NO_REFUND = "no refund if cancelled"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def bookable_teacher(name: str):
    return teacher_open_all_week(user__display_name=name, user__timezone="Europe/Paris")


@pytest.fixture
def teacher():
    return bookable_teacher("Claire")


@pytest.fixture
def student():
    return StudentFactory(display_name="Sam", timezone="UTC")


@pytest.fixture
def sam(student) -> Client:
    client = Client()
    client.force_login(student)
    return client


def hold(student, teacher, starts_at):
    return booking_services.booking_hold(
        student=student,
        teacher=teacher,
        starts_at=starts_at,
        duration_minutes=60,
        level="B1",
        purpose="conversation",
    )


def basket(client: Client) -> str:
    response = client.get("/basket/")
    assert response.status_code == 200
    return response.text


def queries_for(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        basket(client)
    return len(captured)


def test_a_second_look_is_served_from_the_cache_in_three_queries(sam, student, teacher):
    hold(student, teacher, at(3, 9))
    first = queries_for(sam)
    second = queries_for(sam)
    assert second == 3 < first  # the session, the user, the versions


def test_a_cached_basket_is_still_private_for_proxies(sam, student, teacher):
    hold(student, teacher, at(3, 9))
    basket(sam)
    response = sam.get("/basket/")
    assert "private" in response["Cache-Control"]


def test_a_hold_made_through_the_site_shows_at_once(sam, student, teacher):
    assert "Your basket is empty" in basket(sam)

    hold(student, teacher, at(3, 9))

    page = basket(sam)
    assert "Claire" in page and "Your basket is empty" not in page
    assert 'id="basket-count"' in page and ">1<span" in page


def test_a_lesson_removed_leaves_at_once_and_its_message_is_shown_once(sam, student, teacher):
    booking = hold(student, teacher, at(3, 9))
    assert "Claire" in basket(sam)

    sam.post(f"/basket/lines/{booking.pk}/remove/")

    page = basket(sam)
    assert "Your basket is empty" in page
    assert "The lesson is out of your basket" in page
    assert "The lesson is out of your basket" not in basket(sam)


def test_the_longer_hold_a_checkout_gives_shows_at_once(sam, student, teacher, frozen_clock):
    hold(student, teacher, at(3, 9))
    assert 'data-expires="2026-12-01T08:15:00Z"' in basket(sam)
    frozen_clock.shift(dt.timedelta(minutes=10))

    checkout_place_order(student=student, billing=BILLING)

    assert 'data-expires="2026-12-01T08:40:00Z"' in basket(sam)


def test_a_paid_lesson_leaves_the_basket_at_once(sam, student, teacher):
    hold(student, teacher, at(3, 9))
    assert "Claire" in basket(sam)

    paid_order(student)  # checks out what is held, and pays

    assert "Your basket is empty" in basket(sam)


def test_an_offer_code_applied_in_the_basket_shows_at_once(sam, student, teacher):
    OfferFactory(name="Winter code", code="WINTER")
    hold(student, teacher, at(3, 9))
    assert "Winter code" not in basket(sam)

    sam.post("/basket/code/", {"code": "WINTER"})

    page = basket(sam)
    assert "Winter code" in page and "Code WINTER applied." in page
    assert "Winter code" in basket(sam)
    sam.post("/basket/code/remove/")
    assert "Winter code" not in basket(sam)


def test_a_new_offer_shows_at_once(sam, student, teacher):
    hold(student, teacher, at(3, 9))
    assert "Winter sale" not in basket(sam)

    OfferFactory(name="Winter sale")

    assert "Winter sale" in basket(sam)


def test_a_limited_offer_used_up_by_another_student_leaves_at_once(
    sam, student, teacher, frozen_clock
):
    OfferFactory(name="First come", max_uses=1)
    hold(student, teacher, at(3, 9))
    assert "First come" in basket(sam)

    other = StudentFactory()
    held_lessons(other, "30.00", teacher=teacher)  # the same teacher: no other version moves
    checkout_place_order(student=other, billing=BILLING)
    frozen_clock.shift(dt.timedelta(minutes=1))
    order = Order.objects.get(student=other)
    order_payment_start(order=order)
    order_mark_paid(order=order)

    assert "First come" not in basket(sam)


def test_a_name_change_shows_in_the_navigation_at_once(sam, student):
    assert "Sam" in basket(sam)

    account_services.account_settings_update(
        user=student, display_name="Samira", timezone_name="UTC"
    )

    assert "Samira" in basket(sam)


def test_a_teachers_new_name_shows_at_once(sam, student, teacher):
    hold(student, teacher, at(3, 9))
    assert "Claire" in basket(sam)

    account_services.account_settings_update(
        user=teacher.user, display_name="Claire Dubois", timezone_name="Europe/Paris"
    )

    assert "Claire Dubois" in basket(sam)


def test_a_lapsed_hold_leaves_the_basket_when_it_lapses(sam, student, teacher, frozen_clock):
    hold(student, teacher, at(3, 9))
    frozen_clock.shift(dt.timedelta(minutes=12))
    assert "Claire" in basket(sam)

    frozen_clock.shift(dt.timedelta(minutes=3))

    page = basket(sam)
    assert "Your basket is empty" in page and ">0<span" in page


def test_a_lesson_crossing_the_24_hour_line_says_no_refund_then(
    sam, student, teacher, frozen_clock
):
    frozen_clock.shift(dt.timedelta(minutes=20))
    hold(student, teacher, at(2, 8, 30))  # 24 h 10 min ahead: still refundable
    assert NO_REFUND not in basket(sam)
    frozen_clock.shift(dt.timedelta(minutes=10))
    assert NO_REFUND not in basket(sam)  # 24 h exactly: still free to cancel

    frozen_clock.shift(dt.timedelta(seconds=1))

    assert NO_REFUND in basket(sam)


def test_a_held_use_of_a_limited_offer_lapsing_frees_it_at_once(
    sam, student, teacher, frozen_clock
):
    OfferFactory(name="First come", max_uses=1)
    other = StudentFactory()
    hold(other, bookable_teacher("Marc"), at(4, 9))
    checkout_place_order(student=other, billing=BILLING)  # reserves the only use for 30 min
    frozen_clock.shift(dt.timedelta(minutes=28))
    hold(student, teacher, at(3, 9))
    assert "First come" not in basket(sam)

    frozen_clock.shift(dt.timedelta(minutes=2))  # the other order's reservation lapses

    assert "First come" in basket(sam)


def test_two_students_at_the_same_address_each_see_their_own_basket(sam, student, teacher):
    other = StudentFactory(display_name="Noa", timezone="UTC")  # all else alike
    hold(student, teacher, at(3, 9))
    hold(other, bookable_teacher("Marc"), at(3, 11))
    noa = Client()
    noa.force_login(other)

    sams, noas = basket(sam), basket(noa)

    assert "Claire" in sams and "Marc" not in sams
    assert "Marc" in noas and "Claire" not in noas
    assert "Claire" in basket(sam) and "Marc" in basket(noa)


def test_after_logging_out_the_cached_basket_is_not_served(sam, student, teacher):
    hold(student, teacher, at(3, 9))
    assert "Claire" in basket(sam)

    sam.post("/accounts/logout/")

    response = sam.get("/basket/")
    assert response.status_code == 302 and "Claire" not in response.text
