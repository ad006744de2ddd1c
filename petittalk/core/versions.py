"""Versions of public content, for caches that are never stale.

A cached page or computation is stored under a key that names the versions of everything it
shows: TEACHERS (every public profile: names, photos, prices, languages, settings), OFFERS (the
offers and whom they apply to), TESTIMONIALS (the approved ones) and, for one teacher's page,
that teacher's calendar (`teacher_scope`: rules, time off, bookings and holds). Every write
that changes such content bumps its version *in the same transaction* (`bump`), so the moment
the write commits, readers look up a key that has never been filled and compute afresh; before
it commits they still see the old content, which is what the database shows them too. Nothing
is ever deleted from a cache: old keys simply stop being asked for and age out.

Readers take the versions first (`read`) and the content after; under READ COMMITTED the content
they read is then at least as new as the versions, so what they store under a key is never older
than that key promises.

The counters live in the database, not in the cache, because that is the only way to move them
atomically with the change: a cache write after commit can be lost to a crash, and one before
commit can be read before the change is visible.

Locks: a bump locks its counter's row until commit, so writers of one scope queue (readers never
wait). A bump is the last thing a change does to a row (signals fire after the save), so the
counter rows are the last locks a transaction takes; one transaction taking several takes them in
`lock_order` (one `bump` call sorts them; `order_mark_paid` handles its lines teacher by
teacher in id order). No two transactions can then wait on each other in a circle.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from petittalk.core.models import ContentVersion

TEACHERS = "teachers"
OFFERS = "offers"
# The testimonials on the home page (approved ones, their text and authors).
TESTIMONIALS = "testimonials"
# Every person's display name, as other people's private pages show it (a teacher's dashboard
# names its students).
PEOPLE = "people"
# Every use of every offer (redemptions): what is left of a limited offer, which any student's
# checkout changes, so a basket priced with it moves with them.
OFFER_USES = "offer-uses"


_TEACHER_PREFIX = "teacher:"


def teacher_scope(teacher_id: int) -> str:
    """One teacher's calendar: their free slots, on their page and in the booking views."""
    return f"{_TEACHER_PREFIX}{teacher_id}"


_PERSON_PREFIX = "person:"


def person_scope(user_id: int) -> str:
    """What one person's own pages show of them: their lessons, basket, orders, refunds,
    reviews, offer uses and account. Only their own pages are cached under it."""
    return f"{_PERSON_PREFIX}{user_id}"


def lock_order(scope: str) -> tuple[int, int, str]:
    """The one order in which counters are locked: teachers' calendars by id, then people by
    id, then the rest."""
    if scope.startswith(_TEACHER_PREFIX):
        return (0, int(scope.removeprefix(_TEACHER_PREFIX)), "")
    if scope.startswith(_PERSON_PREFIX):
        return (1, int(scope.removeprefix(_PERSON_PREFIX)), "")
    return (2, 0, scope)


def bump(scopes: Iterable[str]) -> None:
    """Move each scope to a new version. Call it inside the transaction that makes the change."""
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    # One upsert per scope, in lock order: two transactions bumping the same scopes lock their
    # rows in the same order, so they queue instead of deadlocking. ON CONFLICT works on both
    # PostgreSQL and SQLite (3.24+); a read-then-insert would race when two writers create a
    # scope at once.
    with connection.cursor() as cursor:
        for scope in sorted(set(scopes), key=lock_order):
            cursor.execute(
                f"INSERT INTO {table} (scope, version) VALUES (%s, 1) "
                f"ON CONFLICT (scope) DO UPDATE SET version = {table}.version + 1",
                [scope],
            )


def read(scopes: Iterable[str]) -> tuple[int, ...]:
    """The current version of each scope, in the order given (0 for a scope never bumped)."""
    wanted = list(scopes)
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    # Plain SQL: this runs on every cached page, where building an ORM query would cost more
    # than the query itself.
    placeholders = ", ".join(["%s"] * len(wanted))
    sql = f"SELECT scope, version FROM {table} WHERE scope IN ({placeholders})"
    with connection.cursor() as cursor:
        cursor.execute(sql, wanted)
        found = dict(cursor.fetchall())
    return tuple(found.get(scope, 0) for scope in wanted)
