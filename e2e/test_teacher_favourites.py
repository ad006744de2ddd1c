"""A teacher's favourites on their public page, neat at desktop and phone widths. Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_teacher_page_shows_the_favourites_filled_in(page: Page, live_server, artifacts_dir):
    teacher = TeacherProfileFactory(
        user__display_name="Claire Dubois",
        is_published=True,
        favourite_word="flâner",
        favourite_film="Le Fabuleux Destin d'Amélie Poulain",
        favourite_song="La Vie en rose",
    )

    for width, name in ((1280, "desktop"), (390, "phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server.url + teacher.get_absolute_url())
        favourites = page.get_by_role("region", name="A few of my favourites")
        expect(favourites).to_contain_text("Favourite French word")
        expect(favourites).to_contain_text("flâner")
        expect(favourites).to_contain_text("Le Fabuleux Destin d'Amélie Poulain")
        expect(favourites).not_to_contain_text("Favourite book")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        favourites.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts_dir / f"teacher-favourites-{name}.png"))
