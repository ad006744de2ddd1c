from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from petittalk.accounts.access import role_required, student_required
from petittalk.accounts.models import Role
from petittalk.bookings import selectors as booking_selectors
from petittalk.bookings import services as booking_services
from petittalk.orders.selectors import order_with_details, orders_visible_to, refundable_amounts


@student_required
def order_list(request: HttpRequest) -> HttpResponse:
    orders = (
        orders_visible_to(request.user)
        .filter(student=request.user)
        .annotate(line_count=Count("lines"))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(orders, 20).get_page(request.GET.get("page"))
    return render(request, "orders/list.html", {"page": page})


@role_required(Role.STUDENT, Role.STAFF)
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    """The order page, printable as a receipt (another student's order is a 404)."""
    order = order_with_details(request.user, number)
    return render(request, "orders/detail.html", {"order": order})


@role_required(Role.STUDENT, Role.TEACHER, Role.STAFF)
@require_http_methods(["GET", "POST"])
def lesson_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a lesson, saying first what goes back: the bookings' policy decides whether it is
    refunded, the order says how much the lesson really cost (after discounts)."""
    booking = booking_selectors.booking_for(request.user, pk)
    if request.method == "POST":
        try:
            booking_services.booking_cancel(booking=booking, by=request.user)
        except booking_services.BookingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "The lesson is cancelled.")
        return redirect("dashboard")
    terms = booking_services.booking_cancellation_terms(booking, by=request.user)
    refund = refundable_amounts([booking])[booking.pk] if terms.refunded else None
    return render(
        request, "orders/lesson_cancel.html", {"booking": booking, "terms": terms, "refund": refund}
    )
