"""Every staff page lives in the staff app, under the `staff` namespace, at the same paths."""

from __future__ import annotations

import re
from pathlib import Path

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


STAFF_VIEWS = [
    Path(__file__).resolve().parents[1] / "views.py",
    Path(__file__).resolve().parents[1] / "views_offers.py",
    Path(__file__).resolve().parents[1] / "views_newsletter.py",
    Path(__file__).resolve().parents[1] / "views_dashboard.py",
    Path(__file__).resolve().parents[1] / "moderation.py",
    Path(__file__).resolve().parents[1] / "views_community.py",
    Path(__file__).resolve().parents[1] / "views_reviews.py",
]


@pytest.mark.parametrize("source", STAFF_VIEWS, ids=lambda path: path.name)
def test_the_staff_views_read_only_through_selectors(source):
    code = source.read_text()
    # No query of their own: a model manager, a 404 shortcut over a model, or ORM expressions.
    for sign in (".objects.", "get_object_or_404", "django.db"):
        assert sign not in code, f"{source.name} uses {sign}"


PETITTALK = Path(__file__).resolve().parents[2]
# `status == "paid"`, `status="paid"`, `status__in=("held", …)`; not `status = ""` (no filter).
STATUS_LITERAL = re.compile(
    r"""status\s*(==|!=|=)\s*["'][a-z_]+["']|status__in\s*=\s*[(\[]\s*["']"""
)


def _sources(pattern: str, root: Path = PETITTALK) -> list[Path]:
    return [
        path
        for path in root.rglob(pattern)
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


@pytest.mark.parametrize("pattern", ["*.py", "*.html"])
def test_no_status_is_compared_with_a_string_literal(pattern):
    """Python and templates everywhere: a renamed status would silently never match."""
    root = PETITTALK
    offenders = [
        f"{path.relative_to(PETITTALK)}:{number}"
        for path in _sources(pattern, root)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if STATUS_LITERAL.search(line)
    ]
    assert offenders == []
