"""/offers/: every live offer with its terms; the home page links to it when it shows fewer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from petittalk.community import models
from petittalk.community.tests import factories
from petittalk.offers.selectors import candidate_offers
from petittalk.offers.tests.factories import OfferFactory, OfferRedemptionFactory
from petittalk.teachers.tests.factories import TeacherProfileFactory
from petittalk.testing.caches import forget_cached_content

pytestmark = pytest.mark.django_db


def visit(client, url: str) -> str:
    client.cookies.clear()
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_only_live_offers_are_listed(client):
    now = timezone.now()
    OfferFactory(name="Spring sale", valid_until=now + dt.timedelta(days=3))
    OfferFactory(name="Winter sale", valid_until=now - dt.timedelta(days=1))
    OfferFactory(name="Summer sale", valid_from=now + dt.timedelta(days=30))
    OfferFactory(name="Switched off", is_active=False)
    used_up = OfferFactory(name="Last ten", max_uses=1)
    OfferRedemptionFactory(offer=used_up)
    OfferFactory(name="Code deal", code="BONJOUR", is_featured=False)

    page = visit(client, "/offers/")

    assert "Spring sale" in page and "Code deal" in page
    for gone in ("Winter sale", "Summer sale", "Switched off", "Last ten"):
        assert gone not in page


def test_a_code_handed_out_privately_is_listed_nowhere_but_still_applies(client):
    OfferFactory(name="Lycée Molière", code="MOLIERE", is_public=False, is_featured=True, value=30)

    assert "Lycée Molière" not in visit(client, "/offers/")
    assert "Lycée Molière" not in visit(client, "/")
    offered = candidate_offers(student=None, now=timezone.now(), entered_code="MOLIERE")
    assert [rule.code for rule in offered] == ["MOLIERE"]


def test_each_offer_shows_its_terms_and_links_to_its_teachers(client):
    now = timezone.now()
    claire = TeacherProfileFactory(user__display_name="Claire")
    OfferFactory(
        name="Pack with Claire",
        code="CLAIRE5",
        min_lessons=5,
        valid_from=now - dt.timedelta(days=1),
        valid_until=now + dt.timedelta(days=10),
        teachers=[claire],
    )
    OfferFactory(name="For everyone")

    page = visit(client, "/offers/")

    assert "CLAIRE5" in page
    assert "From 5 lessons in one order" in page
    assert f'href="{claire.get_absolute_url()}">Claire</a>' in page
    assert "Applied automatically" in page
    assert "Ends " in page and "Started " in page
    assert 'href="/teachers/">any teacher</a>' in page


def test_a_changed_offer_shows_on_the_cached_page_at_once(client):
    offer = OfferFactory(name="Spring sale")
    assert "Spring sale" in visit(client, "/offers/")

    offer.is_active = False
    offer.save()

    assert "Spring sale" not in visit(client, "/offers/")


def test_an_empty_offers_page_says_so(client):
    assert "No offers right now" in visit(client, "/offers/")


def queries_for(client, url: str) -> int:
    forget_cached_content()
    client.cookies.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(
        [q for q in captured if "petittalk_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
    )


def make_offers_and_testimonials(count: int) -> None:
    for n in range(count):
        OfferFactory(is_featured=True, teachers=[TeacherProfileFactory()], max_uses=n + 5)
        teacher = TeacherProfileFactory(photo_thumbnail=f"teachers/t{n}.jpg")
        factories.TestimonialFactory(status=models.TestimonialStatus.APPROVED, author=teacher.user)
        factories.TestimonialFactory(status=models.TestimonialStatus.APPROVED)


@pytest.mark.parametrize("url", ["/offers/", "/"])
def test_pages_cost_the_same_queries_with_1_or_10_offers_and_testimonials(client, url):
    make_offers_and_testimonials(1)
    with_one = queries_for(client, url)
    make_offers_and_testimonials(9)
    with_ten = queries_for(client, url)
    assert with_one == with_ten
    print(f"{url}: {with_ten} queries")


def test_the_home_page_links_to_the_offers_page_when_more_are_live_than_shown(client):
    for n in range(3):
        OfferFactory(name=f"Featured {n}", is_featured=True)
    assert 'href="/offers/">See all offers' not in visit(client, "/")

    OfferFactory(name="Not featured")

    home = visit(client, "/")
    assert 'href="/offers/">See all offers' in home
    assert "Not featured" not in home


def test_the_sitemap_lists_the_offers_and_contact_pages(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/offers/</loc>" in sitemap and "/contact/</loc>" in sitemap


def test_a_cached_offers_page_costs_one_query(client):
    make_offers_and_testimonials(3)
    visit(client, "/offers/")
    client.cookies.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/offers/").status_code == 200
    assert len(captured) == 1, [q["sql"] for q in captured]
