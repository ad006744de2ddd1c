from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from petittalk.community.selectors import home_testimonials
from petittalk.core import pagecache, versions
from petittalk.offers.selectors import live_offers, live_offers_change_at
from petittalk.teachers import selectors as teacher_selectors

HOME_OFFERS = 3


def home(request: HttpRequest) -> HttpResponse:
    def render_home() -> HttpResponse:
        now = timezone.now()
        # Every live offer (two queries, however many): the featured ones are shown, and the
        # page links to the offers page when there are more than that.
        live = live_offers(now)
        offers = [offer for offer in live if offer.is_featured][:HOME_OFFERS]
        response = render(
            request,
            "pages/home.html",
            {
                "featured_teachers": teacher_selectors.featured_teachers(limit=4),
                "specialties": teacher_selectors.specialties(),
                "featured_offers": offers,
                "more_offers": len(live) > len(offers),
                "testimonials": home_testimonials(),
            },
        )
        # The count of live offers changes when any of them starts, ends or runs out.
        response.changes_at = live_offers_change_at(live, now)
        return response

    return pagecache.cached_public_page(
        request,
        name="home",
        content_versions=lambda: versions.read(
            [versions.TEACHERS, versions.OFFERS, versions.TESTIMONIALS]
        ),
        render=render_home,
    )


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /accounts/",
        "Disallow: /dashboard/",
        "Disallow: /staff/",
        "Disallow: /admin/",
        "Disallow: /invite/",
        "Allow: /",
        f"Sitemap: {sitemap_url}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: is the database answering?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
