from __future__ import annotations

from django.db import models

from petittalk.teachers.models import TeacherProfile

MINUTES_PER_DAY = 24 * 60


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class AvailabilityRule(models.Model):
    """A weekly range in the teacher's own wall-clock time, e.g. Mondays 09:00-12:30 in Paris."""

    teacher = models.ForeignKey(
        TeacherProfile, on_delete=models.CASCADE, related_name="availability_rules"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_minute = models.PositiveSmallIntegerField(help_text="Minutes after local midnight.")
    end_minute = models.PositiveSmallIntegerField(help_text="1440 means midnight at day's end.")

    class Meta:
        ordering = ["weekday", "start_minute"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_minute__gte=0)
                & models.Q(start_minute__lt=models.F("end_minute"))
                & models.Q(end_minute__lte=MINUTES_PER_DAY),
                name="availability_rule_range_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_label}-{self.end_label}"

    @property
    def start_label(self) -> str:
        return minutes_label(self.start_minute)

    @property
    def end_label(self) -> str:
        return minutes_label(self.end_minute)


def minutes_label(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class TimeOff(models.Model):
    """Holidays and other absences; stored as UTC instants like every other time."""

    teacher = models.ForeignKey(TeacherProfile, on_delete=models.CASCADE, related_name="time_off")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    note = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["teacher", "ends_at"], name="timeoff_teacher_end_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="time_off_range_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Time off {self.starts_at:%Y-%m-%d} to {self.ends_at:%Y-%m-%d}"
