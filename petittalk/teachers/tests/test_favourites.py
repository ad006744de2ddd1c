"""A teacher's favourite French word, film, book and song: edited by them, shown on their page."""

from __future__ import annotations

import pytest

from petittalk.accounts.tests.factories import StaffFactory
from petittalk.teachers import services
from petittalk.teachers.models import Language, Specialty
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db


def profile_data(**overrides) -> dict:
    data = {
        "display_name": "Claire Dubois",
        "headline": "Conversation coach",
        "bio": "Bonjour !",
        "languages": [Language.objects.get(code="en").pk],
        "specialties": [Specialty.objects.get(slug="grammar").pk],
        "price_30": "15.00",
        "price_60": "27.50",
        "intro_video_url": "",
        "favourite_word": "",
        "favourite_film": "",
        "favourite_book": "",
        "favourite_song": "",
    }
    data.update(overrides)
    return data


def test_the_teacher_saves_their_favourites_stripped(client):
    teacher = TeacherProfileFactory()
    client.force_login(teacher.user)

    response = client.post(
        "/dashboard/teacher/profile/",
        profile_data(
            favourite_word="  pamplemousse ",
            favourite_film="Amélie",
            favourite_book="Le Petit Prince",
            favourite_song="La Vie en rose",
        ),
    )

    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.favourite_word == "pamplemousse"
    assert teacher.favourite_film == "Amélie"
    assert teacher.favourite_book == "Le Petit Prince"
    assert teacher.favourite_song == "La Vie en rose"


def test_the_public_page_shows_only_the_favourites_filled_in(client):
    teacher = TeacherProfileFactory(
        is_published=True, favourite_word="pamplemousse", favourite_book="Le Petit Prince"
    )

    page = client.get(teacher.get_absolute_url()).text

    assert "Favourite French word" in page and "pamplemousse" in page
    assert "Favourite book" in page and "Le Petit Prince" in page
    assert "Favourite film" not in page and "Favourite song" not in page


def test_a_teacher_with_no_favourites_shows_no_favourites_section(client):
    teacher = TeacherProfileFactory(is_published=True)

    page = client.get(teacher.get_absolute_url()).text

    assert "Favourite" not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"favourite_word": "x" * 41}, "at most 40 characters"),
        ({"favourite_film": "x" * 121}, "at most 120 characters"),
        ({"favourite_song": "La Vie\nen rose"}, "one line of plain text"),
        ({"favourite_book": "<b>Le Petit Prince</b>"}, "one line of plain text"),
    ],
)
def test_over_long_or_non_plain_favourites_are_refused(client, overrides, message):
    teacher = TeacherProfileFactory()
    client.force_login(teacher.user)

    response = client.post("/dashboard/teacher/profile/", profile_data(**overrides))

    assert response.status_code == 200
    assert message in response.text
    teacher.refresh_from_db()
    assert teacher.headline != "Conversation coach", "nothing was saved"


def test_the_service_refuses_an_over_long_favourite_whoever_calls_it():
    teacher = TeacherProfileFactory(favourite_word="bisou")

    with pytest.raises(services.TeacherProfileError):
        services.teacher_profile_update(
            profile=teacher,
            display_name="Claire",
            headline="",
            bio="",
            languages=[],
            specialties=[],
            price_30=teacher.price_30,
            price_60=teacher.price_60,
            favourite_word="x" * 41,
        )
    teacher.refresh_from_db()
    assert teacher.favourite_word == "bisou"


def test_staff_see_the_favourites_in_the_admin(client):
    teacher = TeacherProfileFactory(favourite_film="Amélie")
    client.force_login(StaffFactory(is_superuser=True))

    page = client.get(f"/admin/teachers/teacherprofile/{teacher.pk}/change/").text

    assert 'name="favourite_film"' in page and "Amélie" in page
