from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from petittalk.accounts.access import role_required, student_required
from petittalk.accounts.models import Role
from petittalk.orders.selectors import order_with_details, orders_visible_to


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
