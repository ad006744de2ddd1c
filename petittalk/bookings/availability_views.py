"""The teacher's Availability page: weekly hours, time off, booking settings and a preview.

It lives in bookings, above scheduling, because its preview of what students see needs the
teacher's bookings (free slots are computed in `bookings.selectors`); the URL names stay
`scheduling:…`.

One page shows everything; each change is a POST to its own small view that calls one service
and redirects back to the page's section (or re-renders the page with the form's errors).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from dataclasses import dataclass

from django.contrib import messages
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from petittalk.accounts.access import teacher_required
from petittalk.bookings.selectors import teacher_free_slots
from petittalk.core import timefmt
from petittalk.scheduling import services
from petittalk.scheduling.forms import (
    AvailabilityRuleForm,
    BookingSettingsForm,
    CopyDayForm,
    TimeOffForm,
)
from petittalk.scheduling.models import AvailabilityRule, TimeOff, Weekday, minutes_label
from petittalk.scheduling.selectors import local_week_bounds, week_of_slots
from petittalk.scheduling.services import (
    DASH,
    ScheduleError,
    ScheduleNotFound,
    range_label,
    time_range_label,
)
from petittalk.teachers.models import TeacherProfile
from petittalk.teachers.selectors import teacher_profile_of

QUARTER = 15
ROWS_PER_HOUR = 60 // QUARTER
# The grid always shows at least this part of the day, widened to fit every range.
DEFAULT_FIRST_HOUR, DEFAULT_LAST_HOUR = 8, 20
PREVIEW_TIMES_SHOWN = 12


# --- what the page shows ------------------------------------------------------------------------


@dataclass(frozen=True)
class GridBlock:
    rule_id: int
    time_label: str  # 09:00-12:00
    name: str  # Monday 09:00-12:00
    row_start: int  # 1-based grid row of its first quarter hour
    row_span: int  # how many quarter hours it covers

    @property
    def size(self) -> str:
        """How much room the label has: short ranges get a compact one-line label."""
        if self.row_span <= 2:
            return "tiny"
        return "short" if self.row_span <= 4 else "long"


@dataclass(frozen=True)
class GridDay:
    weekday: int
    name: str
    short_name: str
    is_today: bool
    blocks: list[GridBlock]


@dataclass(frozen=True)
class HourMark:
    label: str
    row: int


@dataclass(frozen=True)
class WeekGrid:
    days: list[GridDay]
    hours: list[HourMark]
    rows: int

    @property
    def is_empty(self) -> bool:
        return not any(day.blocks for day in self.days)


def week_grid(rules: list[AvailabilityRule], *, today_weekday: int) -> WeekGrid:
    """Lay weekly ranges on a Monday-to-Sunday grid of quarter-hour rows.

    The rows cover 08:00-20:00, or more when a range starts earlier or ends later.
    """
    first_hour = min([DEFAULT_FIRST_HOUR, *(r.start_minute // 60 for r in rules)])
    last_hour = max([DEFAULT_LAST_HOUR, *(math.ceil(r.end_minute / 60) for r in rules)])
    origin = first_hour * 60
    by_day: dict[int, list[GridBlock]] = {day: [] for day in Weekday.values}
    for rule in rules:
        # Off-grid minutes (say, from the admin) still get a block covering them.
        first_row = (rule.start_minute - origin) // QUARTER
        after_row = math.ceil((rule.end_minute - origin) / QUARTER)
        time_label = time_range_label(rule.start_minute, rule.end_minute)
        by_day[rule.weekday].append(
            GridBlock(
                rule_id=rule.pk,
                time_label=time_label,
                name=range_label(rule.weekday, rule.start_minute, rule.end_minute),
                row_start=first_row + 1,
                row_span=max(after_row - first_row, 1),
            )
        )
    days = [
        GridDay(
            weekday=day.value,
            name=day.label,
            short_name=day.label[:3],
            is_today=day.value == today_weekday,
            blocks=sorted(by_day[day.value], key=lambda block: block.row_start),
        )
        for day in Weekday
    ]
    hours = [
        HourMark(label=minutes_label(hour * 60), row=(hour - first_hour) * ROWS_PER_HOUR + 1)
        for hour in range(first_hour, last_hour + 1)
    ]
    return WeekGrid(days=days, hours=hours, rows=(last_hour - first_hour) * ROWS_PER_HOUR)


@dataclass(frozen=True)
class TimeOffRow:
    pk: int
    label: str
    note: str
    is_now: bool


def time_off_row(time_off: TimeOff, tz_name: str, now: dt.datetime) -> TimeOffRow:
    """`Sat 24 Oct 2026 - Mon 26 Oct 2026` for whole days; dates with times otherwise."""
    # Through timefmt: a row stored before dates were bounded may not convert (year 9999).
    start = timefmt.localize(time_off.starts_at, tz_name)
    end = timefmt.localize(time_off.ends_at, tz_name)
    if start.time() == dt.time(0) and end.time() == dt.time(0):
        first = timefmt.format_date(time_off.starts_at, tz_name)
        last = timefmt.format_date(time_off.ends_at - dt.timedelta(seconds=1), tz_name)
        label = first if first == last else f"{first} {DASH} {last}"
    else:
        label = (
            f"{timefmt.format_datetime(time_off.starts_at, tz_name, with_zone=False)} {DASH} "
            f"{timefmt.format_datetime(time_off.ends_at, tz_name, with_zone=False)}"
        )
    return TimeOffRow(
        pk=time_off.pk,
        label=label,
        note=time_off.note,
        is_now=time_off.starts_at <= now < time_off.ends_at,
    )


@dataclass(frozen=True)
class PreviewDay:
    day: dt.date
    times: list[str]

    @property
    def first_times(self) -> list[str]:
        return self.times[:PREVIEW_TIMES_SHOWN]

    @property
    def more_times(self) -> list[str]:
        """Behind a "more" toggle, so a day open from dawn to midnight stays readable."""
        return self.times[PREVIEW_TIMES_SHOWN:]


def slot_preview(teacher: TeacherProfile, *, now: dt.datetime) -> tuple[int, list[PreviewDay]]:
    """What a student in the teacher's own zone sees for the next 7 days (shortest lesson)."""
    tz_name = teacher.user.timezone
    zone = timefmt.viewer_zone(tz_name)
    duration = min(teacher.durations)
    first_day = now.astimezone(zone).date()
    window_start, window_end = local_week_bounds(first_day, zone)
    slots = teacher_free_slots(
        teacher,
        window_start=window_start,
        window_end=window_end,
        duration_minutes=duration,
        now=now,
    )
    days = [
        PreviewDay(day=d.day, times=[timefmt.format_time(slot, tz_name) for slot in d.slots])
        for d in week_of_slots(slots, viewer_zone=zone, first_day=first_day)
    ]
    return duration, days


