"""Offers starting in the year 1 or 9999: refused by the form and the service; an offer already
stored with such a date still shows on every staff page."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from petittalk.accounts.tests.factories import StaffFactory
from petittalk.offers import services
from petittalk.offers.models import Offer, OfferKind
from petittalk.offers.tests.factories import OfferFactory
from petittalk.offers.tests.test_offer_form import form_data

pytestmark = pytest.mark.django_db

LIST, NEW = "/staff/offers/", "/staff/offers/new/"


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(timezone="Europe/Paris", is_superuser=True))
    return client


@pytest.mark.parametrize(
    "dates",
    [
        {"valid_from": "0001-01-01T00:00"},
        {"valid_from": "9999-12-31T23:30", "valid_until": None},
        {"valid_until": "9999-12-31T23:59"},
    ],
    ids=["starts-year-1", "starts-year-9999", "ends-year-9999"],
)
def test_an_offer_with_an_extreme_date_is_refused_and_not_saved(staff_client, dates):
    response = staff_client.post(NEW, form_data(**dates))

    assert response.status_code == 200
    assert "Choose a date between 2000 and 2100." in response.text
    assert not Offer.objects.exists()


def test_editing_an_offer_to_an_extreme_date_is_refused_and_keeps_it(staff_client):
    offer = OfferFactory(valid_from=datetime(2026, 4, 1, tzinfo=UTC))

    response = staff_client.post(
        f"/staff/offers/{offer.pk}/edit/", form_data(valid_from="0001-01-01T00:00")
    )

    assert response.status_code == 200
    assert "Choose a date between 2000 and 2100." in response.text
    offer.refresh_from_db()
    assert offer.valid_from == datetime(2026, 4, 1, tzinfo=UTC)


def test_the_offer_service_itself_refuses_an_extreme_date():
    with pytest.raises(services.OfferError, match="between 2000 and 2100"):
        services.offer_create(
            settings=services.OfferSettings(
                name="Far future",
                kind=OfferKind.PERCENT,
                value=Decimal("10"),
                valid_from=datetime(9999, 12, 31, 23, 30, tzinfo=UTC),
            )
        )
    assert not Offer.objects.exists()


@pytest.fixture
def stored_extreme_offer():
    # Saved before dates were bounded: Paris time of this instant is in the year 10000.
    return OfferFactory(
        name="Far future",
        valid_from=datetime(9999, 12, 31, 23, 30, tzinfo=UTC),
        valid_until=datetime(9999, 12, 31, 23, 45, tzinfo=UTC),
    )


def test_the_staff_offer_list_shows_an_offer_stored_with_an_extreme_date(
    staff_client, stored_extreme_offer
):
    response = staff_client.get(LIST)

    assert response.status_code == 200
    assert "Far future" in response.text


def test_the_edit_page_opens_for_an_offer_stored_with_an_extreme_date(
    staff_client, stored_extreme_offer
):
    response = staff_client.get(f"/staff/offers/{stored_extreme_offer.pk}/edit/")

    assert response.status_code == 200
    assert "Far future" in response.text


def test_the_admin_offer_list_shows_an_offer_stored_with_an_extreme_date(
    staff_client, stored_extreme_offer
):
    response = staff_client.get("/admin/offers/offer/")

    assert response.status_code == 200
    assert "Far future" in response.text


def test_the_admin_change_page_opens_for_an_offer_stored_with_an_extreme_date(
    staff_client, stored_extreme_offer
):
    response = staff_client.get(f"/admin/offers/offer/{stored_extreme_offer.pk}/change/")

    assert response.status_code == 200
    assert "Far future" in response.text
