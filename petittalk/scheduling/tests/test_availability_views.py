from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from petittalk.accounts.tests.factories import StudentFactory
from petittalk.scheduling.models import AvailabilityRule, TimeOff
from petittalk.scheduling.services import DASH
from petittalk.teachers.models import TeacherProfile
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = [
    pytest.mark.django_db,
    # Until config/urls.py mounts the app; harmless afterwards (it does not mount it twice).
    pytest.mark.urls("petittalk.scheduling.tests.urls_for_tests"),
]

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
UTC = dt.UTC
# Monday 2 March 2026, 07:00 in Paris.
MONDAY_MORNING = dt.datetime(2026, 3, 2, 6, 0, tzinfo=UTC)

SETTINGS = {
    "offers_30": "on",
    "offers_60": "on",
    "min_notice_hours": "12",
    "horizon_days": "60",
    "buffer_minutes": "0",
    "slot_step_minutes": "30",
}


@pytest.fixture
def teacher():
    return TeacherProfileFactory()  # Europe/Paris


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher.user)
    return client


def page_url() -> str:
    return reverse("scheduling:availability")


def rule(teacher, weekday=MON, start=9 * 60, end=12 * 60) -> AvailabilityRule:
    return AvailabilityRule.objects.create(
        teacher=teacher, weekday=weekday, start_minute=start, end_minute=end
    )


def time_off(teacher, day: dt.date) -> TimeOff:
    start = dt.datetime.combine(day, dt.time(0), tzinfo=UTC)
    return TimeOff.objects.create(
        teacher=teacher, starts_at=start, ends_at=start + dt.timedelta(days=1)
    )


def section(html: str, anchor: str) -> str:
    """The HTML of one <section id=...> of the page."""
    start = html.index(f'id="{anchor}"')
    return html[start : html.index("</section>", start)]


# --- access --------------------------------------------------------------------------------------


def test_the_page_lives_under_the_teacher_dashboard():
    assert page_url() == "/dashboard/teacher/availability/"


def all_urls(rule_pk: int, time_off_pk: int) -> list[tuple[str, str]]:
    return [
        ("get", page_url()),
        ("post", reverse("scheduling:availability_rule_add")),
        ("post", reverse("scheduling:availability_rule_delete", args=[rule_pk])),
        ("post", reverse("scheduling:availability_copy_day")),
        ("post", reverse("scheduling:time_off_add")),
        ("post", reverse("scheduling:time_off_delete", args=[time_off_pk])),
        ("post", reverse("scheduling:booking_settings")),
    ]


def test_a_student_gets_404_on_every_availability_url_and_changes_nothing(client, teacher):
    mine, off = rule(teacher), time_off(teacher, dt.date(2030, 1, 1))
    client.force_login(StudentFactory())

    for method, url in all_urls(mine.pk, off.pk):
        response = getattr(client, method)(url, {"weekday": TUE, "start_minute": 0})
        assert response.status_code == 404, url

    assert AvailabilityRule.objects.count() == 1 and TimeOff.objects.count() == 1


