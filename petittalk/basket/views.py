from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from petittalk.accounts.access import student_required
from petittalk.basket.forms import CodeForm
from petittalk.basket.selectors import (
    SESSION_CODE,
    basket_changes_at,
    basket_code,
    basket_count,
    basket_for,
)
from petittalk.bookings import selectors as booking_selectors
from petittalk.bookings import services as booking_services
from petittalk.core import versions
from petittalk.core.pagecache import cached_private_page


@student_required
@require_GET
def detail(request: HttpRequest) -> HttpResponse:
    # Kept for this student alone, under the versions of all it shows: their own lessons and
    # account, the teachers named, the offers and their uses; and the code they entered.
    return cached_private_page(
        request,
        name="basket",
        content_versions=lambda: versions.read(
            [
                versions.person_scope(request.user.pk),
                versions.TEACHERS,
                versions.OFFERS,
                versions.OFFER_USES,
            ]
        ),
        render=lambda: _basket_page(request),
        extra_key=basket_code(request),
    )


def _basket_page(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    basket = basket_for(request.user, code=basket_code(request), now=now)
    response = render(request, "basket/detail.html", {"basket": basket})
    response.changes_at = basket_changes_at(basket, now=now)
    return response


@student_required
@require_POST
def apply_code(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["code"][0])
        return redirect("basket:detail")
    code = form.cleaned_data["code"]
    request.session[SESSION_CODE] = code
    if code:
        basket = basket_for(request.user, code=code, now=timezone.now())
        # A refused code is explained once, beside the code box, with a way to remove it.
        if not basket.code_note:
            messages.success(request, f"Code {code} applied.")
    return redirect("basket:detail")


@student_required
@require_POST
def remove_code(request: HttpRequest) -> HttpResponse:
    if request.session.pop(SESSION_CODE, ""):
        messages.success(request, "The code is removed.")
    return redirect("basket:detail")


@student_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    booking = booking_selectors.booking_for(request.user, pk)
    try:
        booking_services.booking_release_hold(booking=booking, by=request.user)
    except booking_services.BookingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The lesson is out of your basket and the time is free again.")
    if request.htmx:
        # Swapped in place; the navigation's count hears the event and refreshes itself.
        response = _basket_page(request)
        response["HX-Trigger"] = "basketChanged"
        return response
    return redirect("basket:detail")


@require_GET
def count(request: HttpRequest) -> HttpResponse:
    """The number in the navigation's basket link, refreshed by htmx when the basket changes."""
    number = 0
    if request.user.is_authenticated and request.user.is_student:
        number = basket_count(request.user, now=timezone.now())
    return render(request, "basket/_count.html", {"basket_count": number})
