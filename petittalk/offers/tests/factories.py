from __future__ import annotations

from decimal import Decimal

import factory

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.offers.models import Offer, OfferKind, OfferRedemption, RedemptionStatus


class OfferFactory(factory.django.DjangoModelFactory):
    """An automatic, exclusive 10%-off offer with no window and no limit, unless told otherwise."""

    class Meta:
        model = Offer
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Offer {n}")
    description = "Ten percent off every lesson."
    kind = OfferKind.PERCENT
    value = Decimal("10.00")

    @factory.post_generation
    def teachers(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.teachers.set(extracted)


class OfferRedemptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferRedemption

    offer = factory.SubFactory(OfferFactory)
    student = factory.SubFactory(StudentFactory)
    order_id = factory.Sequence(lambda n: 1000 + n)
    status = RedemptionStatus.USED  # a paid order's use, unless a test reserves one
