"""Staff hide a review (with a reason its author sees) and show it again, from /staff/reviews/."""

from __future__ import annotations

import pytest
from django.urls import reverse

from petittalk.accounts.tests.factories import StaffFactory, StudentFactory
from petittalk.audit.models import AuditEntry
from petittalk.reviews.tests.factories import ReviewFactory

pytestmark = pytest.mark.django_db


def test_staff_hide_a_review_with_a_reason_and_show_it_again(client):
    review = ReviewFactory(text="Rude words")
    staff = StaffFactory()
    client.force_login(staff)
    listing = client.get(reverse("staff:review_list")).text
    assert "Rude words" in listing

    client.post(reverse("staff:review_hide", args=[review.pk]), {"reason": "Insults"})
    review.refresh_from_db()
    assert review.is_hidden and review.hidden_reason == "Insults" and review.hidden_by == staff
    hidden = client.get(reverse("staff:review_list") + "?visibility=hidden").text
    assert "Rude words" in hidden and "Insults" in hidden

    client.post(reverse("staff:review_unhide", args=[review.pk]))
    review.refresh_from_db()
    assert not review.is_hidden
    assert AuditEntry.objects.filter(action__startswith="review.").count() == 2


def test_hiding_without_a_reason_is_refused_with_a_message(client):
    review = ReviewFactory()
    client.force_login(StaffFactory())
    response = client.post(
        reverse("staff:review_hide", args=[review.pk]), {"reason": ""}, follow=True
    )
    assert "This field is required" in response.text
    review.refresh_from_db()
    assert not review.is_hidden


@pytest.mark.parametrize("name", ["staff:review_hide", "staff:review_unhide"])
def test_non_staff_get_a_404_and_nothing_changes(client, name):
    review = ReviewFactory()
    client.force_login(StudentFactory())
    assert client.get(reverse("staff:review_list")).status_code == 404
    assert client.post(reverse(name, args=[review.pk]), {"reason": "x"}).status_code == 404
    review.refresh_from_db()
    assert not review.is_hidden
