"""Writes to offers: staff create and change them; paid orders redeem them within their limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from petittalk.accounts.models import User
from petittalk.bookings.models import CHECKOUT_HOLD_MINUTES
from petittalk.core.timefmt import DATE_OUT_OF_RANGE, within_date_range
from petittalk.offers.models import Offer, OfferKind, OfferRedemption, RedemptionStatus
from petittalk.offers.pricing import CODE_ALREADY_USED, CODE_USED_UP, normalise_code
from petittalk.offers.selectors import counted_uses
from petittalk.teachers.models import TeacherProfile


class OfferError(Exception):
    """An offer change or use that cannot happen; the message is for the user."""


@dataclass(frozen=True, kw_only=True)
class OfferSettings:
    """Everything staff set on an offer, apart from the teachers it is limited to.

    The defaults are an automatic, exclusive, active offer with no window and no limit.
    """

    name: str
    description: str = ""
    kind: str = OfferKind.PERCENT
    # The percentage, the amount off in €, or the first-lesson price; unused by "buy N get M".
    value: Decimal | None = None
    buy_quantity: int | None = None
    free_quantity: int | None = None
    code: str = ""
    valid_from: dt.datetime | None = None
    valid_until: dt.datetime | None = None
    min_lessons: int = 1
    max_uses: int | None = None
    max_uses_per_student: int | None = None
    stackable: bool = False
    is_featured: bool = False
    is_active: bool = True


# The names of those settings, in the order the staff form shows them.
OFFER_SETTINGS = tuple(field.name for field in fields(OfferSettings))


@transaction.atomic
def offer_create(*, settings: OfferSettings, teachers: list[TeacherProfile] | None = None) -> Offer:
    """Create an offer limited to `teachers` (none: every teacher).

    Raises OfferError if its code was taken in the meantime (or a database rule is broken).
    """
    offer = Offer()
    _apply_settings(offer, settings)
    _save(offer)
    offer.teachers.set(teachers or [])
    return offer


@transaction.atomic
def offer_update(
    *, offer: Offer, settings: OfferSettings, teachers: list[TeacherProfile] | None = None
) -> Offer:
    """Change every setting of an offer, and the teachers it is limited to.

    Uses already recorded stay: lowering `max_uses` below them simply leaves no use left.
    """
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    _apply_settings(offer, settings)
    _save(offer)
    offer.teachers.set(teachers or [])
    return offer


def _apply_settings(offer: Offer, settings: OfferSettings) -> None:
    for name in OFFER_SETTINGS:
        value = getattr(settings, name)
        if name in ("name", "description"):
            value = value.strip()
        elif name == "code":
            value = normalise_code(value)
        elif name in ("valid_from", "valid_until") and value and not within_date_range(value):
            raise OfferError(DATE_OUT_OF_RANGE)
        elif name == "value" and value is None:
            value = Decimal("0.00")
        setattr(offer, name, value)


def _save(offer: Offer) -> None:
    try:
        # A savepoint, so the caller's transaction survives a refused write.
        with transaction.atomic():
            offer.save()
    except IntegrityError as exc:
        if "offer_code_unique" in str(exc):
            raise OfferError("Another offer already uses this code.") from exc
        raise OfferError("This offer breaks one of the offer rules.") from exc


@transaction.atomic
def offer_deactivate(*, offer: Offer) -> Offer:
    """Stop an offer from applying to new baskets; its past uses stay recorded."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.is_active:
        offer.is_active = False
        offer.save(update_fields=["is_active", "updated_at"])
    return offer


@transaction.atomic
def offer_redeem(
    *,
    offer_ids: list[int],
    student: User,
    order_id: int,
    held_until: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> list[OfferRedemption]:
    """Reserve the offers an order awaiting payment uses, refusing a use beyond their limits.

    Meant to run inside the transaction that creates the order. The offer rows are locked in id
    order (so two orders sharing offers cannot deadlock), then the uses are counted again: a
    concurrent order holding the same offer waits here and, once it goes on, sees the
    reservation just recorded. The reservation lasts until `held_until` unless the order is paid
    (`offer_redemptions_confirm`) or released first (`offer_release`).
    Raises OfferError("This code has been used up") or ("You have already used this code").
    """
    now = now or timezone.now()
    held_until = held_until or now + dt.timedelta(minutes=CHECKOUT_HOLD_MINUTES)
    ids = sorted(set(offer_ids))
    if not ids:
        return []
    offers = list(Offer.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len(offers) != len(ids):
        raise OfferError("This offer no longer exists.")
    done = set(
        OfferRedemption.objects.filter(offer_id__in=ids, order_id=order_id).values_list(
            "offer_id", flat=True
        )
    )
    to_record = [offer for offer in offers if offer.pk not in done]
    if not to_record:
        return []
    counts = {
        row["offer_id"]: (row["uses"], row["student_uses"])
        # Every live reservation counts here, the student's own too: a checkout releases the
        # student's older orders before it reserves anew, so one found here is a racing order.
        for row in OfferRedemption.objects.filter(
            counted_uses(student=None, now=now), offer_id__in=[o.pk for o in to_record]
        )
        .order_by()
        .values("offer_id")
        .annotate(uses=Count("pk"), student_uses=Count("pk", filter=Q(student=student)))
    }
    for offer in to_record:
        uses, student_uses = counts.get(offer.pk, (0, 0))
        if offer.max_uses is not None and uses >= offer.max_uses:
            raise OfferError(CODE_USED_UP)
        limit = offer.max_uses_per_student
        if limit is not None and student_uses >= limit:
            raise OfferError(CODE_ALREADY_USED)
    return OfferRedemption.objects.bulk_create(
        OfferRedemption(
            offer=offer,
            student=student,
            order_id=order_id,
            status=RedemptionStatus.HELD,
            held_until=held_until,
        )
        for offer in to_record
    )


@transaction.atomic
def offer_redemptions_confirm(*, offer_ids: list[int], student: User, order_id: int) -> int:
    """An order was paid: its uses become final. Returns how many were recorded anew.

    A use whose reservation was released (the payment failed, then went through on a retry)
    is recorded again without checking the limits: the student has paid the discounted price.
    Confirming twice records nothing new (payment webhooks may be replayed).
    """
    ids = sorted(set(offer_ids))
    OfferRedemption.objects.filter(order_id=order_id, offer_id__in=ids).update(
        status=RedemptionStatus.USED, held_until=None
    )
    present = set(
        OfferRedemption.objects.filter(order_id=order_id, offer_id__in=ids).values_list(
            "offer_id", flat=True
        )
    )
    existing = set(Offer.objects.filter(pk__in=ids).values_list("pk", flat=True))
    missing = [pk for pk in ids if pk not in present and pk in existing]
    OfferRedemption.objects.bulk_create(
        OfferRedemption(
            offer_id=pk, student=student, order_id=order_id, status=RedemptionStatus.USED
        )
        for pk in missing
    )
    return len(missing)


@transaction.atomic
def offer_release(*, order_id: int) -> int:
    """Give back the uses an order awaiting payment reserved (its payment failed, or a newer
    checkout replaced it); a paid order's uses are never given back. Returns how many."""
    released, _ = OfferRedemption.objects.filter(
        order_id=order_id, status=RedemptionStatus.HELD
    ).delete()
    return released
