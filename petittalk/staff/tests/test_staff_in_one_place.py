"""Every staff page lives in the staff app, under the `staff` namespace, at the same paths."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, resolve, reverse

OFFER_PAGES = [
    ("staff:offer_list", {}, "/staff/offers/"),
    ("staff:offer_create", {}, "/staff/offers/new/"),
    ("staff:offer_edit", {"pk": 7}, "/staff/offers/7/edit/"),
    ("staff:offer_deactivate", {"pk": 7}, "/staff/offers/7/deactivate/"),
]


@pytest.mark.parametrize(("name", "kwargs", "path"), OFFER_PAGES)
def test_the_offer_staff_pages_keep_their_paths_under_the_staff_namespace(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).func.__module__.startswith("petittalk.staff.")


def test_the_offers_app_no_longer_has_staff_pages():
    with pytest.raises(NoReverseMatch):
        reverse("offers:list")
