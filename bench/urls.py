"""The site's addresses plus /bench/bare/: a bare Django view behind the same settings and
middleware, the ceiling every page is compared with. Production code never has it."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config import urls as site_urls


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), *site_urls.urlpatterns]

handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500
