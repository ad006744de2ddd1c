from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from petittalk.teachers.models import TeacherProfile
from petittalk.teachers.selectors import published_teachers


class StaticPagesSitemap(Sitemap):
    changefreq = "weekly"

    def items(self) -> list[str]:
        return [
            "pages:home",
            "teachers:directory",
            "community:offer_list",
            "pages:about",
            "pages:terms",
            "pages:privacy",
            "community:contact",
        ]

    def location(self, item: str) -> str:
        return reverse(item)

    def priority(self, item: str) -> float:
        return {"pages:home": 1.0, "teachers:directory": 0.9}.get(item, 0.3)


class TeacherSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return published_teachers().order_by("pk")

    def lastmod(self, teacher: TeacherProfile):
        return teacher.updated_at


SITEMAPS = {"pages": StaticPagesSitemap, "teachers": TeacherSitemap}
