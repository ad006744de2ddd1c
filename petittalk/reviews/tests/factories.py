from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from petittalk.bookings.models import BookingStatus
from petittalk.bookings.tests.factories import BookingFactory
from petittalk.reviews.models import Review


class CompletedBookingFactory(BookingFactory):
    """A lesson that took place: each one an hour apart going back, so none overlap."""

    status = BookingStatus.COMPLETED
    starts_at = factory.Sequence(
        lambda n: (
            timezone.now().replace(minute=0, second=0, microsecond=0)
            - dt.timedelta(hours=2 * n + 2)
        )
    )
    completed_at = factory.LazyAttribute(lambda b: b.ends_at)
    meeting_url = "https://meet.jit.si/PetitTalk-test"


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    booking = factory.SubFactory(CompletedBookingFactory)
    student = factory.LazyAttribute(lambda r: r.booking.student)
    teacher = factory.LazyAttribute(lambda r: r.booking.teacher)
    rating = 5
    text = "Clear, patient and fun."
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyAttribute(lambda r: r.created_at)
