from django.urls import path
from django.views.generic import TemplateView

from petittalk.pages import views

app_name = "pages"


def page(template: str) -> TemplateView:
    return TemplateView.as_view(template_name=f"pages/{template}.html")


urlpatterns = [
    path("", views.home, name="home"),
    path("about/", page("about"), name="about"),
    path("terms/", page("terms"), name="terms"),
    path("privacy/", page("privacy"), name="privacy"),
]
