"""`offer_redeem` keeps offers within their limits, one order at a time and under concurrency."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.offers.models import OfferRedemption
from petittalk.offers.services import OfferError, offer_redeem, offer_release
from petittalk.offers.tests.factories import OfferFactory, OfferRedemptionFactory


@pytest.mark.django_db
def test_a_redemption_is_recorded_for_each_offer_of_the_order():
    student = StudentFactory()
    first, second = OfferFactory(), OfferFactory(stackable=True)
    offer_redeem(offer_ids=[second.pk, first.pk], student=student, order_id=41)
    assert set(OfferRedemption.objects.values_list("offer_id", "student_id", "order_id")) == {
        (first.pk, student.pk, 41),
        (second.pk, student.pk, 41),
    }


@pytest.mark.django_db
def test_redeem_refuses_a_use_beyond_max_uses():
    offer = OfferFactory(code="ONLYTWO", max_uses=2)
    offer_redeem(offer_ids=[offer.pk], student=StudentFactory(), order_id=1)
    offer_redeem(offer_ids=[offer.pk], student=StudentFactory(), order_id=2)

    with pytest.raises(OfferError, match="This code has been used up"):
        offer_redeem(offer_ids=[offer.pk], student=StudentFactory(), order_id=3)
    assert offer.redemptions.count() == 2


@pytest.mark.django_db
def test_redeem_refuses_a_use_beyond_max_uses_per_student():
    offer = OfferFactory(code="ONCE", max_uses_per_student=1)
    student = StudentFactory()
    offer_redeem(offer_ids=[offer.pk], student=student, order_id=1)

    with pytest.raises(OfferError, match="You have already used this code"):
        offer_redeem(offer_ids=[offer.pk], student=student, order_id=2)
    offer_redeem(offer_ids=[offer.pk], student=StudentFactory(), order_id=3)  # others still can
    assert offer.redemptions.filter(student=student).count() == 1
    assert offer.redemptions.count() == 2


@pytest.mark.django_db
def test_a_refused_redemption_records_nothing_for_the_other_offers_of_the_order():
    fine = OfferFactory(stackable=True)
    used_up = OfferFactory(code="GONE", max_uses=1)
    OfferRedemptionFactory(offer=used_up)

    with pytest.raises(OfferError):
        offer_redeem(offer_ids=[fine.pk, used_up.pk], student=StudentFactory(), order_id=9)
    assert not fine.redemptions.exists()


@pytest.mark.django_db
def test_redeeming_the_same_order_again_records_nothing_new():
    offer = OfferFactory(max_uses=1, max_uses_per_student=1)
    student = StudentFactory()
    assert len(offer_redeem(offer_ids=[offer.pk], student=student, order_id=7)) == 1
    # A replayed payment event: not a second use, and not refused either.
    assert offer_redeem(offer_ids=[offer.pk], student=student, order_id=7) == []
    assert offer.redemptions.count() == 1


@pytest.mark.django_db
def test_releasing_an_abandoned_order_gives_its_use_back():
    offer = OfferFactory(code="LAST", max_uses=1)
    offer_redeem(offer_ids=[offer.pk], student=StudentFactory(), order_id=1)
    assert offer_release(order_id=1) == 1
    offer_redeem(offer_ids=[offer.pk], student=StudentFactory(), order_id=2)
    assert list(offer.redemptions.values_list("order_id", flat=True)) == [2]


@pytest.mark.django_db
def test_redeeming_no_offer_does_nothing_and_an_unknown_offer_is_refused():
    assert offer_redeem(offer_ids=[], student=StudentFactory(), order_id=1) == []
    with pytest.raises(OfferError, match="no longer exists"):
        offer_redeem(offer_ids=[987654], student=StudentFactory(), order_id=1)


# -- concurrency (PostgreSQL) --------------------------------------------------------------------


def race(attempts: list[dict]) -> list[str]:
    """Run `offer_redeem` once per attempt, all released at the same instant, each thread on its
    own database connection. Returns "won" or the refusal message for each attempt."""
    barrier = threading.Barrier(len(attempts))

    def attempt(kwargs: dict) -> str:
        try:
            barrier.wait(timeout=30)
            offer_redeem(**kwargs)
            return "won"
        except OfferError as exc:
            return str(exc)
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=len(attempts)) as pool:
        return list(pool.map(attempt, attempts))


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the concurrency tests run on PostgreSQL"
)
THREADS = 8
ROUNDS = 5


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_many_students_racing_for_the_last_use_exactly_one_wins():
    students = StudentFactory.create_batch(THREADS)
    for round_no in range(ROUNDS):
        offer = OfferFactory(code=f"LAST{round_no}", max_uses=1)
        outcomes = race(
            [
                {"offer_ids": [offer.pk], "student": student, "order_id": 100 * round_no + n}
                for n, student in enumerate(students)
            ]
        )
        assert outcomes.count("won") == 1, outcomes
        assert outcomes.count("This code has been used up") == THREADS - 1
        assert offer.redemptions.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_one_student_racing_several_orders_uses_a_once_per_student_offer_once():
    student = StudentFactory()
    for round_no in range(ROUNDS):
        offer = OfferFactory(code=f"ONCE{round_no}", max_uses_per_student=1)
        outcomes = race(
            [
                {"offer_ids": [offer.pk], "student": student, "order_id": 100 * round_no + n}
                for n in range(THREADS)
            ]
        )
        assert outcomes.count("won") == 1, outcomes
        assert outcomes.count("You have already used this code") == THREADS - 1
        assert offer.redemptions.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_orders_sharing_offers_in_any_order_never_deadlock():
    first, second = OfferFactory(stackable=True), OfferFactory(stackable=True)
    students = StudentFactory.create_batch(THREADS)
    outcomes = race(
        [
            {
                "offer_ids": [first.pk, second.pk] if n % 2 else [second.pk, first.pk],
                "student": student,
                "order_id": n,
            }
            for n, student in enumerate(students)
        ]
    )
    assert outcomes == ["won"] * THREADS
    assert OfferRedemption.objects.count() == 2 * THREADS
