"""Writes to offers: staff create and change them; paid orders redeem them within their limits."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from petittalk.accounts.models import User
from petittalk.audit.services import audit_log, changes
from petittalk.bookings.models import CHECKOUT_HOLD_MINUTES
from petittalk.core import versions
from petittalk.core.timefmt import DATE_OUT_OF_RANGE, within_date_range
from petittalk.offers.models import Offer, OfferKind, OfferRedemption, RedemptionStatus
from petittalk.offers.pricing import CODE_ALREADY_USED, CODE_USED_UP, normalise_code
from petittalk.offers.selectors import counted_uses
from petittalk.teachers.models import TeacherProfile


class OfferError(Exception):
    """An offer change or use that cannot happen; the message is for the user.

    `problems` names the setting each message is about, so a form can show it on its field.
    """

    def __init__(self, message: str = "", *, problems: dict[str, str] | None = None) -> None:
        self.problems = problems or {}
        super().__init__(message or " ".join(self.problems.values()))


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
    is_public: bool = True
    is_active: bool = True


# The names of those settings, in the order the staff form shows them.
OFFER_SETTINGS = tuple(field.name for field in fields(OfferSettings))


CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
CENT = Decimal("0.01")
MAX_VALUE = Decimal("100000")  # what the value column holds: 7 digits, 2 after the point
NO_LIMIT_OR_ONE_USE = "Leave it blank for no limit, or allow at least 1 use."
VALUE_MISSING = {
    OfferKind.PERCENT: "Enter the percentage off.",
    OfferKind.FIXED: "Enter the amount off, in €.",
    OfferKind.TRIAL_PRICE: "Enter the first lesson's price, in € (0 for free).",
}


def validate_offer_settings(
    settings: OfferSettings, *, offer: Offer | None = None
) -> OfferSettings:
    """The settings tidied (text stripped, code in capitals, what the kind ignores cleared), or
    OfferError naming every broken rule by its setting. `offer` is the one being changed, whose
    own code is not a clash. The one place the offer rules live: the staff form asks here too.
    """
    settings = _tidied(settings)
    problems: dict[str, str] = {}
    if not settings.name:
        problems["name"] = "Give the offer a name."
    # A text column's length is only checked by forms, so it is checked here.
    description_limit = Offer._meta.get_field("description").max_length
    if len(settings.description) > description_limit:
        problems["description"] = f"Keep the description to at most {description_limit} characters."
    if settings.kind not in OfferKind.values:
        problems["kind"] = "Choose what kind of offer it is."
    elif settings.kind == OfferKind.BUY_N_GET_M:
        for name, message in (
            ("buy_quantity", "Say how many lessons the student buys (at least 1)."),
            ("free_quantity", "Say how many lessons are then free (at least 1)."),
        ):
            if getattr(settings, name) is None or getattr(settings, name) < 1:
                problems[name] = message
    else:
        problem = _value_problem(settings.kind, settings.value)
        if problem:
            problems["value"] = problem
    if settings.code:
        if not CODE_PATTERN.fullmatch(settings.code):
            problems["code"] = "Use only letters, digits, “-” and “_” in a code (no spaces)."
        elif _code_taken(settings.code, offer):
            problems["code"] = "Another offer already uses this code."
    if settings.min_lessons is None or settings.min_lessons < 1:
        problems["min_lessons"] = "An offer needs at least 1 lesson in the basket."
    for name in ("max_uses", "max_uses_per_student"):
        if getattr(settings, name) is not None and getattr(settings, name) < 1:
            problems[name] = NO_LIMIT_OR_ONE_USE
    for name in ("valid_from", "valid_until"):
        if getattr(settings, name) and not within_date_range(getattr(settings, name)):
            problems[name] = DATE_OUT_OF_RANGE
    starts, ends = settings.valid_from, settings.valid_until
    if starts and ends and ends <= starts and "valid_from" not in problems:
        problems.setdefault("valid_until", "The end must be after the start.")
    # Then what the columns can hold (lengths, number ranges), in Django's words.
    for name in OFFER_SETTINGS:
        value = getattr(settings, name)
        if name not in problems and value is not None and name != "value":
            try:
                Offer._meta.get_field(name).run_validators(value)
            except ValidationError as exc:
                problems[name] = " ".join(exc.messages)
    if problems:
        raise OfferError(problems=problems)
    return settings


def _tidied(settings: OfferSettings) -> OfferSettings:
    tidy = {
        "name": settings.name.strip(),
        "description": settings.description.strip(),
        "code": normalise_code(settings.code),
    }
    if settings.kind == OfferKind.BUY_N_GET_M:
        tidy["value"] = Decimal("0.00")  # the deal is in the quantities; a value means nothing
    else:
        # Quantities mean nothing for other kinds; clearing them keeps no stale numbers around.
        tidy["buy_quantity"] = tidy["free_quantity"] = None
    return replace(settings, **tidy)


def _value_problem(kind: str, value: Decimal | None) -> str:
    if value is None:
        return VALUE_MISSING[kind]
    if not value.is_finite() or value >= MAX_VALUE:
        return f"Enter a value below €{MAX_VALUE}."
    if value < 0:
        return "The value can't be negative."
    if value != value.quantize(CENT):
        return "Use at most 2 decimals."
    if kind == OfferKind.PERCENT and value > 100:
        return "A percentage can't be more than 100."
    if kind == OfferKind.PERCENT and value == 0:
        return "A 0% discount gives nothing: enter a percentage above 0."
    if kind == OfferKind.FIXED and value == 0:
        return "A €0.00 discount gives nothing: enter an amount above 0."
    return ""


def _code_taken(code: str, offer: Offer | None) -> bool:
    others = Offer.objects.filter(code__iexact=code)
    if offer is not None and offer.pk:
        others = others.exclude(pk=offer.pk)
    return others.exists()


@transaction.atomic
def offer_create(
    *,
    settings: OfferSettings,
    teachers: list[TeacherProfile] | None = None,
    actor: User | None = None,
) -> Offer:
    """Create an offer limited to `teachers` (none: every teacher); logged with its settings.

    Raises OfferError if its code was taken in the meantime (or a database rule is broken).
    """
    settings = validate_offer_settings(settings)
    offer = Offer()
    _apply_settings(offer, settings)
    _save(offer)
    offer.teachers.set(teachers or [])
    audit_log(actor=actor, action="offer.created", obj=offer, data=_audited_values(offer))
    return offer


@transaction.atomic
def offer_update(
    *,
    offer: Offer,
    settings: OfferSettings,
    teachers: list[TeacherProfile] | None = None,
    actor: User | None = None,
) -> Offer:
    """Change every setting of an offer, and the teachers it is limited to; the settings that
    changed are logged, before and after.

    Uses already recorded stay: lowering `max_uses` below them simply leaves no use left.
    """
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    settings = validate_offer_settings(settings, offer=offer)
    before = _audited_values(offer)
    _apply_settings(offer, settings)
    _save(offer)
    offer.teachers.set(teachers or [])
    changed = changes(before, _audited_values(offer))
    if changed:
        audit_log(actor=actor, action="offer.changed", obj=offer, data=changed)
    return offer


def _audited_values(offer: Offer) -> dict[str, Any]:
    teachers = sorted(offer.teachers.values_list("pk", flat=True))
    return {**{name: getattr(offer, name) for name in OFFER_SETTINGS}, "teachers": teachers}


def _apply_settings(offer: Offer, settings: OfferSettings) -> None:
    for name in OFFER_SETTINGS:
        setattr(offer, name, getattr(settings, name))


def _save(offer: Offer) -> None:
    try:
        # A savepoint, so the caller's transaction survives a refused write.
        with transaction.atomic():
            offer.save()
    except IntegrityError as exc:
        if "offer_code_unique" in str(exc):
            raise OfferError(problems={"code": "Another offer already uses this code."}) from exc
        raise OfferError("This offer breaks one of the offer rules.") from exc


@transaction.atomic
def offer_deactivate(*, offer: Offer, actor: User | None = None) -> Offer:
    """Stop an offer from applying to new baskets; its past uses stay recorded."""
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.is_active:
        offer.is_active = False
        offer.save(update_fields=["is_active", "updated_at"])
        audit_log(
            actor=actor,
            action="offer.deactivated",
            obj=offer,
            data={"is_active": {"before": True, "after": False}},
        )
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
    # A bulk insert sends no signal: the uses left and the student's pages move by hand.
    versions.bump([versions.person_scope(student.pk), versions.OFFER_USES])
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
    # The bulk update and insert send no signal: the uses and the student's pages move by hand.
    versions.bump([versions.person_scope(student.pk), versions.OFFER_USES])
    return len(missing)


@transaction.atomic
def offer_release(*, order_id: int) -> int:
    """Give back the uses an order awaiting payment reserved (its payment failed, or a newer
    checkout replaced it); a paid order's uses are never given back. Returns how many."""
    released, _ = OfferRedemption.objects.filter(
        order_id=order_id, status=RedemptionStatus.HELD
    ).delete()
    return released
