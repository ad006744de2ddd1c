"""Reads about offers: the pricing engine's candidates, the home page's offers, the staff list."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, F, Min, Prefetch, Q, QuerySet, Value
from django.shortcuts import get_object_or_404
from django.utils import timezone

from petittalk.accounts.models import User
from petittalk.offers.models import Offer, OfferRedemption, RedemptionStatus
from petittalk.offers.pricing import OfferRule, normalise_code
from petittalk.teachers.models import TeacherProfile


def _in_window(now: datetime) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=now)) & (
        Q(valid_until__isnull=True) | Q(valid_until__gt=now)
    )


def counted_uses(*, student: User | None, now: datetime, prefix: str = "") -> Q:
    """The redemptions that count against an offer's limits for `student` right now: every paid
    order's, plus other students' reservations still held (the student's own reservations belong
    to orders their next checkout replaces). `prefix` is the path to OfferRedemption."""
    held_by_others = Q(**{f"{prefix}status": RedemptionStatus.HELD, f"{prefix}held_until__gt": now})
    if student is not None and student.pk is not None:
        held_by_others &= ~Q(**{f"{prefix}student": student})
    return Q(**{f"{prefix}status": RedemptionStatus.USED}) | held_by_others


def _teacher_ids() -> Prefetch:
    # Only the ids: the engine needs nothing else about teachers.
    return Prefetch("teachers", queryset=TeacherProfile.objects.only("pk"))


def candidate_offers(*, student: User | None, now: datetime, entered_code: str) -> list[OfferRule]:
    """The offers that may apply to `student`'s basket, as engine rules with their uses counted.

    Active automatic offers in their window, plus the offer holding the entered code whatever its
    window, so the engine can say "expired" or "not valid yet" instead of "doesn't exist".
    Two queries: the offers with both use counts, then their teacher ids.
    """
    code = normalise_code(entered_code)
    wanted = Q(code="") & _in_window(now)
    if code:
        wanted |= Q(code=code)
    if student is not None and student.pk is not None:
        student_uses = Count(
            "redemptions",
            filter=Q(redemptions__student=student, redemptions__status=RedemptionStatus.USED),
        )
    else:  # a visitor pricing a basket before logging in has used nothing
        student_uses = Value(0)
    uses = Count(
        "redemptions", filter=counted_uses(student=student, now=now, prefix="redemptions__")
    )
    offers = (
        Offer.objects.filter(wanted, is_active=True)
        .annotate(uses=uses, student_uses=student_uses)
        .prefetch_related(_teacher_ids())
        .order_by("pk")
    )
    return [
        OfferRule(
            id=offer.pk,
            name=offer.name,
            kind=offer.kind,
            value=offer.value,
            buy_quantity=offer.buy_quantity,
            free_quantity=offer.free_quantity,
            code=offer.code,
            valid_from=offer.valid_from,
            valid_until=offer.valid_until,
            min_lessons=offer.min_lessons,
            uses_left=_left(offer.max_uses, offer.uses),
            uses_left_for_student=_left(offer.max_uses_per_student, offer.student_uses),
            teacher_ids=frozenset(teacher.pk for teacher in offer.teachers.all()),
            stackable=offer.stackable,
        )
        for offer in offers
    ]


def _left(limit: int | None, used: int) -> int | None:
    return None if limit is None else max(limit - used, 0)


def _live(now: datetime) -> QuerySet[Offer]:
    """Public, active, in their window and not used up, with their teachers (names for the
    cards). Soonest to end first (they are the most urgent), then the newest."""
    return (
        Offer.objects.filter(_in_window(now), is_active=True, is_public=True)
        .annotate(
            uses=Count(
                "redemptions", filter=counted_uses(student=None, now=now, prefix="redemptions__")
            )
        )
        .filter(Q(max_uses__isnull=True) | Q(max_uses__gt=F("uses")))
        .prefetch_related(
            Prefetch("teachers", queryset=TeacherProfile.objects.select_related("user"))
        )
        .order_by(F("valid_until").asc(nulls_last=True), "-created_at", "-pk")
    )


def featured_offers(now: datetime | None = None, *, limit: int = 6) -> list[Offer]:
    """Offers for the home page: the live ones (`_live`) that are featured. Two queries (the
    offers, then their teachers with names, for "with Claire" on the card)."""
    now = now or timezone.now()
    return list(_live(now).filter(is_featured=True)[:limit])


def live_offers(now: datetime | None = None) -> list[Offer]:
    """Every live offer, automatic or with a code, for the public offers page. Two queries."""
    return list(_live(now or timezone.now()))


def live_offer_count(now: datetime | None = None) -> int:
    """How many offers are live: the home page links to the offers page when it shows fewer."""
    return _live(now or timezone.now()).count()


# Uses of an offer move no version (offers/content_versions.py): a page that shows an offer with
# a limited number of uses is kept this long at most, so a used-up offer soon leaves it.
LIMITED_OFFER_PAGE_SECONDS = 60


def _change_at(offers: QuerySet[Offer], shown: list[Offer], now: datetime) -> datetime | None:
    bounds = offers.aggregate(
        next_start=Min("valid_from", filter=Q(valid_from__gt=now)),
        next_end=Min("valid_until", filter=Q(valid_until__gt=now)),
    )
    moments = [moment for moment in bounds.values() if moment is not None]
    if any(offer.max_uses is not None for offer in shown):
        moments.append(now + timedelta(seconds=LIMITED_OFFER_PAGE_SECONDS))
    return min(moments, default=None)


def featured_offers_change_at(shown: list[Offer], now: datetime) -> datetime | None:
    """When the featured offers next change by time alone: one starts or ends, or (for the
    limited ones shown) their uses may have run out. One query."""
    return _change_at(Offer.objects.filter(is_active=True, is_featured=True), shown, now)


def live_offers_change_at(shown: list[Offer], now: datetime) -> datetime | None:
    """The same for every active offer (the offers page, the home page's count). One query."""
    return _change_at(Offer.objects.filter(is_active=True), shown, now)


def pricing_changes_at(now: datetime) -> datetime | None:
    """When prices computed now next change by time alone: an active offer starts or ends, or
    a use another checkout reserved lapses and frees its place (uses themselves move the
    OFFER_USES version). Two queries."""
    bounds = Offer.objects.filter(is_active=True).aggregate(
        next_start=Min("valid_from", filter=Q(valid_from__gt=now)),
        next_end=Min("valid_until", filter=Q(valid_until__gt=now)),
    )
    lapse = OfferRedemption.objects.filter(
        status=RedemptionStatus.HELD, held_until__gt=now
    ).aggregate(at=Min("held_until"))["at"]
    moments = [moment for moment in (*bounds.values(), lapse) if moment is not None]
    return min(moments, default=None)


def offers_for_staff() -> QuerySet[Offer]:
    """Every offer, newest first, with its paid uses and its teachers (fixed query count)."""
    return (
        Offer.objects.annotate(
            uses=Count("redemptions", filter=Q(redemptions__status=RedemptionStatus.USED))
        )
        .prefetch_related(
            Prefetch("teachers", queryset=TeacherProfile.objects.select_related("user"))
        )
        .order_by("-created_at", "-pk")
    )


def offer_for_staff(pk: int) -> Offer:
    return get_object_or_404(offers_for_staff(), pk=pk)
