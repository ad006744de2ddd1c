"""Staff pages for offers. Mounted at `staff/offers/` (see config/urls.py)."""

from django.urls import path

from petittalk.offers import views

app_name = "offers"

urlpatterns = [
    path("", views.offer_list, name="list"),
    path("new/", views.offer_create, name="create"),
    path("<int:pk>/edit/", views.offer_edit, name="edit"),
    path("<int:pk>/deactivate/", views.offer_deactivate, name="deactivate"),
]
