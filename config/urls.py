from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from petittalk.accounts import views as account_views
from petittalk.bookings import views as booking_views
from petittalk.core import views as core_views
from petittalk.orders import views as order_views
from petittalk.pages import views as page_views
from petittalk.pages.sitemaps import SITEMAPS
from petittalk.teachers import views as teacher_views

admin.site.site_header = "Petit Talk administration"
admin.site.site_title = "Petit Talk admin"

# The teachers' pages, composed here: the directory and profile editing are the teachers app's,
# the public page (with free times) and the teacher's home (with lessons) are bookings' views.
TEACHER_PAGES = (
    [
        path("teachers/", teacher_views.directory, name="directory"),
        path("teachers/<slug:slug>/", booking_views.teacher_detail, name="detail"),
        path("dashboard/teacher/", booking_views.teacher_dashboard, name="dashboard"),
        path("dashboard/teacher/profile/", teacher_views.profile_edit, name="profile_edit"),
    ],
    "teachers",
)

urlpatterns = [
    path("", include("petittalk.pages.urls")),
    path("", include(TEACHER_PAGES)),
    path("", include("petittalk.accounts.urls")),
    path("", include("petittalk.bookings.urls")),
    path("dashboard/teacher/availability/", include("petittalk.bookings.availability_urls")),
    path("dashboard/", account_views.dashboard, name="dashboard"),
    path("staff/offers/", include("petittalk.offers.urls")),
    path("staff/", include("petittalk.staff.urls")),
    path("basket/", include("petittalk.basket.urls")),
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
