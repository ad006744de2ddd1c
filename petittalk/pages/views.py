from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from petittalk.core import pagecache, versions
from petittalk.offers.selectors import featured_offers, featured_offers_change_at
from petittalk.teachers import selectors as teacher_selectors


def home(request: HttpRequest) -> HttpResponse:
    def render_home() -> HttpResponse:
        now = timezone.now()
        offers = featured_offers(now, limit=3)
        response = render(
            request,
            "pages/home.html",
            {
                "featured_teachers": teacher_selectors.featured_teachers(limit=4),
                "specialties": teacher_selectors.specialties(),
                "featured_offers": offers,
                # Filled by the community work; the home page has its slot already.
                "testimonials": [],
            },
        )
        response.changes_at = featured_offers_change_at(offers, now)
        return response

    return pagecache.cached_public_page(
        request,
        name="home",
        content_versions=lambda: versions.read([versions.TEACHERS, versions.OFFERS]),
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
