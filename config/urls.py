from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from petittalk.accounts import urls as account_urls
from petittalk.core import views as core_views
from petittalk.dashboards import urls as dashboard_urls
from petittalk.dashboards import views as dashboard_views
from petittalk.orders import views as order_views
from petittalk.pages import views as page_views
from petittalk.pages.sitemaps import SITEMAPS
from petittalk.reviews import views as review_views
from petittalk.teachers import urls as teacher_urls

admin.site.site_header = "Petit Talk administration"
admin.site.site_title = "Petit Talk admin"

urlpatterns = [
    path("", include("petittalk.pages.urls")),
    # Pages that moved above the data they show keep their names: they join the `teachers` and
    # `accounts` namespaces here (the public teacher page with free times is bookings'; the homes
    # and settings are the dashboards').
    path(
        "",
        include(
            (
                [
                    *teacher_urls.urlpatterns,
                    path("teachers/<slug:slug>/", review_views.teacher_detail, name="detail"),
                    *dashboard_urls.teacher_patterns,
                ],
                "teachers",
            )
        ),
    ),
    path("", include((account_urls.urlpatterns + dashboard_urls.student_patterns, "accounts"))),
    path("", include("petittalk.bookings.urls")),
    path("dashboard/teacher/availability/", include("petittalk.bookings.availability_urls")),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("staff/", include("petittalk.staff.urls")),
    path("basket/", include("petittalk.basket.urls")),
    path("newsletter/", include("petittalk.newsletter.urls")),
    path("", include("petittalk.community.urls")),
    path("reviews/", include("petittalk.reviews.urls")),
    path("", include("petittalk.payments.urls")),
    path("dashboard/orders/", include("petittalk.orders.urls")),
    # Cancelling shows what the lesson cost: the view lives where the money is known (orders).
    path("dashboard/lessons/<int:pk>/cancel/", order_views.lesson_cancel, name="lesson_cancel"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", page_views.robots_txt, name="robots_txt"),
    path("healthz", page_views.healthz, name="healthz"),
]

if settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(
        re_path(rf"^{media_prefix}(?P<path>.+)$", core_views.serve_media, name="media")
    )

handler400 = "petittalk.core.views.bad_request"
handler403 = "petittalk.core.views.permission_denied"
handler404 = "petittalk.core.views.page_not_found"
handler500 = "petittalk.core.views.server_error"
