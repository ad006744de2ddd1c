"""Staff pages for offers: thin views over the offers' selectors, form and services."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from petittalk.accounts.access import staff_required
from petittalk.offers import selectors, services
from petittalk.offers.forms import OfferForm
from petittalk.offers.models import Offer

OFFERS_PER_PAGE = 50


@staff_required
def offer_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.offers_for_staff(), OFFERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "staff/offer_list.html", {"page": page, "now": timezone.now()})


@staff_required
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest) -> HttpResponse:
    form = OfferForm(request.POST or None, instance=Offer())
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(**form.changes(), actor=request.user)
        except services.OfferError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The offer “{offer.name}” is saved.")
            return redirect("staff:offer_list")
    return render(request, "staff/offer_form.html", {"form": form, "offer": None, "title": ""})


@staff_required
@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    offer = selectors.offer_for_staff(pk)
    saved_name = offer.name  # a bound ModelForm writes the submitted values onto its instance
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_update(offer=offer, **form.changes(), actor=request.user)
        except services.OfferError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The offer “{offer.name}” is saved.")
            return redirect("staff:offer_list")
    return render(
        request, "staff/offer_form.html", {"form": form, "offer": offer, "title": saved_name}
    )


@staff_required
@require_POST
def offer_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    offer = services.offer_deactivate(offer=selectors.offer_for_staff(pk), actor=request.user)
    messages.success(request, f"The offer “{offer.name}” no longer applies.")
    return redirect("staff:offer_list")
