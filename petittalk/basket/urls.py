from django.urls import path

from petittalk.basket import views

app_name = "basket"

urlpatterns = [
    path("", views.detail, name="detail"),
    path("code/", views.apply_code, name="apply_code"),
    path("code/remove/", views.remove_code, name="remove_code"),
    path("lines/<int:pk>/remove/", views.remove, name="remove"),
    path("count/", views.count, name="count"),
]
