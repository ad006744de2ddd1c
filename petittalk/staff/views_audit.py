"""Staff pages of the audit log: the whole log, and a lesson's page with its history."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from petittalk.accounts.access import staff_required
from petittalk.audit.selectors import audit_entries, audit_history
from petittalk.audit.services import object_ref
from petittalk.bookings.selectors import booking_for
from petittalk.bookings.services import booking_cancellation_terms
from petittalk.orders.selectors import orders_for_booking
from petittalk.staff.forms import AuditFilterForm


@staff_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """Every entry, newest first, filterable by object and by who acted."""
    form = AuditFilterForm(request.GET)
    if form.is_valid():
        filters = {name: value for name, value in form.cleaned_data.items() if value}
        entries = audit_entries(
            object_type=filters.get("object_type", ""),
            object_id=filters.get("object_id", ""),
            actor_email=filters.get("actor", ""),
        )
    else:  # a filter that cannot be applied lists nothing, rather than everything
        filters, entries = {}, audit_entries().none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/audit_list.html",
        {"form": form, "page": page, "filtered": bool(filters), "query": urlencode(filters)},
    )


@staff_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One lesson: what it is, the orders it was in, and everything recorded about both."""
    booking = booking_for(request.user, pk)
    orders = list(orders_for_booking(request.user, booking))
    history = audit_history([object_ref(booking), *(object_ref(order) for order in orders)])
    terms = booking_cancellation_terms(booking, by=request.user)
    return render(
        request,
        "staff/booking_detail.html",
        {"booking": booking, "orders": orders, "history": history, "can_cancel": terms.allowed},
    )
