from django.urls import path

from petittalk.staff import views, views_audit, views_offers

app_name = "staff"

urlpatterns = [
    path("", views.home, name="home"),
    path("teachers/", views.teacher_list, name="teacher_list"),
    path("bookings/", views.booking_list, name="booking_list"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<str:number>/", views.order_detail, name="order_detail"),
    path("teachers/invite/", views.teacher_invite, name="teacher_invite"),
    path("teachers/<int:pk>/edit/", views.teacher_edit, name="teacher_edit"),
    path("teachers/<int:pk>/resend-invite/", views.teacher_invite_resend, name="teacher_resend"),
    path("offers/", views_offers.offer_list, name="offer_list"),
    path("offers/new/", views_offers.offer_create, name="offer_create"),
    path("offers/<int:pk>/edit/", views_offers.offer_edit, name="offer_edit"),
    path("offers/<int:pk>/deactivate/", views_offers.offer_deactivate, name="offer_deactivate"),
    path("audit/", views_audit.audit_list, name="audit_list"),
    path("bookings/<int:pk>/", views_audit.booking_detail, name="booking_detail"),
]