# Reads scoped to the teacher (candidates for scheduling/selectors.py).
def _rules_of(teacher: TeacherProfile) -> list[AvailabilityRule]:
    return list(
        AvailabilityRule.objects.filter(teacher=teacher).order_by("weekday", "start_minute")
    )


def _current_time_off_of(teacher: TeacherProfile, now: dt.datetime) -> list[TimeOff]:
    return list(TimeOff.objects.filter(teacher=teacher, ends_at__gt=now).order_by("starts_at"))


def _page(
    request: HttpRequest,
    teacher: TeacherProfile,
    *,
    rule_form: Form | None = None,
    copy_form: Form | None = None,
    time_off_form: Form | None = None,
    settings_form: Form | None = None,
) -> HttpResponse:
    now = timezone.now()
    tz_name = teacher.user.timezone
    local_now = timefmt.localize(now, tz_name)
    duration, preview = slot_preview(teacher, now=now)
    context = {
        "teacher": teacher,
        "zone_label": timefmt.zone_label(tz_name, now),
        "grid": week_grid(_rules_of(teacher), today_weekday=local_now.weekday()),
        "time_off": [time_off_row(t, tz_name, now) for t in _current_time_off_of(teacher, now)],
        "preview": preview,
        "preview_duration": duration,
        "preview_count": sum(len(day.times) for day in preview),
        "rule_form": rule_form or AvailabilityRuleForm(),
        "copy_form": copy_form or CopyDayForm(),
        "time_off_form": time_off_form
        or TimeOffForm(initial={"first_day": local_now.date(), "last_day": local_now.date()}),
        "settings_form": settings_form or BookingSettingsForm(instance=teacher),
    }
    return render(request, "scheduling/availability.html", context)


