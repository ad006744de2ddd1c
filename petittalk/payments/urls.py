from django.urls import path

from petittalk.payments import views, webhooks

app_name = "payments"

urlpatterns = [
    path("checkout/", views.checkout, name="checkout"),
    path("checkout/pay/<str:number>/", views.pay, name="pay"),
    path("checkout/return/<str:number>/", views.checkout_return, name="return"),
    path("checkout/card/<str:reference>/", views.dummy_card, name="dummy_card"),
    path("webhooks/stripe/", webhooks.stripe_webhook, name="stripe_webhook"),
]
