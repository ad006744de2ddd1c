"""The public newsletter pages: subscribe, confirm, unsubscribe; and the account's buttons."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from petittalk.newsletter import selectors, services, wording
from petittalk.newsletter.forms import SubscribeForm
from petittalk.newsletter.models import SubscriberStatus
from petittalk.newsletter.tokens import BadToken

RATE_LIMIT_ACTION = "newsletter_subscribe"


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None, initial={"source": request.path})
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Counted in the shared cache per address and per IP, like allauth's sign-up limits.
        if not ratelimit.consume(request, action=RATE_LIMIT_ACTION, key=email.lower()):
            return render(
                request, "newsletter/subscribe.html", {"form": form, "limited": True}, status=429
            )
        try:
            services.subscriber_subscribe(email=email, source=form.cleaned_data["source"])
        except services.NewsletterError as exc:
            form.add_error("email", str(exc))
        else:
            # The same page whatever the address's state: it reveals nothing about it.
            return render(request, "newsletter/check_inbox.html")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "newsletter/subscribe.html",
        {"form": form, "wording": wording.SUBSCRIBE},
        status=status,
    )


def _bad_link(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "newsletter/bad_link.html", {"message": message}, status=status)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button; only its POST confirms (mail scanners follow links with GET)."""
    try:
        subscriber, optin_round = selectors.confirm_token_target(token)
    except BadToken as exc:
        return _bad_link(request, str(exc))
    if subscriber is None:
        return _bad_link(request, "This confirmation link is no longer valid. Subscribe again.")
    if request.method == "POST":
        try:
            services.subscriber_confirm(
                subscriber_id=subscriber.pk, optin_round=optin_round, source=request.path
            )
        except services.NewsletterError as exc:
            return _bad_link(request, str(exc), status=409)
        return render(request, "newsletter/confirmed.html")
    if subscriber.optin_round != optin_round or subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        return _bad_link(request, "This confirmation link is no longer valid. Subscribe again.")
    if subscriber.status == SubscriberStatus.CONFIRMED:
        return render(request, "newsletter/confirmed.html", {"already": True})
    return render(request, "newsletter/confirm.html", {"wording": wording.CONFIRM})


@csrf_exempt  # the signed token authenticates it; mail apps POST here with no cookie (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = selectors.subscriber_for_unsubscribe_token(token)
    except BadToken as exc:
        return _bad_link(request, str(exc))
    if request.method == "POST":
        if subscriber is not None:
            one_click = request.POST.get("List-Unsubscribe") == "One-Click"
            services.subscriber_unsubscribe(
                subscriber=subscriber,
                source=request.path,
                shown=wording.ONE_CLICK if one_click else wording.UNSUBSCRIBE,
            )
        return render(request, "newsletter/unsubscribed.html")
    return render(
        request,
        "newsletter/unsubscribe.html",
        {
            "subscribed": subscriber is not None
            and subscriber.status != SubscriberStatus.UNSUBSCRIBED,
            "wording": wording.UNSUBSCRIBE,
        },
    )


@login_required
@require_POST
def account_subscribe(request: HttpRequest) -> HttpResponse:
    subscriber = services.subscriber_subscribe_account(
        user=request.user, source=reverse("accounts:settings")
    )
    if subscriber.status == SubscriberStatus.CONFIRMED:
        messages.success(request, "You are subscribed to the newsletter.")
    else:
        messages.success(request, "Check your inbox: we sent you a link to confirm.")
    return redirect(reverse("accounts:settings") + "#newsletter-heading")


@login_required
@require_POST
def account_unsubscribe(request: HttpRequest) -> HttpResponse:
    subscriber = selectors.subscription_for_user(request.user)
    if subscriber is not None:
        services.subscriber_unsubscribe(
            subscriber=subscriber, source=reverse("accounts:settings"), shown=wording.UNSUBSCRIBE
        )
    messages.success(request, "You are unsubscribed: no more newsletters.")
    return redirect(reverse("accounts:settings") + "#newsletter-heading")
