"""Staff pages for the newsletter: thin views over its selectors, forms and services."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from petittalk.accounts.access import staff_required
from petittalk.newsletter import selectors, services, wording
from petittalk.newsletter.export import subscriber_rows
from petittalk.newsletter.forms import CampaignForm, SubscriberFilterForm
from petittalk.newsletter.models import CampaignStatus

SUBSCRIBERS_PER_PAGE = 50
CAMPAIGNS_PER_PAGE = 30


def _filtered_subscribers(request: HttpRequest):
    form = SubscriberFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, selectors.subscribers_for_staff(
        query=filters.get("q", ""), status=filters.get("status", "")
    )


@staff_required
@require_GET
def subscriber_list(request: HttpRequest) -> HttpResponse:
    form, subscribers = _filtered_subscribers(request)
    page = Paginator(subscribers, SUBSCRIBERS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "staff/subscriber_list.html",
        {
            "form": form,
            "page": page,
            "counts": selectors.subscriber_counts(),
            "query": query.urlencode(),
        },
    )


class _Echo:
    """A file-like object that hands each CSV line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


@staff_required
@require_GET
def subscriber_export(request: HttpRequest) -> StreamingHttpResponse:
    _, subscribers = _filtered_subscribers(request)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in subscriber_rows(subscribers.iterator())),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.csv"'
    return response


@staff_required
@require_POST
def subscriber_unsubscribe(request: HttpRequest, pk: int) -> HttpResponse:
    subscriber = services.subscriber_unsubscribe(
        subscriber=selectors.subscriber_for_staff(pk),
        source=request.path,
        shown=wording.STAFF_UNSUBSCRIBE,
        actor=request.user,
    )
    messages.success(request, f"{subscriber.email} is unsubscribed.")
    return redirect("staff:subscriber_list")


@staff_required
@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.campaigns_for_staff(), CAMPAIGNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "staff/campaign_list.html", {"page": page})


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(**form.cleaned_data, actor=request.user)
        except services.NewsletterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The draft is saved. Check the preview, then send a test.")
            return redirect("staff:campaign_detail", pk=campaign.pk)
    return render(request, "staff/campaign_form.html", {"form": form, "campaign": None})


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for_staff(pk)
    initial = {
        "subject": campaign.subject,
        "body_text": campaign.body_text,
        "body_html": campaign.body_html,
    }
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(campaign=campaign, **form.cleaned_data, actor=request.user)
        except services.NewsletterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The draft is saved.")
            return redirect("staff:campaign_detail", pk=campaign.pk)
    return render(request, "staff/campaign_form.html", {"form": form, "campaign": campaign})


@staff_required
@require_GET
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for_staff(pk)
    return render(
        request,
        "staff/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": selectors.campaign_progress(campaign),
            "statuses": CampaignStatus,
        },
    )


@staff_required
@require_GET
def campaign_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The figures alone, polled by htmx while the campaign is sending."""
    campaign = selectors.campaign_for_staff(pk)
    return render(
        request,
        "staff/_campaign_progress.html",
        {
            "campaign": campaign,
            "progress": selectors.campaign_progress(campaign),
            "statuses": CampaignStatus,
        },
    )


@staff_required
@require_POST
def campaign_send_test(request: HttpRequest, pk: int) -> HttpResponse:
    services.campaign_send_test(campaign=selectors.campaign_for_staff(pk), actor=request.user)
    messages.success(request, f"A test is on its way to {request.user.email}.")
    return redirect("staff:campaign_detail", pk=pk)


@staff_required
@require_POST
def campaign_send(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        campaign = services.campaign_send(
            campaign=selectors.campaign_for_staff(pk), actor=request.user
        )
    except services.NewsletterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Sending to {campaign.total} subscribers.")
    return redirect("staff:campaign_detail", pk=pk)


@staff_required
@require_POST
def campaign_resume(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.campaign_resume(campaign=selectors.campaign_for_staff(pk), actor=request.user)
    except services.NewsletterError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "A worker will carry on with the queued emails.")
    return redirect("staff:campaign_detail", pk=pk)
