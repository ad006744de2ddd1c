"""`manage.py seed_demo`: the demo world. Safe to run again: it updates rather than duplicates."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.core.files.base import ContentFile, File
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image

from petittalk.accounts.models import Level, Role, StudentProfile, User
from petittalk.bookings.models import ANSWER_WITHIN, Booking, BookingStatus, Purpose
from petittalk.bookings.services import (
    BookingError,
    booking_accept,
    booking_cancel,
    booking_decline,
    booking_hold,
    bookings_complete_finished,
    bookings_expire_unanswered,
)
from petittalk.community.models import ContactMessage, Testimonial, TestimonialStatus
from petittalk.core.money import to_minor_units
from petittalk.core.uploads import UploadRejected, clean_image_upload, clean_video_upload
from petittalk.demo.intro_videos import draw_intro_video
from petittalk.demo.portraits import draw_portrait
from petittalk.newsletter import wording as newsletter_wording
from petittalk.newsletter.models import (
    Campaign,
    CampaignDelivery,
    CampaignStatus,
    ConsentKind,
    ConsentRecord,
    DeliveryStatus,
    Subscriber,
    SubscriberStatus,
)
from petittalk.offers.models import Offer, OfferKind
from petittalk.offers.services import OfferSettings, offer_create, offer_update
from petittalk.orders.services import Billing, CheckoutError, checkout_place_order
from petittalk.payments.gateways import dummy
from petittalk.payments.services import order_payment_start, payment_event_receive
from petittalk.reviews.services import review_create, review_hide, review_reply
from petittalk.scheduling.models import AvailabilityRule
from petittalk.teachers.models import Language, Specialty, TeacherProfile
from petittalk.teachers.reference import ensure_reference_data

DEMO_PASSWORD = "petittalk-demo"
STAFF_EMAIL = "staff@example.com"
TEACHER_EMAIL = "claire@example.com"
STUDENT_EMAIL = "sam@example.com"


@dataclass(frozen=True)
class DemoTeacher:
    email: str
    name: str
    headline: str
    bio: str
    specialties: tuple[str, ...]
    languages: tuple[str, ...]
    price_30: str
    price_60: str
    portrait_seed: int  # the drawing's hair style is seed % 6: short, long, curly, bun, quiff, bob
    featured: bool = False
    intro_video: bool = False  # a short video drawn at seed time from the portrait
    favourite_word: str = ""
    favourite_film: str = ""
    favourite_book: str = ""
    favourite_song: str = ""


TEACHERS = [
    DemoTeacher(
        TEACHER_EMAIL,
        "Claire Dubois",
        "Conversation coach from Paris — talk from day one",
        "Bonjour ! I'm Claire, a Parisian who has taught French to adults for nine years.\n\n"
        "My lessons are conversations first: we talk about your life, your plans and the news, "
        "and I weave in the grammar you need as we go. You'll leave every lesson with new "
        "expressions real French people use.",
        ("conversation", "grammar", "travel"),
        ("fr", "en", "es"),
        "14.00",
        "25.00",
        7,
        True,
        intro_video=True,
        favourite_word="flâner",
        favourite_film="Le Fabuleux Destin d'Amélie Poulain",
        favourite_book="Le Petit Prince",
        favourite_song="La Vie en rose",
    ),
    DemoTeacher(
        "julien@example.com",
        "Julien Martin",
        "Business French for meetings, emails and calls",
        "I spent ten years in consulting in Lyon before teaching. I help professionals run "
        "meetings, write clear emails and negotiate in French with confidence.",
        ("business", "conversation"),
        ("fr", "en", "de"),
        "18.00",
        "32.00",
        0,
        True,
        intro_video=True,
    ),
    DemoTeacher(
        "amelie@example.com",
        "Amélie Laurent",
        "Travel French and culture from Bordeaux",
        "Planning a trip to France? Let's make sure you can order, ask, chat and laugh like a "
        "local. I love sharing French food, wine and regional culture.",
        ("travel", "conversation"),
        ("fr", "en"),
        "11.00",
        "20.00",
        2,
        True,
        favourite_word="pamplemousse",
        favourite_film="Les Choristes",
        favourite_song="Je veux",
    ),
    DemoTeacher(
        "thomas@example.com",
        "Thomas Moreau",
        "DELF B2 & DALF C1 examiner — pass first time",
        "Certified DELF/DALF examiner. I know exactly what the juries expect and train you on "
        "real past papers, timed, with detailed feedback on every production.",
        ("exam-prep", "grammar"),
        ("fr", "en"),
        "20.00",
        "36.00",
        4,
        True,
    ),
    DemoTeacher(
        "camille@example.com",
        "Camille Lefèvre",
        "Playful French lessons for children (6-14)",
        "Songs, games and stories: children learn best when they're having fun. I've taught in "
        "bilingual schools in Nantes and London.",
        ("children", "conversation"),
        ("fr", "en"),
        "12.00",
        "22.00",
        3,
    ),
    DemoTeacher(
        "hugo@example.com",
        "Hugo Bernard",
        "Grammar made clear — from A1 to C1",
        "Subjunctive giving you nightmares? I explain French grammar simply, with plenty of "
        "practice, so it finally clicks.",
        ("grammar", "exam-prep"),
        ("fr", "en", "it"),
        "13.00",
        "24.00",
        6,
    ),
    DemoTeacher(
        "lea@example.com",
        "Léa Girard",
        "Relaxed conversation practice with a Lille native",
        "Shy about speaking? My lessons are calm, patient and full of encouragement. We'll build "
        "your confidence one conversation at a time.",
        ("conversation", "travel"),
        ("fr", "en", "nl"),
        "9.00",
        "17.00",
        5,
    ),
    DemoTeacher(
        "nicolas@example.com",
        "Nicolas Roux",
        "Pronunciation & accent coaching from Strasbourg",
        "Former radio host. I help you sound natural: rhythm, liaisons, nasal vowels and the "
        "famous French R.",
        ("conversation", "business"),
        ("fr", "en", "de"),
        "16.00",
        "29.00",
        10,
        favourite_word="chuchoter",
        favourite_book="L'Étranger",
        favourite_song="Ne me quitte pas",
    ),
]

STUDENT_NAMES = [
    "Emma Johnson",
    "Liam Smith",
    "Olivia Brown",
    "Noah Williams",
    "Ava Jones",
    "Ethan Miller",
    "Sophia Davis",
    "Mason Wilson",
    "Isabella Moore",
    "Lucas Taylor",
    "Mia Anderson",
    "James Thomas",
    "Charlotte Jackson",
    "Benjamin White",
    "Amelia Harris",
    "Henry Martin",
    "Harper Thompson",
    "Jack Garcia",
    "Evelyn Clark",
]
STUDENT_ZONES = [
    "America/New_York",
    "Europe/London",
    "America/Los_Angeles",
    "Australia/Sydney",
    "America/Chicago",
    "Asia/Singapore",
]


# The demo's past lessons are booked and paid through the real services, which send receipts,
# requests, confirmations and refund notes. Nobody reads mail about a history we invent, and
# dozens of them would bury the console the demo prints the emails people trigger to, so while
# seeding, tasks (refunds, emails) run at once and emails go to memory. The payments are made
# with the local test card processor, whichever gateway the site is set up with.
SEEDING_SETTINGS = {
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "PAYMENT_GATEWAY": "dummy",
}


@contextlib.contextmanager
def _quiet_task_log() -> Iterator[None]:
    """Two INFO lines per task would bury the console too; failures (WARNING+) still show."""
    logger = logging.getLogger("django_tasks")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


# (days ago, author, status, text, reason for a rejection)
DEMO_TESTIMONIALS = [
    (
        40,
        "student01@example.com",
        TestimonialStatus.APPROVED,
        "I had tried three apps before. Twenty minutes of real conversation with Claire did "
        "more for my French than a year of flashcards.",
        "",
    ),
    (
        25,
        TEACHER_EMAIL,
        TestimonialStatus.APPROVED,
        "As a teacher I love that students arrive knowing what they want to work on. The "
        "calendar does the rest, whatever their time zone.",
        "",
    ),
    (
        12,
        "student03@example.com",
        TestimonialStatus.APPROVED,
        "Booked a DELF B2 crash course a month before the exam. Passed with 78/100. Merci !",
        "",
    ),
    (
        6,
        STUDENT_EMAIL,
        TestimonialStatus.REJECTED,
        "Great lessons! Text Camille on 06 12 34 56 78 for cheaper lessons outside the site.",
        "We can't publish phone numbers or offers outside Petit Talk. "
        "You're welcome to write another one.",
    ),
    (
        1,
        "student02@example.com",
        TestimonialStatus.PENDING,
        "My teacher is patient and funny, and I finally understand the subjunctive. "
        "I look forward to every Tuesday lesson.",
        "",
    ),
]
# (days ago, name, email, subject, message, handled)
DEMO_CONTACT_MESSAGES = [
    (
        9,
        "Hannah Weber",
        "hannah.weber@example.com",
        "Invoice with my company's name",
        "Hello, my employer pays for my lessons. Can the receipt show the company's name and "
        "VAT number?",
        True,
    ),
    (
        0,
        "Marco Rossi",
        "marco.rossi@example.com",
        "Lessons for two people?",
        "Bonjour ! My wife and I would like to take lessons together with the same teacher. "
        "Is that possible, and how is it priced?",
        False,
    ),
]


class Command(BaseCommand):
    help = "Create or refresh the demo accounts, teachers (with drawn portraits) and students."

    def handle(self, *args, **options) -> None:
        # One hash for every demo account: hashing is deliberately slow, 29 times would be seconds.
        self.password_hash = make_password(DEMO_PASSWORD)
        outbox_before = len(getattr(mail, "outbox", []))
        with override_settings(**SEEDING_SETTINGS), _quiet_task_log(), transaction.atomic():
            ensure_reference_data()
            self.seed_staff()
            for teacher in TEACHERS:
                self.seed_teacher(teacher)
            self.seed_students()
            self.seed_schedules()
            self.seed_bookings()
            self.seed_reviews()
            self.seed_offers()
            self.seed_newsletter()
            self.seed_community()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: 1 staff, {len(TEACHERS)} teachers, "
                f"{len(STUDENT_NAMES) + 1} students."
            )
        )
        held_back = len(getattr(mail, "outbox", [])) - outbox_before
        if held_back:
            self.stdout.write(f"({held_back} emails about the demo's past lessons were not sent.)")

    def demo_user(self, email: str, name: str, role: Role, timezone: str, **extra) -> User:
        user, _ = User.objects.get_or_create(email=email)
        user.display_name = name
        user.role = role
        user.timezone = timezone
        for field, value in extra.items():
            setattr(user, field, value)
        user.password = self.password_hash
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def seed_staff(self) -> None:
        self.demo_user(
            STAFF_EMAIL,
            "Sophie (staff)",
            Role.STAFF,
            "Europe/Paris",
            is_staff=True,
            is_superuser=True,
        )

    def seed_teacher(self, data: DemoTeacher) -> None:
        user = self.demo_user(data.email, data.name, Role.TEACHER, "Europe/Paris")
        profile, _ = TeacherProfile.objects.get_or_create(
            user=user, defaults={"slug": data.name.split()[0].lower().replace("é", "e")}
        )
        profile.headline = data.headline
        profile.bio = data.bio
        profile.price_30 = Decimal(data.price_30)
        profile.price_60 = Decimal(data.price_60)
        profile.is_published = True
        profile.is_featured = data.featured
        profile.favourite_word, profile.favourite_film = data.favourite_word, data.favourite_film
        profile.favourite_book, profile.favourite_song = data.favourite_book, data.favourite_song
        if not profile.photo or not profile.photo.storage.exists(profile.photo.name):
            portrait = ContentFile(
                draw_portrait(name=data.name, seed=data.portrait_seed), name="portrait.jpg"
            )
            clean = clean_image_upload(portrait)
            profile.photo = clean.image
            profile.photo_thumbnail = clean.thumbnail
        if data.intro_video and not (
            profile.intro_video and profile.intro_video.storage.exists(profile.intro_video.name)
        ):
            profile.intro_video = self.intro_video_for(profile)
        profile.save()
        profile.specialties.set(Specialty.objects.filter(slug__in=data.specialties))
        profile.languages.set(Language.objects.filter(code__in=data.languages))

    @staticmethod
    def intro_video_for(profile: TeacherProfile) -> File:
        """Drawn from the teacher's portrait, then checked like any teacher's own upload."""
        with profile.photo.open("rb") as photo:
            portrait = Image.open(photo)
            portrait.load()
        video = ContentFile(
            draw_intro_video(name=profile.user.name, portrait=portrait), name="intro.webm"
        )
        try:
            return clean_video_upload(video)
        except UploadRejected as exc:
            raise CommandError(f"The demo video of {profile.user.name} was refused: {exc}") from exc

    def seed_schedules(self) -> None:
        """Weekly availability for each demo teacher (replaced on every run)."""
        for email, ranges in SCHEDULES.items():
            teacher = TeacherProfile.objects.get(user__email=email)
            AvailabilityRule.objects.filter(teacher=teacher).delete()
            AvailabilityRule.objects.bulk_create(
                AvailabilityRule(
                    teacher=teacher,
                    weekday=day,
                    start_minute=_minutes(start),
                    end_minute=_minutes(end),
                )
                for days, start, end in ranges
                for day in days
            )
        TeacherProfile.objects.filter(user__email="amelie@example.com").update(instant_booking=True)

    def seed_bookings(self) -> None:
        """Lessons in every state, booked and paid as students would, once: a later run keeps
        whatever people did in the demo (and so never makes a second order)."""
        if Booking.objects.exists():
            return
        demo = DemoBookings(now=timezone.now())
        sam = User.objects.get(email=STUDENT_EMAIL)
        others = list(User.objects.filter(email__startswith="student").order_by("email")[:6])
        claire, julien, amelie, thomas, hugo = (
            TeacherProfile.objects.select_related("user").get(user__email=f"{name}@example.com")
            for name in ("claire", "julien", "amelie", "thomas", "hugo")
        )
        # Sam, the demo student: one lesson in each state.
        demo.add(claire, sam, days=2, at="10:00", status=BookingStatus.CONFIRMED)
        demo.add(claire, sam, days=9, at="15:00", status=BookingStatus.CONFIRMED, minutes=30)
        demo.add(julien, sam, days=3, at="08:00", status=BookingStatus.REQUESTED)
        demo.add(claire, sam, days=-6, at="11:00", status=BookingStatus.COMPLETED)
        demo.add(thomas, sam, days=-13, at="18:00", status=BookingStatus.COMPLETED)
        demo.add(thomas, sam, days=4, at="17:00", status=BookingStatus.DECLINED)
        demo.add(amelie, sam, days=6, at="11:00", status=BookingStatus.CANCELLED)
        demo.add(hugo, sam, days=-2, at="21:00", status=BookingStatus.EXPIRED)
        # Claire, the demo teacher: requests to answer, a full week, past lessons.
        for n, student in enumerate(others):
            if n < 2:
                demo.add(claire, student, days=3 + n, at="16:00", status=BookingStatus.REQUESTED)
            else:
                demo.add(claire, student, days=n - 1, at="17:00", status=BookingStatus.CONFIRMED)
            demo.add(claire, student, days=-(n + 1), at="09:00", status=BookingStatus.COMPLETED)
        # Past lessons with other teachers, so their pages and cards show ratings too.
        for n, student in enumerate(others[:4]):
            demo.add(julien, student, days=-(n + 8), at="08:00", status=BookingStatus.COMPLETED)
            demo.add(amelie, student, days=-(n + 8), at="11:00", status=BookingStatus.COMPLETED)
        demo.save()

    def seed_reviews(self) -> None:
        """Reviews of the past lessons of students other than Sam (who is left to write his own),
        some answered by their teacher and one hidden by staff. Once per lesson, so seeding
        again adds none."""
        staff = User.objects.get(email=STAFF_EMAIL)
        lessons = (
            Booking.objects.filter(status=BookingStatus.COMPLETED, review__isnull=True)
            .exclude(student__email=STUDENT_EMAIL)
            .select_related("teacher__user", "student")
            .order_by("starts_at", "pk")
        )
        for n, lesson in enumerate(lessons):
            hide = n == HIDDEN_DEMO_REVIEW
            rating, text = (1, HIDDEN_DEMO_TEXT) if hide else DEMO_REVIEWS[n % len(DEMO_REVIEWS)]
            written = lesson.ends_at + dt.timedelta(hours=3)
            review = review_create(
                student=lesson.student, booking=lesson, rating=rating, text=text, now=written
            )
            if n % 3 == 0:
                review_reply(
                    review=review,
                    teacher=lesson.teacher.user,
                    text="Merci ! It was a pleasure, à bientôt.",
                    now=written + dt.timedelta(hours=5),
                )
            if hide:
                review_hide(
                    review=review,
                    by=staff,
                    reason="Not about the lesson: personal remarks about the teacher.",
                    now=written + dt.timedelta(days=1),
                )

    def seed_offers(self) -> None:
        """A welcome code, a lesson pack and a trial price, all on the home page."""
        offers = [
            OfferSettings(
                name="Bienvenue: 20% off",
                code="BIENVENUE",
                kind=OfferKind.PERCENT,
                value=Decimal("20"),
                description="20% off every lesson in your basket.",
                max_uses_per_student=1,
                is_featured=True,
            ),
            OfferSettings(
                name="Five lessons, one free",
                kind=OfferKind.BUY_N_GET_M,
                buy_quantity=5,
                free_quantity=1,
                min_lessons=6,
                description="Book six lessons at once: the cheapest one is on us.",
                is_featured=True,
            ),
            OfferSettings(
                name="First lesson for €9",
                kind=OfferKind.TRIAL_PRICE,
                value=Decimal("9.00"),
                description="Your very first lesson, any teacher.",
                is_featured=True,
            ),
        ]
        for offer_settings in offers:
            # Through the services, so the demo's offers obey the same rules as staff's.
            existing = Offer.objects.filter(name=offer_settings.name).first()
            if existing is None:
                offer_create(settings=offer_settings)
            else:
                offer_update(offer=existing, settings=offer_settings)

    def seed_newsletter(self) -> None:
        """Subscribers in every state, a campaign already sent to the confirmed ones, a draft."""
        now = timezone.now()
        staff = User.objects.get(email=STAFF_EMAIL)
        people = [(STUDENT_EMAIL, SubscriberStatus.CONFIRMED)]
        people += [(f"student{n:02d}@example.com", SubscriberStatus.CONFIRMED) for n in (1, 2, 3)]
        people += [
            ("claire.reader@example.com", SubscriberStatus.CONFIRMED),
            ("Jules.Martin@Example.com", SubscriberStatus.CONFIRMED),
            ("=formula@example.com", SubscriberStatus.CONFIRMED),  # shows the CSV export's guard
            ("waiting@example.com", SubscriberStatus.PENDING),
            ("student04@example.com", SubscriberStatus.PENDING),
            ("gone@example.com", SubscriberStatus.UNSUBSCRIBED),
        ]
        for n, (email, status) in enumerate(people):
            since = now - dt.timedelta(days=40 - n)
            subscriber, _ = Subscriber.objects.update_or_create(
                email__iexact=email,
                defaults={
                    "email": email,
                    "status": status,
                    "user": User.objects.filter(email__iexact=email).first(),
                    "optin_round": f"demo-{n}",
                    "created_at": since,
                    "confirmed_at": since + dt.timedelta(hours=1)
                    if status != SubscriberStatus.PENDING
                    else None,
                    "unsubscribed_at": now - dt.timedelta(days=2)
                    if status == SubscriberStatus.UNSUBSCRIBED
                    else None,
                },
            )
            steps = [(ConsentKind.SUBSCRIBE, since, newsletter_wording.SUBSCRIBE)]
            if status != SubscriberStatus.PENDING:
                steps.append(
                    (ConsentKind.CONFIRM, since + dt.timedelta(hours=1), newsletter_wording.CONFIRM)
                )
            if status == SubscriberStatus.UNSUBSCRIBED:
                steps.append(
                    (
                        ConsentKind.UNSUBSCRIBE,
                        now - dt.timedelta(days=2),
                        newsletter_wording.ONE_CLICK,
                    )
                )
            for kind, at, text in steps:
                ConsentRecord.objects.get_or_create(
                    subscriber=subscriber,
                    kind=kind,
                    defaults={"at": at, "source": "/", "wording": text},
                )
        sent, _ = Campaign.objects.update_or_create(
            subject="Bienvenue : three new teachers this month",
            defaults={
                "body_text": "Bonjour !\n\nThree new teachers joined Petit Talk this month, "
                "and Claire now teaches DELF B2 preparation on Saturday mornings.\n\n"
                "À bientôt,\nThe Petit Talk team",
                "body_html": "<h1>Bonjour&nbsp;!</h1><p>Three new teachers joined Petit Talk "
                "this month.</p><p>À bientôt,<br>The Petit Talk team</p>",
                "status": CampaignStatus.SENT,
                "created_by": staff,
                "started_at": now - dt.timedelta(days=7),
                "finished_at": now - dt.timedelta(days=7),
            },
        )
        confirmed = list(Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED))
        CampaignDelivery.objects.bulk_create(
            [
                CampaignDelivery(campaign=sent, subscriber=s, status=DeliveryStatus.SENT)
                for s in confirmed
            ],
            ignore_conflicts=True,
        )
        sent.total = sent.deliveries.count()
        sent.save(update_fields=["total"])
        Campaign.objects.update_or_create(
            subject="Spring offers and a pronunciation tip",
            defaults={
                "body_text": "Bonjour !\n\nThis spring, your first lesson with any new teacher "
                "is half price.\n\nTip: the French R starts at the back of the throat.",
                "status": CampaignStatus.DRAFT,
                "created_by": staff,
            },
        )

    def seed_community(self) -> None:
        """Testimonials in every state (published with and without a photo, one waiting, one
        rejected with its reason) and two contact messages, one already handled."""
        staff = User.objects.get(email=STAFF_EMAIL)
        now = timezone.now()
        for days, email, status, text, reason in DEMO_TESTIMONIALS:
            at = now - dt.timedelta(days=days)
            decided = status != TestimonialStatus.PENDING
            Testimonial.objects.update_or_create(
                author=User.objects.get(email=email),
                text=text,
                defaults={
                    "status": status,
                    "reason": reason,
                    "decided_by": staff if decided else None,
                },
                create_defaults={
                    "status": status,
                    "reason": reason,
                    "decided_by": staff if decided else None,
                    "created_at": at,
                    "decided_at": at + dt.timedelta(hours=5) if decided else None,
                },
            )
        for days, name, email, subject, message, handled in DEMO_CONTACT_MESSAGES:
            at = now - dt.timedelta(days=days)
            ContactMessage.objects.get_or_create(
                email=email,
                subject=subject,
                defaults={
                    "name": name,
                    "message": message,
                    "created_at": at,
                    "handled_at": at + dt.timedelta(hours=3) if handled else None,
                    "handled_by": staff if handled else None,
                },
            )

    def seed_students(self) -> None:
        sam = self.demo_user(STUDENT_EMAIL, "Sam Taylor", Role.STUDENT, "America/New_York")
        StudentProfile.objects.update_or_create(
            user=sam,
            defaults={
                "level": Level.A2,
                "learning_goals": "Hold a real conversation on my trip to Provence next summer.",
            },
        )
        levels = list(Level.values)
        for n, name in enumerate(STUDENT_NAMES, start=1):
            student = self.demo_user(
                f"student{n:02d}@example.com",
                name,
                Role.STUDENT,
                STUDENT_ZONES[n % len(STUDENT_ZONES)],
            )
            StudentProfile.objects.update_or_create(
                user=student, defaults={"level": levels[n % len(levels)]}
            )


@dataclass(frozen=True)
class DemoLesson:
    teacher: TeacherProfile
    student: User
    starts_at: dt.datetime
    minutes: int
    status: str

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.minutes)


class DemoBookings:
    """Plans demo lessons at teacher-local times (moving off days the teacher doesn't work),
    then books each one as its student would have: held, checked out, paid with the dummy
    gateway's test card through the signed-event pipeline, then answered, cancelled or
    finished through the booking services at the moment it would have happened. So every
    paid lesson has its order and receipt, and every refund its Refund row, exactly as the
    site itself makes them."""

    def __init__(self, *, now: dt.datetime) -> None:
        self.now = now
        self.lessons: list[DemoLesson] = []

    def add(self, teacher, student, *, days: int, at: str, status: str, minutes: int = 60) -> None:
        zone = zoneinfo.ZoneInfo(teacher.user.timezone)
        local_day = self.now.astimezone(zone).date() + dt.timedelta(days=days)
        step = dt.timedelta(days=1 if days >= 0 else -1)
        for _ in range(60):
            starts_at = dt.datetime.combine(
                local_day, dt.time.fromisoformat(at), tzinfo=zone
            ).astimezone(dt.UTC)
            if self._inside(teacher, local_day.weekday(), _minutes(at), minutes) and self._free(
                teacher, student, starts_at, minutes
            ):
                break
            local_day += step
        else:
            raise CommandError(f"No room for a demo lesson with {teacher} at {at}")
        self.lessons.append(DemoLesson(teacher, student, starts_at, minutes, status))

    @staticmethod
    def _inside(teacher, weekday: int, start: int, minutes: int) -> bool:
        return any(
            r.weekday == weekday and r.start_minute <= start and start + minutes <= r.end_minute
            for r in teacher.availability_rules.all()
        )

    def _free(self, teacher, student, starts_at: dt.datetime, minutes: int) -> bool:
        ends_at = starts_at + dt.timedelta(minutes=minutes)
        return not any(
            (lesson.teacher.pk == teacher.pk or lesson.student.pk == student.pk)
            and lesson.starts_at < ends_at
            and starts_at < lesson.ends_at
            for lesson in self.lessons
        )

    def save(self) -> None:
        for lesson in self.lessons:
            self._book(lesson)

    def _book(self, lesson: DemoLesson) -> None:
        # Requests still waiting were made this morning; everything else three days before the
        # lesson, and at least a day ago, so the answer and the payment are in the past too.
        if lesson.status == BookingStatus.REQUESTED:
            booked_at = self.now - dt.timedelta(hours=6)
        else:
            booked_at = min(
                lesson.starts_at - dt.timedelta(days=3), self.now - dt.timedelta(days=1)
            )
        teacher_user = lesson.teacher.user
        try:
            booking = booking_hold(
                student=lesson.student,
                teacher=lesson.teacher,
                starts_at=lesson.starts_at,
                duration_minutes=lesson.minutes,
                level=Level.B1,
                purpose=Purpose.CONVERSATION,
                now=booked_at,
            )
            paid_at = booked_at + dt.timedelta(minutes=5)
            self._pay(lesson.student, now=paid_at)
            booking.refresh_from_db()
            if lesson.status == BookingStatus.DECLINED:
                booking_decline(
                    booking=booking,
                    by=teacher_user,
                    reason="I'm away at a conference that week, sorry!",
                    now=booked_at + dt.timedelta(hours=2),
                )
            elif lesson.status == BookingStatus.EXPIRED:
                # Nobody answered: the periodic job lets the request lapse after 48 hours.
                bookings_expire_unanswered(now=paid_at + ANSWER_WITHIN)
            elif lesson.status != BookingStatus.REQUESTED:
                if booking.status == BookingStatus.REQUESTED:  # not an instant-booking teacher
                    booking = booking_accept(
                        booking=booking, by=teacher_user, now=booked_at + dt.timedelta(hours=5)
                    )
                if lesson.status == BookingStatus.CANCELLED:
                    booking_cancel(booking=booking, by=lesson.student, now=self.now)
                elif lesson.status == BookingStatus.COMPLETED:
                    bookings_complete_finished(now=lesson.ends_at)
        except (BookingError, CheckoutError) as exc:
            raise CommandError(f"Could not book the demo lesson {lesson}: {exc}") from exc

    @staticmethod
    def _pay(student: User, *, now: dt.datetime) -> None:
        """Check the basket out and pay with the test card, as the dummy card page does."""
        order = checkout_place_order(
            student=student,
            billing=Billing(
                name=student.name,
                email=student.email,
                country=ZONE_COUNTRIES.get(student.timezone, "FR"),
            ),
            now=now,
        )
        reference = order_payment_start(order=order).reference
        body = dummy.event_body(
            reference=reference,
            amount_cents=to_minor_units(order.total),
            currency=order.currency,
            failure=dummy.card_verdict(TEST_CARD),
        )
        outcome = payment_event_receive(
            gateway_name="dummy",
            body=body,
            headers={dummy.SIGNATURE_HEADER: dummy.sign(body)},
            now=now,
        )
        if outcome != "paid":
            raise CommandError(f"The demo payment of order {order.number} was {outcome!r}")


TEST_CARD = "4242424242424242"
# Billing countries of the demo students, from their time zones.
ZONE_COUNTRIES = {
    "America/New_York": "US",
    "America/Chicago": "US",
    "America/Los_Angeles": "US",
    "Europe/London": "GB",
    "Australia/Sydney": "AU",
    "Asia/Singapore": "SG",
}


# Weekly availability of the demo teachers, in their own (Paris) wall-clock time:
# (weekdays, start, end) with Monday = 0.
# (rating, text) of the demo's reviews, in turn; the fourth review is instead the one that
# staff hide.
DEMO_REVIEWS = [
    (5, "Patient and clear: I finally understand the subjunctive!"),
    (4, "Great conversation practice, lots of useful expressions."),
    (5, ""),
    (5, "Fun, well prepared and very encouraging."),
    (3, "Good lesson, a bit fast for my level."),
    (4, ""),
]
HIDDEN_DEMO_REVIEW = 3
HIDDEN_DEMO_TEXT = "Talked about everything except French."

SCHEDULES = {
    "claire@example.com": [
        ((0, 1, 2, 3, 4), "09:00", "12:00"),
        ((0, 1, 2, 3, 4), "14:00", "19:00"),
        ((5,), "10:00", "13:00"),
    ],
    "julien@example.com": [((0, 1, 2, 3, 4), "07:30", "09:30"), ((0, 2, 4), "18:00", "21:00")],
    "amelie@example.com": [((1, 3, 5, 6), "10:00", "16:00")],
    "thomas@example.com": [((0, 1, 2, 3), "16:00", "22:00"), ((5,), "09:00", "12:00")],
    "camille@example.com": [((2, 5, 6), "09:00", "12:30")],
    "hugo@example.com": [((0, 1, 2, 3, 4, 5), "20:00", "24:00")],
    "lea@example.com": [((0, 1, 2, 3, 4, 5, 6), "06:00", "09:00"), ((6,), "15:00", "18:00")],
    "nicolas@example.com": [((0, 2, 4), "12:00", "14:00"), ((1, 3), "17:00", "20:00")],
}


def _minutes(label: str) -> int:
    hours, minutes = label.split(":")
    return int(hours) * 60 + int(minutes)
