"""Every admin list and add page opens for staff (catches a broken admin definition)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from petittalk.accounts.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label != "django_tasks_database"],
    ids=lambda m: m._meta.label,
)
def test_admin_pages_open(client, model):
    client.force_login(StaffFactory(is_superuser=True))
    opts = model._meta
    assert (
        client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).status_code
        == 200
    )
    add = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code in (200, 403)
