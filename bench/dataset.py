"""The page benchmark's dataset: teachers with weekly schedules, students, a year of bookings and
the orders that paid for them, written with bulk_create through the models (fast, and every model
constraint still applies: PostgreSQL checks the exclusion constraints on each row).

`grow(SCALES["1x"])` builds the 1× data; `grow(SCALES["10x"])` then adds what is missing for 10× to
the same database, so the measured student and teacher grow with it. Times are whole UTC hours and
every lesson lasts 30 or 60 minutes, so two bookings overlap exactly when they share a start hour:
keeping (teacher, start) and (student, start) unique keeps both exclusion constraints.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from petittalk.accounts.models import Level, Role, StudentProfile, User
from petittalk.bookings.models import (
    BLOCKING_STATUSES,
    Booking,
    BookingStatus,
    Purpose,
    RefundIntent,
)
from petittalk.offers.models import Offer, OfferKind
from petittalk.orders.models import Order, OrderLine, OrderStatus, Refund, RefundStatus
from petittalk.scheduling.models import AvailabilityRule
from petittalk.teachers.models import Language, Specialty, TeacherProfile

DOMAIN = "bench.example"
STAFF_EMAIL = f"staff@{DOMAIN}"
# A year of lessons: mostly past, the future ones within the default 60-day booking horizon.
PAST_DAYS, FUTURE_DAYS = 307, 58
# The measured teacher keeps at least this share of the next two weeks free, so their page
# shows slots and the booking POST has something to fight over.
NEAR_FREE_DAYS, NEAR_MAX_BOOKED = 14, 0.4
BATCH = 2_000

FIRST_NAMES = ["Claire", "Julien", "Amélie", "Thomas", "Léa", "Hugo", "Camille", "Lucas", "Chloé"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Girard"]
TEACHER_ZONES = ["Europe/Paris", "Europe/Brussels", "Europe/London", "America/Toronto"]
STUDENT_ZONES = ["Europe/London", "America/New_York", "Europe/Berlin", "Asia/Tokyo", "UTC"]


@dataclass(frozen=True)
class Scale:
    label: str
    teachers: int
    students: int
    bookings: int
    orders: int
    measured_student_lessons: int
    measured_student_orders: int
    measured_teacher_bookings: int


SCALES = {
    "1x": Scale("1×", 20, 500, 10_000, 2_000, 40, 10, 500),
    "10x": Scale("10×", 200, 5_000, 100_000, 20_000, 400, 100, 5_000),
}


def teacher_email(n: int) -> str:
    return f"teacher-{n:04d}@{DOMAIN}"


def student_email(n: int) -> str:
    return f"student-{n:05d}@{DOMAIN}"


# Teacher 0 and students 0 and 1 are the ones the pages are measured as.
MEASURED_TEACHER = teacher_email(0)
MEASURED_STUDENT = student_email(0)
BASKET_STUDENT = student_email(1)


@dataclass
class Calendars:
    """Who is busy when: the start hours already taken, per teacher and per student."""

    teacher: dict[int, set[dt.datetime]]
    student: dict[int, set[dt.datetime]]

    def free(self, teacher_id: int, student_id: int, start: dt.datetime) -> bool:
        return start not in self.teacher[teacher_id] and start not in self.student[student_id]

    def take(self, teacher_id: int, student_id: int, start: dt.datetime) -> None:
        self.teacher[teacher_id].add(start)
        self.student[student_id].add(start)


def grow(
    scale: Scale,
    *,
    now: dt.datetime | None = None,
    seed: int = 9,
    phases: dict[str, float] | None = None,
) -> dict[str, int]:
    """Add what the database lacks to reach `scale`; returns the row counts reached.
    `phases`, when given, receives the seconds each step took."""
    now = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    rng = random.Random(f"{seed}-{scale.label}")
    phases = {} if phases is None else phases
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        phases[name] = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()

    with transaction.atomic():
        if not Offer.objects.filter(name__startswith="Bench ").exists():
            _reference(now)
        teachers = _teachers(scale.teachers, rng)
        students = _students(scale.students, rng)
        calendars = _calendars()
        lap("people")
        new = _bookings(scale, teachers, students, calendars, now, rng, lap)
        _orders(scale, new, now, rng)
        lap("orders")
    lap("commit")
    return counts()


def counts() -> dict[str, int]:
    return {
        "teachers": TeacherProfile.objects.count(),
        "students": User.objects.filter(role=Role.STUDENT).count(),
        "bookings": Booking.objects.count(),
        "orders": Order.objects.count(),
        "measured_student_lessons": Booking.objects.filter(student__email=MEASURED_STUDENT).count(),
        "measured_student_orders": Order.objects.filter(student__email=MEASURED_STUDENT).count(),
        "measured_teacher_bookings": Booking.objects.filter(
            teacher__user__email=MEASURED_TEACHER
        ).count(),
    }


def _reference(now: dt.datetime) -> None:
    User.objects.create(
        email=STAFF_EMAIL, role=Role.STAFF, is_staff=True, display_name="Sophie", password="!"
    )
    Offer.objects.bulk_create(
        [
            Offer(
                name="Bench spring offer",
                description="Ten percent off every lesson.",
                kind=OfferKind.PERCENT,
                value=Decimal("10.00"),
                is_featured=True,
                valid_until=now + dt.timedelta(days=30),
            ),
            Offer(
                name="Bench bundle",
                description="Buy 5 lessons, get 1 free.",
                kind=OfferKind.BUY_N_GET_M,
                buy_quantity=5,
                free_quantity=1,
                min_lessons=6,
                is_featured=True,
            ),
            Offer(
                name="Bench welcome code",
                description="€5 off with the code BIENVENUE.",
                kind=OfferKind.FIXED,
                value=Decimal("5.00"),
                code="BIENVENUE",
                is_featured=True,
                max_uses=1_000,
            ),
        ]
    )


def _name(n: int) -> str:
    return f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {LAST_NAMES[(n // 7) % len(LAST_NAMES)]}"


def _teachers(total: int, rng: random.Random) -> list[TeacherProfile]:
    existing = TeacherProfile.objects.filter(user__email__endswith=f"@{DOMAIN}").count()
    users = User.objects.bulk_create(
        [
            User(
                email=teacher_email(n),
                display_name=_name(n),
                role=Role.TEACHER,
                timezone="Europe/Paris" if n == 0 else TEACHER_ZONES[n % len(TEACHER_ZONES)],
                password="!",
            )
            for n in range(existing, total)
        ],
        batch_size=BATCH,
    )
    profiles = []
    for n, user in enumerate(users, start=existing):
        price_60 = Decimal(rng.randrange(18, 46))
        profiles.append(
            TeacherProfile(
                user=user,
                slug=f"{slugify(user.display_name)}-{n}",
                headline=rng.choice(
                    ["Conversation coach from Lyon", "DELF examiner", "Business French, Paris"]
                ),
                bio="J'adore enseigner le français. " * 8,
                price_60=price_60,
                price_30=(price_60 * Decimal("0.55")).quantize(Decimal("1")),
                # A few unpublished profiles, as a real directory has (never the measured one).
                is_published=n == 0 or n % 15 != 14,
                is_featured=n % 10 == 3,
                favourite_word="flâner",
            )
        )
    TeacherProfile.objects.bulk_create(profiles, batch_size=BATCH)
    rules = []
    for n, profile in enumerate(profiles, start=existing):
        if n == 0:
            # Every day 06:00-23:00: room for 5,000 lessons a year with free slots left.
            days, ranges = range(7), [(6 * 60, 23 * 60)]
        else:
            days = rng.sample(range(7), 5)
            ranges = [(8 * 60, 12 * 60), (14 * 60, 19 * 60)]
        rules += [
            AvailabilityRule(teacher=profile, weekday=d, start_minute=s, end_minute=e)
            for d in days
            for s, e in ranges
        ]
    AvailabilityRule.objects.bulk_create(rules, batch_size=BATCH)
    languages = list(Language.objects.exclude(code="fr"))
    specialties = list(Specialty.objects.all())
    TeacherProfile.languages.through.objects.bulk_create(
        [
            TeacherProfile.languages.through(teacherprofile=p, language=lang)
            for p in profiles
            for lang in rng.sample(languages, 2)
        ],
        batch_size=BATCH,
    )
    TeacherProfile.specialties.through.objects.bulk_create(
        [
            TeacherProfile.specialties.through(teacherprofile=p, specialty=s)
            for p in profiles
            for s in rng.sample(specialties, 3)
        ],
        batch_size=BATCH,
    )
    return list(
        TeacherProfile.objects.filter(user__email__endswith=f"@{DOMAIN}")
        .select_related("user")
        .prefetch_related("availability_rules")
        .order_by("user__email")
    )


def _students(total: int, rng: random.Random) -> list[User]:
    existing = User.objects.filter(role=Role.STUDENT, email__endswith=f"@{DOMAIN}").count()
    users = User.objects.bulk_create(
        [
            User(
                email=student_email(n),
                display_name=_name(n + 3),
                role=Role.STUDENT,
                timezone=STUDENT_ZONES[n % len(STUDENT_ZONES)],
                password="!",
            )
            for n in range(existing, total)
        ],
        batch_size=BATCH,
    )
    StudentProfile.objects.bulk_create(
        [StudentProfile(user=u, level=rng.choice(Level.values)) for u in users], batch_size=BATCH
    )
    return list(
        User.objects.filter(role=Role.STUDENT, email__endswith=f"@{DOMAIN}").order_by("email")
    )


def _calendars() -> Calendars:
    calendars = Calendars(defaultdict(set), defaultdict(set))
    for teacher_id, student_id, start in Booking.objects.values_list(
        "teacher_id", "student_id", "starts_at"
    ):
        calendars.take(teacher_id, student_id, start)
    return calendars


def candidate_starts(teacher: TeacherProfile, now: dt.datetime) -> list[dt.datetime]:
    """Every whole UTC hour inside the teacher's weekly rules over the year around `now`."""
    zone = zoneinfo.ZoneInfo(teacher.user.timezone)
    rules = defaultdict(list)
    for rule in teacher.availability_rules.all():
        rules[rule.weekday].append(rule)
    first = (now - dt.timedelta(days=PAST_DAYS)).astimezone(zone).date()
    starts = []
    for offset in range(PAST_DAYS + FUTURE_DAYS):
        day = first + dt.timedelta(days=offset)
        for rule in rules[day.weekday()]:
            for minute in range(rule.start_minute, rule.end_minute - 60 + 1, 60):
                local = dt.datetime.combine(day, dt.time(minute // 60), tzinfo=zone)
                start = local.astimezone(dt.UTC)
                # Whole UTC hours only (zones on whole-hour offsets), so overlaps are equal starts.
                if start.minute == 0:
                    starts.append(start)
    return starts


def _pick_starts(
    teacher: TeacherProfile, count: int, calendars: Calendars, now: dt.datetime, rng
) -> list[dt.datetime]:
    taken = calendars.teacher[teacher.pk]
    free = [s for s in candidate_starts(teacher, now) if s not in taken]
    near_end = now + dt.timedelta(days=NEAR_FREE_DAYS)
    near = [s for s in free if now <= s < near_end]
    far = [s for s in free if not now <= s < near_end]
    near_taken = sum(1 for s in taken if now <= s < near_end)
    near_cap = int(NEAR_MAX_BOOKED * (len(near) + near_taken)) - near_taken
    near_count = max(0, min(near_cap, round(count * len(near) / max(1, len(free)))))
    picked = rng.sample(near, near_count) + rng.sample(far, min(len(far), count - near_count))
    if len(picked) < count:
        raise RuntimeError(f"{teacher.slug}: room for {len(picked)} more lessons, not {count}")
    return picked


def _bookings(
    scale: Scale,
    teachers: list[TeacherProfile],
    students: list[User],
    calendars: Calendars,
    now: dt.datetime,
    rng: random.Random,
    lap=lambda name: None,
) -> list[Booking]:
    measured_teacher, others = teachers[0], teachers[1:]
    measured_student, basket_student, crowd = students[0], students[1], students[2:]
    need = scale.bookings - Booking.objects.count()
    need_teacher = scale.measured_teacher_bookings - len(calendars.teacher[measured_teacher.pk])
    need_student = scale.measured_student_lessons - len(calendars.student[measured_student.pk])
    new: list[Booking] = []
    if not calendars.student[basket_student.pk]:
        new += _basket(basket_student, others, calendars, now, rng)

    def book(teacher: TeacherProfile, start: dt.datetime, pool: list[User]) -> None:
        for _ in range(50):
            student = rng.choice(pool)
            if calendars.free(teacher.pk, student.pk, start):
                calendars.take(teacher.pk, student.pk, start)
                new.append(_booking(teacher, student, start, now, rng))
                return

    for start in _pick_starts(measured_teacher, need_teacher, calendars, now, rng):
        book(measured_teacher, start, crowd)
    hours: dict[int, list[dt.datetime]] = {}
    while need_student > 0:
        teacher = rng.choice(others)
        if teacher.pk not in hours:
            hours[teacher.pk] = candidate_starts(teacher, now)
        start = rng.choice(hours[teacher.pk])
        if calendars.free(teacher.pk, measured_student.pk, start):
            book(teacher, start, [measured_student])
            need_student -= 1
    rest = need - len(new)
    per_teacher = defaultdict(int)
    for index in rng.choices(range(len(others)), k=rest):
        per_teacher[index] += 1
    for index, count in per_teacher.items():
        for start in _pick_starts(others[index], count, calendars, now, rng):
            book(others[index], start, crowd)
    lap("bookings (python)")
    created = Booking.objects.bulk_create(new, batch_size=BATCH)
    lap("bookings (insert)")
    return created


def _basket(student, teachers, calendars, now, rng) -> list[Booking]:
    """The basket student's two held lessons. Their holds last a day rather than 15 minutes, so
    the basket stays full for the whole run (nothing sweeps holds during the bench anyway)."""
    held = []
    for teacher in teachers[:2]:
        start = next(
            s
            for s in candidate_starts(teacher, now)
            if s > now + dt.timedelta(days=3) and calendars.free(teacher.pk, student.pk, s)
        )
        calendars.take(teacher.pk, student.pk, start)
        booking = _booking(teacher, student, start, now, rng, status=BookingStatus.HELD)
        booking.hold_expires_at = now + dt.timedelta(days=1)
        held.append(booking)
    return held


PAST_STATUSES = [
    (BookingStatus.COMPLETED, 80),
    (BookingStatus.CANCELLED, 8),
    (BookingStatus.DECLINED, 5),
    (BookingStatus.EXPIRED, 7),
]
FUTURE_STATUSES = [
    (BookingStatus.CONFIRMED, 55),
    (BookingStatus.REQUESTED, 15),
    (BookingStatus.CANCELLED, 10),
    (BookingStatus.DECLINED, 5),
    (BookingStatus.EXPIRED, 10),
    (BookingStatus.HELD, 5),
]


def _booking(teacher, student, start, now, rng, status=None) -> Booking:
    duration = 60 if not teacher.offers_30 or rng.random() < 0.7 else 30
    ends_at = start + dt.timedelta(minutes=duration)
    if status is None:
        table = PAST_STATUSES if ends_at <= now else FUTURE_STATUSES
        if start < now < ends_at:  # under way right now
            table = [(BookingStatus.CONFIRMED, 1)]
        status = rng.choices([s for s, _ in table], weights=[w for _, w in table])[0]
    # Booked, paid and answered at least a day ago, so every timestamp below is in the past.
    booked = min(start - dt.timedelta(days=rng.randrange(1, 21)), now - dt.timedelta(days=1))
    booking = Booking(
        teacher=teacher,
        student=student,
        starts_at=start,
        ends_at=ends_at,
        duration_minutes=duration,
        status=status,
        level=rng.choice(Level.values),
        purpose=rng.choice(Purpose.values),
        price=teacher.price_for(duration),
        hold_expires_at=booked + dt.timedelta(minutes=15),
    )
    paid = booked + dt.timedelta(minutes=10)
    if status == BookingStatus.HELD:
        booking.hold_expires_at = now + dt.timedelta(minutes=15)
    elif status == BookingStatus.EXPIRED:
        booking.expired_at = booking.hold_expires_at
    else:
        booking.requested_at = paid
    if status in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.CANCELLED):
        booking.confirmed_at = paid + dt.timedelta(hours=2)
        booking.meeting_url = f"https://meet.jit.si/PetitTalk-{rng.getrandbits(96):024x}"
    if status == BookingStatus.COMPLETED:
        booking.completed_at = ends_at
    elif status == BookingStatus.DECLINED:
        booking.declined_at = paid + dt.timedelta(hours=5)
        booking.decline_reason = "I am away that week, sorry."
    elif status == BookingStatus.CANCELLED:
        # Three in four cancel in time for a refund; the others within 24 hours of the start.
        before = dt.timedelta(days=3) if rng.random() < 0.75 else dt.timedelta(hours=3)
        booking.cancelled_at = max(
            min(start - before, now - dt.timedelta(minutes=5)), booking.confirmed_at
        )
        booking.cancelled_by = student if rng.random() < 0.8 else teacher.user
    return booking


def _refunded(booking: Booking) -> str:
    """Why this lesson was refunded in full, or "" (the policy of bookings.services)."""
    if booking.status == BookingStatus.DECLINED:
        return "declined"
    if booking.status == BookingStatus.CANCELLED:
        by_student = booking.cancelled_by_id == booking.student_id
        if not by_student or booking.starts_at - booking.cancelled_at >= dt.timedelta(hours=24):
            return f"cancelled by {'student' if by_student else 'teacher'}"
    return ""


PAID_CLASS = {
    BookingStatus.REQUESTED,
    BookingStatus.CONFIRMED,
    BookingStatus.COMPLETED,
    BookingStatus.CANCELLED,
    BookingStatus.DECLINED,
}


def split_counts(sizes: list[int], total: int) -> list[int]:
    """`total` split in proportion to `sizes` (largest remainder), each at most its size."""
    whole = sum(sizes)
    if not whole:
        return [0] * len(sizes)
    shares = [size * total / whole for size in sizes]
    counts = [min(size, int(share)) for size, share in zip(sizes, shares, strict=True)]
    order = sorted(range(len(sizes)), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    short = total - sum(counts)
    while short > 0 and any(counts[i] < sizes[i] for i in order):
        for i in order:
            if short and counts[i] < sizes[i]:
                counts[i] += 1
                short -= 1
    return counts


def _chunks(items: list, parts: int) -> list[list]:
    size, extra = divmod(len(items), parts)
    chunks, at = [], 0
    for part in range(parts):
        step = size + (1 if part < extra else 0)
        chunks.append(items[at : at + step])
        at += step
    return [c for c in chunks if c]


def _orders(scale: Scale, new: list[Booking], now: dt.datetime, rng: random.Random) -> None:
    """Orders for the new bookings: paid ones (refunds recorded for refunded lessons) and, for
    some lapsed holds, a failed payment. Held lessons are still in a basket: no order yet."""
    need = scale.orders - Order.objects.count()
    paid, failed = defaultdict(list), defaultdict(list)
    for booking in sorted(new, key=lambda b: b.starts_at):
        if booking.status in PAID_CLASS:
            paid[booking.student_id].append(booking)
        elif booking.status == BookingStatus.EXPIRED and rng.random() < 0.5:
            failed[booking.student_id].append(booking)
    measured = User.objects.get(email=MEASURED_STUDENT).pk
    measured_orders = (
        scale.measured_student_orders - Order.objects.filter(student_id=measured).count()
    )
    groups: list[tuple[OrderStatus, list[Booking]]] = [
        (OrderStatus.PAID, chunk) for chunk in _chunks(paid.pop(measured, []), measured_orders)
    ]
    failed.pop(measured, None)
    need -= len(groups)
    need_failed = round(need * 0.05)
    for status, pool, total in (
        (OrderStatus.FAILED, failed, need_failed),
        (OrderStatus.PAID, paid, need - need_failed),
    ):
        students = sorted(pool)
        for student_id, parts in zip(
            students, split_counts([len(pool[s]) for s in students], total), strict=True
        ):
            if parts:
                groups += [(status, chunk) for chunk in _chunks(pool[student_id], parts)]
    sequence = Order.objects.count()
    orders, lines_of = [], []
    for status, bookings in groups:
        sequence += 1
        created = min(b.hold_expires_at for b in bookings) - dt.timedelta(minutes=5)
        subtotal = sum((b.price for b in bookings), Decimal("0.00"))
        refunded = sum((b.price for b in bookings if _refunded(b)), Decimal("0.00"))
        student = bookings[0].student
        orders.append(
            Order(
                number=f"PT-{created:%Y}-{sequence:06d}",
                student_id=student.pk,
                status=status,
                billing_name=student.display_name,
                billing_email=student.email,
                billing_country="FR",
                subtotal=subtotal,
                total=subtotal,
                amount_refunded=refunded if status == OrderStatus.PAID else Decimal("0.00"),
                gateway="dummy",
                payment_reference=f"dummy_{sequence:07d}",
                failure_message="Your card was declined." if status == OrderStatus.FAILED else "",
                created_at=created,
                paid_at=created + dt.timedelta(minutes=1) if status == OrderStatus.PAID else None,
            )
        )
        lines_of.append(bookings)
    Order.objects.bulk_create(orders, batch_size=BATCH)
    lines = [
        OrderLine(
            order=order,
            booking=b,
            description=f"{b.duration_minutes}-minute French lesson",
            teacher_name=b.teacher.user.display_name,
            starts_at=b.starts_at,
            duration_minutes=b.duration_minutes,
            price=b.price,
            total=b.price,
        )
        for order, bookings in zip(orders, lines_of, strict=True)
        for b in bookings
    ]
    OrderLine.objects.bulk_create(lines, batch_size=BATCH)
    refunds, intents = [], []
    for line in lines:
        reason = _refunded(line.booking)
        if not reason or line.order.status != OrderStatus.PAID:
            continue
        when = (line.booking.declined_at or line.booking.cancelled_at) + dt.timedelta(minutes=1)
        intents.append(
            RefundIntent(booking=line.booking, amount=line.price, reason=reason, processed_at=when)
        )
        refunds.append(
            Refund(
                order=line.order,
                line=line,
                amount=line.total,
                reason=reason,
                status=RefundStatus.SUCCEEDED,
                idempotency_key=f"bench-refund-{line.pk}",
                gateway_reference=f"dummy_re_{line.pk}",
                completed_at=when,
            )
        )
    RefundIntent.objects.bulk_create(intents, batch_size=BATCH)
    Refund.objects.bulk_create(refunds, batch_size=BATCH)


def overlapping_pairs() -> int:
    """Pairs of blocking bookings that overlap for one teacher or for one student (must be 0),
    counted by SQL so it checks what the database holds, whatever the constraints said."""
    statuses = ", ".join(f"'{s}'" for s in BLOCKING_STATUSES)
    table = Booking._meta.db_table
    total = 0
    with connection.cursor() as cursor:
        for column in ("teacher_id", "student_id"):
            cursor.execute(
                f"SELECT count(*) FROM {table} a JOIN {table} b ON a.{column} = b.{column} "
                "AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at "
                f"WHERE a.status IN ({statuses}) AND b.status IN ({statuses})"
            )
            total += cursor.fetchone()[0]
    return total
