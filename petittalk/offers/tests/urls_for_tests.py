"""The project's URLs plus the staff offer pages, until config/urls.py mounts them itself."""

from django.urls import include, path

from config import urls as project

MOUNT = "staff/offers/"

_mounted = any(getattr(p, "namespace", None) == "offers" for p in project.urlpatterns)

urlpatterns = [
    *([] if _mounted else [path(MOUNT, include("petittalk.offers.urls"))]),
    *project.urlpatterns,
]

handler400 = project.handler400
handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500
