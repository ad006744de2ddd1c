from django.urls import path

from petittalk.newsletter import views

app_name = "newsletter"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("account/subscribe/", views.account_subscribe, name="account_subscribe"),
    path("account/unsubscribe/", views.account_unsubscribe, name="account_unsubscribe"),
]
