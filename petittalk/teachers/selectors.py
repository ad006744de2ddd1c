"""Reads about teachers, each scoped to who is looking."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from petittalk.accounts.models import User
from petittalk.core import versions
from petittalk.core.models import ContentVersion
from petittalk.teachers.models import Language, Specialty, TeacherProfile


def published_teachers() -> QuerySet[TeacherProfile]:
    """Teachers the public may see."""
    return TeacherProfile.objects.filter(is_published=True, user__is_active=True).select_related(
        "user"
    )


def teacher_cards() -> QuerySet[TeacherProfile]:
    """Published teachers with what their card shows (the specialties), in fixed queries."""
    return published_teachers().prefetch_related("specialties")


def featured_teachers(*, limit: int = 4) -> list[TeacherProfile]:
    return list(teacher_cards().order_by("-is_featured", "-updated_at")[:limit])


@dataclass(frozen=True)
class DirectoryFilters:
    text: str = ""
    specialty: str = ""
    language: str = ""
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    min_rating: int | None = None
    sort: str = "recommended"

    def active_count(self) -> int:
        """How many filters narrow the list (sorting does not)."""
        values = (
            self.text,
            self.specialty,
            self.language,
            self.min_price,
            self.max_price,
            self.min_rating,
        )
        return sum(1 for value in values if value not in ("", None))


DIRECTORY_ORDERINGS = {
    "recommended": ("-is_featured", "-updated_at", "pk"),
    "price_low": ("price_60", "pk"),
    "price_high": ("-price_60", "pk"),
    "newest": ("-created_at", "pk"),
    "rating": ("-rating_average", "-rating_count", "pk"),
}
# "4★ and up": the only rating filter offered (the directory's form).
MIN_RATINGS = (4,)


def teacher_directory(filters: DirectoryFilters) -> QuerySet[TeacherProfile]:
    teachers = teacher_cards()
    if filters.text:
        for word in filters.text.split()[:6]:
            teachers = teachers.filter(
                Q(user__display_name__icontains=word)
                | Q(headline__icontains=word)
                | Q(bio__icontains=word)
            )
    if filters.specialty:
        teachers = teachers.filter(specialties__slug=filters.specialty)
    if filters.language:
        teachers = teachers.filter(languages__code=filters.language)
    low, high = filters.min_price, filters.max_price
    if low is not None and high is not None and low > high:
        low = high = None  # a reversed range is a mistake to point out, not an empty list
    if low is not None:
        teachers = teachers.filter(price_60__gte=low)
    if high is not None:
        teachers = teachers.filter(price_60__lte=high)
    if filters.min_rating is not None:
        teachers = teachers.filter(rating_count__gt=0, rating_average__gte=filters.min_rating)
    return teachers.order_by(
        *DIRECTORY_ORDERINGS.get(filters.sort, DIRECTORY_ORDERINGS["recommended"])
    )


def public_teacher(slug: str) -> TeacherProfile:
    return get_object_or_404(
        published_teachers().prefetch_related("languages", "specialties"), slug=slug
    )


def public_teacher_page_versions(slug: str) -> tuple[int, int]:
    """The versions a public teacher's cached page is stored under (core/versions.py): every
    profile's, and this teacher's calendar's. 404 when no public teacher has this address.

    One plain query on every cached teacher page, where the ORM's query building would cost more
    than the two lookups it replaces (the teacher's id, then the versions).
    """
    version_table = connection.ops.quote_name(ContentVersion._meta.db_table)
    teacher_table = connection.ops.quote_name(TeacherProfile._meta.db_table)
    user_table = connection.ops.quote_name(User._meta.db_table)
    sql = f"""
        SELECT
            COALESCE((SELECT v.version FROM {version_table} v WHERE v.scope = %s), 0),
            COALESCE(
                (SELECT v.version FROM {version_table} v WHERE v.scope = %s || CAST(t.id AS TEXT)),
                0
            )
        FROM {teacher_table} t JOIN {user_table} u ON u.id = t.user_id
        WHERE t.slug = %s AND t.is_published AND u.is_active
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [versions.TEACHERS, versions.teacher_scope(""), slug])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such teacher.")
    return row[0], row[1]


def teacher_profile_id_of(user) -> int:
    """The id of `user`'s teacher profile (404 without one). One small query."""
    found = TeacherProfile.objects.filter(user=user).values_list("pk", flat=True).first()
    if found is None:
        raise Http404("No teacher profile.")
    return found


def teacher_profile_of(user) -> TeacherProfile:
    return get_object_or_404(
        TeacherProfile.objects.select_related("user").prefetch_related("languages", "specialties"),
        user=user,
    )


def all_teacher_profiles() -> QuerySet[TeacherProfile]:
    """Staff view: every teacher, published or not."""
    return (
        TeacherProfile.objects.select_related("user")
        .prefetch_related("specialties")
        .order_by("user__display_name", "pk")
    )


def teacher_profile_for_staff(pk: int) -> TeacherProfile:
    return get_object_or_404(all_teacher_profiles(), pk=pk)


@dataclass(frozen=True)
class TeacherCounts:
    teachers: int
    published: int


def teacher_counts() -> TeacherCounts:
    """Staff overview: every teacher and the published ones, in one query."""
    counts = TeacherProfile.objects.aggregate(
        teachers=Count("pk"), published=Count("pk", filter=Q(is_published=True))
    )
    return TeacherCounts(**counts)


def specialties() -> list[Specialty]:
    return list(Specialty.objects.all())


def languages() -> list[Language]:
    return list(Language.objects.all())
