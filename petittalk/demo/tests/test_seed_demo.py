"""`manage.py seed_demo`: the demo's money records are the ones real checkouts would leave."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase, override_settings

from petittalk.accounts.models import User
from petittalk.bookings.models import Booking, BookingStatus, RefundIntent
from petittalk.orders.models import Order, OrderLine, OrderStatus, Refund, RefundStatus
from petittalk.payments.models import PaymentEvent
from petittalk.reviews.models import Review
from petittalk.teachers.models import TeacherProfile

pytestmark = pytest.mark.django_db

PAID_STATES = {
    BookingStatus.REQUESTED,
    BookingStatus.CONFIRMED,
    BookingStatus.COMPLETED,
    BookingStatus.DECLINED,
    BookingStatus.CANCELLED,
    BookingStatus.EXPIRED,
}
# As conftest's _fast_password_hashing, which only starts with each test.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REFUNDED_STATES = {BookingStatus.DECLINED, BookingStatus.CANCELLED, BookingStatus.EXPIRED}


@pytest.fixture
def seed(django_capture_on_commit_callbacks):
    def run() -> None:
        # The test's transaction never commits: run what would happen on commit (the refund
        # tasks), as seed_demo's own commit does.
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())

    return run


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """seed_demo once for the whole module (it takes seconds), in a transaction rolled back at
    the end, as TestCase.setUpTestData does: each test runs in a savepoint inside it, so what
    one test writes is gone before the next."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        # Nothing commits here: run what seed_demo's own commit would (the refund tasks).
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def sam(seeded) -> User:
    return User.objects.get(email="sam@example.com")


def test_every_paid_demo_lesson_has_a_paid_order_line(sam):
    lessons = Booking.objects.filter(student=sam)
    assert {b.status for b in lessons} == PAID_STATES
    for booking in Booking.objects.all():
        line = OrderLine.objects.get(booking=booking)
        assert line.order.status == OrderStatus.PAID, booking
        assert line.order.paid_at is not None


def test_demo_orders_add_up_and_were_paid_through_the_gateway_events(sam):
    orders = Order.objects.prefetch_related("lines")
    assert orders.count() == Booking.objects.count()
    for order in orders:
        lines = list(order.lines.all())
        assert lines
        assert sum(line.total for line in lines) == order.total
        assert sum(line.price for line in lines) == order.subtotal
        assert sum(line.discount for line in lines) == order.discount
        assert order.gateway == "dummy"
        event = PaymentEvent.objects.get(reference=order.payment_reference)
        assert event.outcome == "paid"


def test_sams_refunded_lessons_have_their_refund_sent_back(sam):
    refunded = Booking.objects.filter(student=sam, status__in=REFUNDED_STATES)
    assert refunded.count() == 3
    for booking in refunded:
        line = OrderLine.objects.get(booking=booking)
        refund = Refund.objects.get(line=line)
        assert refund.status == RefundStatus.SUCCEEDED
        assert refund.amount == line.total
        assert RefundIntent.objects.get(booking=booking).processed_at is not None
    assert Refund.objects.count() == 3


def test_sams_dashboard_refund_matches_his_receipt_and_his_orders_are_listed(client, sam):
    client.force_login(sam)

    dashboard = client.get("/dashboard/", follow=True).text
    orders_page = client.get("/dashboard/orders/").text

    offered = {Decimal(a) for a in re.findall(r"Cancel \(refund €([\d.]+)\)", dashboard)}
    paid = {
        line.total
        for line in OrderLine.objects.filter(
            booking__student=sam,
            booking__status__in=[BookingStatus.CONFIRMED, BookingStatus.REQUESTED],
        )
    }
    assert offered and offered == paid
    assert "No order yet" not in orders_page
    for order in Order.objects.filter(student=sam):
        assert order.number in orders_page


def test_seeding_again_changes_no_lesson_order_or_refund(sam, seed):
    def snapshot():
        return (
            sorted(Booking.objects.values_list("pk", "status")),
            sorted(Order.objects.values_list("pk", "status", "total")),
            OrderLine.objects.count(),
            Refund.objects.count(),
            PaymentEvent.objects.count(),
        )

    before = snapshot()
    seed()
    assert snapshot() == before


def test_at_least_two_demo_teachers_have_an_intro_video_their_page_plays(client, seeded):
    with_video = TeacherProfile.objects.exclude(intro_video="")
    assert with_video.count() >= 2
    for teacher in with_video:
        page = client.get(teacher.get_absolute_url()).text
        assert "<video" in page
        src = re.search(r'<source src="([^"]+)"', page).group(1)
        assert src == teacher.intro_video.url
        response = client.get(src)
        body = b"".join(response.streaming_content)
        assert response.status_code == 200
        assert response["Content-Type"] == "video/webm"
        assert body.startswith(b"\x1a\x45\xdf\xa3")  # EBML: a WebM file
        assert 10_000 < len(body) < 1_000_000


def test_demo_teachers_have_reviews_some_answered_and_one_hidden(client, seeded):
    teachers = TeacherProfile.objects.filter(rating_count__gt=0)
    assert teachers.count() >= 3
    assert Review.objects.exclude(replied_at=None).exists()
    hidden = Review.objects.get(is_hidden=True)
    assert hidden.hidden_reason
    claire = TeacherProfile.objects.get(user__email="claire@example.com")
    page = client.get(claire.get_absolute_url()).text
    assert f"{claire.rating_count} review" in page
    # Sam is left to review his own lessons from his dashboard.
    assert not Review.objects.filter(student__email="sam@example.com").exists()
