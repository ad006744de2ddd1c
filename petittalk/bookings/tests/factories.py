from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.bookings.models import Booking, BookingStatus, Purpose
from petittalk.teachers.tests.factories import TeacherProfileFactory


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed 60-minute lesson three days from now, unless told otherwise."""

    class Meta:
        model = Booking

    teacher = factory.SubFactory(TeacherProfileFactory)
    student = factory.SubFactory(StudentFactory)
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    )
    duration_minutes = 60
    ends_at = factory.LazyAttribute(lambda b: b.starts_at + timedelta(minutes=b.duration_minutes))
    status = BookingStatus.CONFIRMED
    level = "B1"
    purpose = Purpose.CONVERSATION
    price = Decimal("22.00")
    meeting_url = factory.LazyAttribute(
        lambda b: (
            "https://meet.jit.si/PetitTalk-test" if b.status == BookingStatus.CONFIRMED else ""
        )
    )
