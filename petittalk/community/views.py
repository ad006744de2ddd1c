"""The community's pages: your testimonials, writing one, the contact form, the offers page."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from petittalk.accounts.access import role_required
from petittalk.accounts.models import Role
from petittalk.community import selectors, services
from petittalk.community.forms import ContactForm, TestimonialForm
from petittalk.core import pagecache, versions
from petittalk.offers.selectors import live_offers, live_offers_change_at

author_required = role_required(Role.STUDENT, Role.TEACHER)


@author_required
@require_GET
def testimonial_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "community/testimonial_list.html",
        {
            "testimonials": selectors.testimonials_of(request.user),
            "has_pending": selectors.has_pending_testimonial(request.user),
        },
    )


@author_required
@require_http_methods(["GET", "POST"])
def testimonial_new(request: HttpRequest) -> HttpResponse:
    form = TestimonialForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.consume(request, action="testimonial_submit", user=request.user):
            return render(
                request,
                "community/testimonial_form.html",
                {"form": form, "limited": True},
                status=429,
            )
        try:
            services.testimonial_submit(author=request.user, text=form.cleaned_data["text"])
        except services.CommunityError as exc:
            form.add_error("text", str(exc))
        else:
            messages.success(request, "Thank you! Your testimonial will show once we approve it.")
            return redirect("community:testimonial_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "community/testimonial_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            # A bot filled the hidden field: it sees the usual answer, nothing is stored or sent.
            return render(request, "community/contact_sent.html")
        key = (data["email"] or "").strip().lower()
        if not ratelimit.consume(request, action="contact_message", key=key):
            return render(
                request, "community/contact.html", {"form": form, "limited": True}, status=429
            )
        try:
            services.contact_message_submit(
                name=data["name"],
                email=data["email"],
                subject=data["subject"],
                message=data["message"],
            )
        except services.CommunityError as exc:
            form.add_error(None, str(exc))
        else:
            return render(request, "community/contact_sent.html")
    status = 400 if request.method == "POST" else 200
    return render(request, "community/contact.html", {"form": form}, status=status)


def offer_list(request: HttpRequest) -> HttpResponse:
    def render_offers() -> HttpResponse:
        now = timezone.now()
        offers = live_offers(now)
        response = render(request, "community/offer_list.html", {"offers": offers})
        response.changes_at = live_offers_change_at(offers, now)
        return response

    return pagecache.cached_public_page(
        request,
        name="offers",
        content_versions=lambda: versions.read([versions.TEACHERS, versions.OFFERS]),
        render=render_offers,
    )