def _back(section: str) -> HttpResponse:
    return redirect(reverse("scheduling:availability") + f"#{section}")


# --- views ---------------------------------------------------------------------------------------


@teacher_required
@require_GET
def availability(request: HttpRequest) -> HttpResponse:
    return _page(request, teacher_profile_of(request.user))


@teacher_required
@require_POST
def availability_rule_add(request: HttpRequest) -> HttpResponse:
    teacher = teacher_profile_of(request.user)
    form = AvailabilityRuleForm(request.POST)
    if form.is_valid():
        try:
            rule = services.availability_rule_add(teacher=teacher, **form.cleaned_data)
        except ScheduleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Added {_range(rule)}.")
            return _back("weekly-hours")
    return _page(request, teacher, rule_form=form)


@teacher_required
@require_POST
def availability_rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    teacher = teacher_profile_of(request.user)
    try:
        rule = services.availability_rule_delete(teacher=teacher, rule_id=pk)
    except ScheduleNotFound as exc:
        raise Http404 from exc
    messages.success(request, f"Removed {_range(rule)}.")
    return _back("weekly-hours")


@teacher_required
@require_POST
def availability_copy_day(request: HttpRequest) -> HttpResponse:
    teacher = teacher_profile_of(request.user)
    form = CopyDayForm(request.POST)
    if form.is_valid():
        source, targets = form.cleaned_data["from_weekday"], form.cleaned_data["to_weekdays"]
        try:
            services.availability_copy_day(
                teacher=teacher, from_weekday=source, to_weekdays=targets
            )
        except ScheduleError as exc:
            form.add_error(None, str(exc))
        else:
            names = [Weekday(day).label for day in targets]
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
            messages.success(request, f"Copied the hours of {Weekday(source).label} to {listed}.")
            return _back("weekly-hours")
    return _page(request, teacher, copy_form=form)


@teacher_required
@require_POST
def time_off_add(request: HttpRequest) -> HttpResponse:
    teacher = teacher_profile_of(request.user)
    form = TimeOffForm(request.POST)
    if form.is_valid():
        try:
            time_off = services.time_off_add(teacher=teacher, **form.cleaned_data)
        except ScheduleError as exc:
            form.add_error(None, str(exc))
        else:
            row = time_off_row(time_off, teacher.user.timezone, timezone.now())
            messages.success(request, f"Time off added: {row.label}. Students cannot book then.")
            return _back("time-off")
    return _page(request, teacher, time_off_form=form)


@teacher_required
@require_POST
def time_off_delete(request: HttpRequest, pk: int) -> HttpResponse:
    teacher = teacher_profile_of(request.user)
    try:
        time_off = services.time_off_delete(teacher=teacher, time_off_id=pk)
    except ScheduleNotFound as exc:
        raise Http404 from exc
    row = time_off_row(time_off, teacher.user.timezone, timezone.now())
    messages.success(request, f"Time off removed: {row.label}.")
    return _back("time-off")


@teacher_required
@require_POST
def booking_settings(request: HttpRequest) -> HttpResponse:
    teacher = teacher_profile_of(request.user)
    # A ModelForm writes what it cleans onto its instance: give it a copy, so a rejected
    # change never leaks into the preview on the re-rendered page.
    form = BookingSettingsForm(request.POST, instance=copy.copy(teacher))
    if form.is_valid():
        try:
            services.booking_settings_update(teacher=teacher, **form.changes())
        except ScheduleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your booking settings are saved.")
            return _back("booking-settings")
    return _page(request, teacher, settings_form=form)


def _range(rule: AvailabilityRule) -> str:
    return range_label(rule.weekday, rule.start_minute, rule.end_minute)