def test_a_visitor_is_sent_to_log_in(client, teacher):
    for method, url in all_urls(rule(teacher).pk, time_off(teacher, dt.date(2030, 1, 1)).pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_get_never_writes(teacher_client, teacher):
    mine = rule(teacher)

    response = teacher_client.get(reverse("scheduling:availability_rule_delete", args=[mine.pk]))

    assert response.status_code == 405
    assert AvailabilityRule.objects.filter(pk=mine.pk).exists()


# --- the page ------------------------------------------------------------------------------------


def test_the_page_shows_the_week_grid_with_labelled_delete_buttons(teacher_client, teacher):
    rule(teacher, MON, 9 * 60, 12 * 60)
    rule(teacher, FRI, 18 * 60, 24 * 60)

    response = teacher_client.get(page_url())

    assert response.status_code == 200
    html = response.text
    assert '<meta name="robots" content="noindex">' in html
    assert "Times in Paris time (" in html
    grid = section(html, "weekly-hours")
    assert f"09:00{DASH}12:00" in grid and f"Delete Monday 09:00{DASH}12:00" in grid
    assert f"18:00{DASH}24:00" in grid and f"Delete Friday 18:00{DASH}24:00" in grid
    assert "--start: 5; --span: 12" in grid  # 09:00 is the 5th quarter hour after 08:00


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_preview_shows_the_slots_students_can_book_in_the_teachers_zone(
    teacher_client, teacher
):
    for day in range(7):
        rule(teacher, day, 9 * 60, 12 * 60)  # Paris wall clock

    response = teacher_client.get(page_url())

    preview = section(response.text, "preview")
    assert "Times in Paris time (" in preview
    assert "30-minute lessons" in preview
    assert "11:30" in preview  # the last 30-minute start before noon, Paris time
    days = response.context["preview"]
    assert days[0].day == dt.date(2026, 3, 2)
    assert days[0].times == []  # Monday's hours are within the 12-hour notice
    assert days[1].times == ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
    assert response.context["preview_count"] == 6 * 6


def test_the_page_runs_a_constant_number_of_queries(client):
    def queries_for(count: int) -> int:
        teacher = TeacherProfileFactory()
        for n in range(count):
            rule(teacher, n % 7, (8 + n // 7 * 3) * 60, (10 + n // 7 * 3) * 60)
            time_off(teacher, dt.date(2030, 1, 1) + dt.timedelta(days=n * 2))
        client.force_login(teacher.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url()).status_code == 200
        return len(queries)

    assert queries_for(1) == queries_for(10)


# --- weekly hours --------------------------------------------------------------------------------


def test_a_teacher_adds_a_range(teacher_client, teacher):
    response = teacher_client.post(
        reverse("scheduling:availability_rule_add"),
        {"weekday": WED, "start_minute": 14 * 60, "end_minute": 24 * 60},
    )

    assert response.status_code == 302
    assert response["Location"] == page_url() + "#weekly-hours"
    assert list(
        teacher.availability_rules.values_list("weekday", "start_minute", "end_minute")
    ) == [(WED, 840, 1440)]
    page = teacher_client.get(response["Location"]).text
    assert f"Added Wednesday 14:00{DASH}24:00." in page


def test_an_overlapping_range_is_explained_and_not_saved(teacher_client, teacher):
    rule(teacher, MON, 9 * 60, 12 * 60)

    response = teacher_client.post(
        reverse("scheduling:availability_rule_add"),
        {"weekday": MON, "start_minute": 11 * 60, "end_minute": 13 * 60},
    )

    assert response.status_code == 200
    assert f"This overlaps Monday 09:00{DASH}12:00." in response.text
    assert teacher.availability_rules.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weekday": MON, "start_minute": 600, "end_minute": 540}, "end must be after the start"),
        ({"weekday": MON, "start_minute": 600, "end_minute": 600}, "end must be after the start"),
        ({"weekday": 9, "start_minute": 540, "end_minute": 600}, "Select a valid choice"),
        ({"weekday": MON, "start_minute": 545, "end_minute": 600}, "Select a valid choice"),
        ({"weekday": MON, "start_minute": 540}, "This field is required"),
    ],
)
def test_a_bad_range_re_renders_with_a_message_and_writes_nothing(
    teacher_client, teacher, data, message
):
    response = teacher_client.post(reverse("scheduling:availability_rule_add"), data)

    assert response.status_code == 200
    assert message in section(response.text, "weekly-hours")
    assert not AvailabilityRule.objects.exists()


def test_a_teacher_deletes_their_own_range(teacher_client, teacher):
    mine = rule(teacher)

    response = teacher_client.post(reverse("scheduling:availability_rule_delete", args=[mine.pk]))

    assert response.status_code == 302
    assert not AvailabilityRule.objects.exists()
    assert f"Removed Monday 09:00{DASH}12:00." in teacher_client.get(page_url()).text


def test_another_teachers_range_is_a_404_and_survives(teacher_client):
    theirs = rule(TeacherProfileFactory())

    response = teacher_client.post(reverse("scheduling:availability_rule_delete", args=[theirs.pk]))

    assert response.status_code == 404
    assert AvailabilityRule.objects.filter(pk=theirs.pk).exists()


def test_a_teacher_copies_monday_to_the_other_weekdays(teacher_client, teacher):
    rule(teacher, MON, 9 * 60, 12 * 60)
    rule(teacher, TUE, 20 * 60, 22 * 60)

    response = teacher_client.post(
        reverse("scheduling:availability_copy_day"),
        {"from_weekday": MON, "to_weekdays": [TUE, WED, THU, FRI]},
    )

    assert response.status_code == 302
    assert sorted(teacher.availability_rules.values_list("weekday", "start_minute")) == [
        (day, 540) for day in (MON, TUE, WED, THU, FRI)
    ]
    page = teacher_client.get(page_url()).text
    assert "Copied the hours of Monday to Tuesday, Wednesday, Thursday and Friday." in page


def test_copying_an_empty_day_is_explained_and_changes_nothing(teacher_client, teacher):
    rule(teacher, TUE, 9 * 60, 12 * 60)

    response = teacher_client.post(
        reverse("scheduling:availability_copy_day"), {"from_weekday": SUN, "to_weekdays": [TUE]}
    )

    assert response.status_code == 200
    assert "Sunday has no hours to copy yet." in response.text
    assert teacher.availability_rules.count() == 1


# --- time off ------------------------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 10, 1, 9, 0, tzinfo=UTC), tick=False)
def test_a_teacher_takes_whole_days_off_in_their_own_zone(teacher_client, teacher):
    response = teacher_client.post(
        reverse("scheduling:time_off_add"),
        {"first_day": "2026-10-24", "last_day": "2026-10-26", "note": "Toussaint"},
    )

    assert response.status_code == 302
    assert response["Location"] == page_url() + "#time-off"
    off = TimeOff.objects.get(teacher=teacher)
    assert off.starts_at == dt.datetime(2026, 10, 23, 22, 0, tzinfo=UTC)
    assert off.ends_at == dt.datetime(2026, 10, 26, 23, 0, tzinfo=UTC)
    listed = section(teacher_client.get(page_url()).text, "time-off")
    assert f"Sat 24 Oct 2026 {DASH} Mon 26 Oct 2026" in listed and "Toussaint" in listed
    assert 'Delete<span class="visually-hidden"> time off Sat 24 Oct 2026' in listed


@time_machine.travel(dt.datetime(2026, 10, 1, 9, 0, tzinfo=UTC), tick=False)
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first_day": "2026-10-26", "last_day": "2026-10-24"}, "on or after the first day"),
        ({"first_day": "2026-09-01", "last_day": "2026-09-02"}, "already over"),
        ({"first_day": "2026-10-24", "last_day": "2028-01-01"}, "at most 365 days"),
        ({"first_day": "someday", "last_day": "2026-10-24"}, "Enter a valid date"),
    ],
)
def test_bad_time_off_re_renders_with_a_message_and_writes_nothing(teacher_client, data, message):
    response = teacher_client.post(reverse("scheduling:time_off_add"), {**data, "note": ""})

    assert response.status_code == 200
    assert message in section(response.text, "time-off")
    assert not TimeOff.objects.exists()


