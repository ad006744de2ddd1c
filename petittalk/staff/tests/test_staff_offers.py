"""Staff manage offers on the staff pages: bad input writes nothing; the pages are staff-only."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.offers.models import Offer, OfferKind
from petittalk.offers.tests.factories import OfferFactory, OfferRedemptionFactory
from petittalk.offers.tests.test_offer_form import form_data
from petittalk.teachers.tests.factories import TeacherProfileFactory

pytestmark = pytest.mark.django_db

LIST, NEW = "/staff/offers/", "/staff/offers/new/"


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(timezone="Europe/Paris"))
    return client


def test_staff_create_an_offer_stored_with_an_upper_case_code_in_their_time_zone(staff_client):
    claire = TeacherProfileFactory(user__display_name="Claire")
    response = staff_client.post(NEW, form_data(teachers=[claire.pk]))

    assert response.status_code == 302 and response.url == LIST
    offer = Offer.objects.get()
    assert offer.code == "SPRING-26"
    assert offer.value == Decimal("20.00")
    assert offer.valid_from == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # midnight in Paris
    assert list(offer.teachers.all()) == [claire]
    assert (offer.max_uses, offer.max_uses_per_student) == (None, 1)
    assert "Spring sale" in staff_client.get(LIST).text


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"value": "101"}, "value", "A percentage can't be more than 100."),
        ({"value": "0"}, "value", "enter a percentage above 0"),
        ({"kind": "fixed", "value": "-5"}, "value", "The value can't be negative."),
        ({"kind": "fixed", "value": "0"}, "value", "enter an amount above 0"),
        ({"kind": "trial_price", "value": ""}, "value", "Enter the first lesson's price"),
        ({"kind": "percent", "value": ""}, "value", "Enter the percentage off."),
        ({"valid_until": "2026-03-01T00:00"}, "valid_until", "The end must be after the start."),
        ({"valid_until": "2026-04-01T00:00"}, "valid_until", "The end must be after the start."),
        ({"kind": "buy_n_get_m", "value": ""}, "buy_quantity", "how many lessons the student buys"),
        (
            {"kind": "buy_n_get_m", "buy_quantity": "5", "free_quantity": "0"},
            "free_quantity",
            "how many lessons are then free",
        ),
        ({"code": "SPRING SALE"}, "code", "no spaces"),
        ({"code": "été!"}, "code", "Use only letters, digits"),
        ({"code": "X" * 31}, "code", "at most 30 characters"),
        ({"min_lessons": "0"}, "min_lessons", "at least 1 lesson"),
        ({"max_uses": "0"}, "max_uses", "allow at least 1 use"),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_the_form_refuses_nonsense_and_nothing_is_written(staff_client, changes, field, message):
    response = staff_client.post(NEW, form_data(**changes))

    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert any(message in error for error in form.errors[field]), form.errors
    assert not Offer.objects.exists()


def test_a_code_already_used_by_another_offer_is_refused_whatever_its_case(staff_client):
    OfferFactory(code="SPRING-26")
    response = staff_client.post(NEW, form_data(code="Spring-26"))
    assert response.context["form"].errors["code"] == ["Another offer already uses this code."]
    assert Offer.objects.count() == 1


def test_staff_edit_an_offer_keeping_its_own_code(staff_client):
    offer = OfferFactory(code="SPRING-26", name="Old name")
    marc = TeacherProfileFactory()
    response = staff_client.post(
        f"/staff/offers/{offer.pk}/edit/",
        form_data(name="New name", kind="fixed", value="5", teachers=[marc.pk]),
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert (offer.name, offer.kind, offer.value) == ("New name", OfferKind.FIXED, Decimal("5.00"))
    assert list(offer.teachers.all()) == [marc]


def test_the_edit_page_shows_the_current_values(staff_client):
    offer = OfferFactory(code="WELCOME", name="Welcome offer")
    page = staff_client.get(f"/staff/offers/{offer.pk}/edit/").text
    assert 'value="WELCOME"' in page and "Welcome offer" in page


def test_staff_deactivate_an_offer_by_post_only(staff_client):
    offer = OfferFactory()
    url = f"/staff/offers/{offer.pk}/deactivate/"
    assert staff_client.get(url).status_code == 405
    assert staff_client.post(url).status_code == 302
    offer.refresh_from_db()
    assert offer.is_active is False


def test_the_list_shows_each_offer_with_its_uses(staff_client):
    offer = OfferFactory(name="Autumn", code="AUTUMN", max_uses=5)
    OfferRedemptionFactory.create_batch(2, offer=offer)
    OfferFactory(name="Gone", is_active=False)
    page = staff_client.get(LIST).text
    assert "Autumn" in page and "AUTUMN" in page and "2 / 5" in page
    assert "Inactive" in page


def test_the_list_costs_the_same_queries_for_3_or_30_offers(staff_client):
    teacher = TeacherProfileFactory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(LIST).status_code == 200
        return len(captured)

    OfferFactory.create_batch(3, teachers=[teacher])
    few = queries()
    OfferFactory.create_batch(27, teachers=[teacher])
    assert queries() == few


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    "path", [LIST, NEW, "/staff/offers/{pk}/edit/", "/staff/offers/{pk}/deactivate/"]
)
def test_students_get_a_404_and_write_nothing(client, method, path):
    offer = OfferFactory(name="Untouched")
    client.force_login(StudentFactory())
    response = getattr(client, method)(path.format(pk=offer.pk), form_data(name="Hacked"))
    assert response.status_code == 404
    offer.refresh_from_db()
    assert (offer.name, offer.is_active, Offer.objects.count()) == ("Untouched", True, 1)


def test_visitors_are_sent_to_log_in(client):
    response = client.get(LIST)
    assert response.status_code == 302 and "/login/" in response.url


def test_the_staff_navigation_marks_offers_as_the_current_tab(staff_client):
    page = staff_client.get(LIST).text
    assert (
        '<a class="button button-ghost button-small" href="/staff/offers/" aria-current="page">'
        in page
    )
