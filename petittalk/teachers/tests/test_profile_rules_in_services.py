"""The profile service holds the profile rules itself: a caller that skips the profile form gets
the same clear refusal, on the field it is about, and nothing is written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from petittalk.teachers import services
from petittalk.teachers.models import TeacherProfile
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db


def edit(profile: TeacherProfile, **changes) -> TeacherProfile:
    """What a teacher could save from the profile form, with `changes` applied."""
    values = {
        "display_name": "Claire",
        "headline": "Conversation coach from Lyon",
        "bio": "J'adore enseigner le français.",
        "languages": [],
        "specialties": [],
        "price_30": Decimal("15.00"),
        "price_60": Decimal("27.50"),
    }
    return services.teacher_profile_update(profile=profile, **(values | changes))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"price_30": Decimal("30.00"), "price_60": Decimal("25.00")},
            "price_60",
            "A 60-minute lesson cannot cost less than a 30-minute one.",
        ),
        ({"price_30": Decimal("0.00")}, "price_30", "greater than or equal to 5"),
        ({"price_30": Decimal("-3.00")}, "price_30", "greater than or equal to 5"),
        ({"price_60": Decimal("9999.00")}, "price_60", "less than or equal to 500"),
        ({"price_60": Decimal("27.555")}, "price_60", "no more than 2 decimal places"),
        ({"display_name": "  "}, "display_name", "Enter the name shown to students."),
        ({"display_name": "C" * 81}, "display_name", "at most 80 characters"),
        ({"headline": "H" * 121}, "headline", "at most 120 characters"),
        ({"bio": "B" * 5001}, "bio", "at most 5000 characters"),
        ({"video_url": "https://evil.example/watch?v=x"}, "intro_video_url", "YouTube or Vimeo"),
        ({"slug": "not a slug!"}, "slug", "Enter a valid “slug”"),
        ({"slug": ""}, "slug", "Enter the address of the teacher's page."),
    ],
)
def test_a_profile_edit_that_breaks_a_rule_is_refused_and_nothing_is_written(
    changes, field, message
):
    teacher = TeacherProfileFactory(slug="claire", user__display_name="Claire Dubois")

    with pytest.raises(services.TeacherProfileError) as refused:
        edit(teacher, **changes)

    assert message in str(refused.value)
    assert refused.value.field == field
    teacher.refresh_from_db()
    assert (teacher.price_30, teacher.price_60) == (Decimal("12.00"), Decimal("22.00"))
    assert (teacher.slug, teacher.user.display_name) == ("claire", "Claire Dubois")
    assert teacher.headline == "Conversation coach from Lyon"


def test_an_address_another_teacher_uses_is_refused():
    TeacherProfileFactory(slug="marc")
    teacher = TeacherProfileFactory(slug="claire")

    with pytest.raises(services.TeacherProfileError) as refused:
        edit(teacher, slug="marc")

    assert str(refused.value) == "Another teacher already uses this address."
    teacher.refresh_from_db()
    assert teacher.slug == "claire"


def test_equal_prices_for_both_lengths_are_allowed():
    teacher = TeacherProfileFactory()

    edit(teacher, price_30=Decimal("20.00"), price_60=Decimal("20.00"))

    teacher.refresh_from_db()
    assert (teacher.price_30, teacher.price_60) == (Decimal("20.00"), Decimal("20.00"))


def test_a_video_link_is_stored_as_its_privacy_friendly_embed():
    teacher = TeacherProfileFactory()

    edit(teacher, video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")

    teacher.refresh_from_db()
    assert teacher.intro_video_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