def test_time_off_delete_is_for_the_owner_only(teacher_client, teacher):
    mine = time_off(teacher, dt.date(2030, 1, 1))
    theirs = time_off(TeacherProfileFactory(), dt.date(2030, 1, 1))

    refused = teacher_client.post(reverse("scheduling:time_off_delete", args=[theirs.pk]))
    done = teacher_client.post(reverse("scheduling:time_off_delete", args=[mine.pk]))

    assert refused.status_code == 404 and done.status_code == 302
    assert list(TimeOff.objects.values_list("pk", flat=True)) == [theirs.pk]


# --- booking settings ----------------------------------------------------------------------------


def test_a_teacher_saves_booking_settings(teacher_client, teacher):
    response = teacher_client.post(
        reverse("scheduling:booking_settings"),
        {
            **SETTINGS,
            "offers_30": "",
            "min_notice_hours": "24",
            "buffer_minutes": "15",
            "instant_booking": "on",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == page_url() + "#booking-settings"
    teacher.refresh_from_db()
    assert teacher.durations == [60]
    assert (teacher.min_notice_hours, teacher.buffer_minutes, teacher.instant_booking) == (
        24,
        15,
        True,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"offers_30": "", "offers_60": ""}, "Offer at least one lesson length"),
        ({"min_notice_hours": "400"}, "less than or equal to 336"),
        ({"min_notice_hours": "-2"}, "greater than or equal to 0"),
        ({"horizon_days": "0"}, "greater than or equal to 1"),
        ({"horizon_days": "365"}, "less than or equal to 180"),
        ({"min_notice_hours": "72", "horizon_days": "2"}, "shorter than how far ahead"),
        ({"buffer_minutes": "7"}, "Select a valid choice"),
        ({"slot_step_minutes": "20"}, "Select a valid choice"),
    ],
)
def test_bad_booking_settings_re_render_with_a_message_and_write_nothing(
    teacher_client, teacher, overrides, message
):
    before = TeacherProfile.objects.values().get(pk=teacher.pk)

    response = teacher_client.post(
        reverse("scheduling:booking_settings"), {**SETTINGS, **overrides}
    )

    assert response.status_code == 200
    assert message in section(response.text, "booking-settings")
    assert "Constraint" not in response.text
    assert TeacherProfile.objects.values().get(pk=teacher.pk) == before
    # The rejected values did not leak into the preview either.
    assert response.context["preview_duration"] == 30
