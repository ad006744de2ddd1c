"""The languages and specialties a data migration creates are there in every test, in any order."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from petittalk.teachers.models import Language, Specialty
from petittalk.teachers.reference import LANGUAGES, SPECIALTIES


@pytest.mark.django_db(transaction=True)
def test_reference_rows_are_back_after_a_transactional_test_empties_the_tables():
    # Exactly what Django runs when a transactional test ends (TransactionTestCase teardown);
    # a plain test that runs next on the same xdist worker must still find the rows.
    call_command("flush", verbosity=0, interactive=False, database="default")

    assert sorted(Language.objects.values_list("code", "name")) == sorted(LANGUAGES)
    assert list(Specialty.objects.order_by("position").values_list("slug", "name")) == SPECIALTIES
