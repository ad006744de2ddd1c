from django.urls import path

from petittalk.staff import (
    views,
    views_audit,
    views_community,
    views_dashboard,
    views_newsletter,
    views_offers,
    views_reviews,
)

app_name = "staff"

urlpatterns = [
    path("", views_dashboard.home, name="home"),
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
    path("newsletter/", views_newsletter.subscriber_list, name="subscriber_list"),
    path("newsletter/export/", views_newsletter.subscriber_export, name="subscriber_export"),
    path(
        "newsletter/<int:pk>/unsubscribe/",
        views_newsletter.subscriber_unsubscribe,
        name="subscriber_unsubscribe",
    ),
    path("campaigns/", views_newsletter.campaign_list, name="campaign_list"),
    path("campaigns/new/", views_newsletter.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views_newsletter.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views_newsletter.campaign_edit, name="campaign_edit"),
    path(
        "campaigns/<int:pk>/progress/",
        views_newsletter.campaign_progress,
        name="campaign_progress",
    ),
    path(
        "campaigns/<int:pk>/test/", views_newsletter.campaign_send_test, name="campaign_send_test"
    ),
    path("campaigns/<int:pk>/send/", views_newsletter.campaign_send, name="campaign_send"),
    path("campaigns/<int:pk>/resume/", views_newsletter.campaign_resume, name="campaign_resume"),
    path("bookings/<int:pk>/", views_audit.booking_detail, name="booking_detail"),
    path("testimonials/", views_community.testimonial_list, name="testimonial_list"),
    path(
        "testimonials/<int:pk>/approve/",
        views_community.testimonial_approve,
        name="testimonial_approve",
    ),
    path(
        "testimonials/<int:pk>/reject/",
        views_community.testimonial_reject,
        name="testimonial_reject",
    ),
    path(
        "testimonials/<int:pk>/delete/",
        views_community.testimonial_delete,
        name="testimonial_delete",
    ),
    path("contact/", views_community.contact_list, name="contact_list"),
    path("contact/<int:pk>/", views_community.contact_detail, name="contact_detail"),
    path(
        "contact/<int:pk>/handled/",
        views_community.contact_mark_handled,
        name="contact_mark_handled",
    ),
    path("reviews/", views_reviews.review_list, name="review_list"),
    path("reviews/<int:pk>/hide/", views_reviews.review_hide, name="review_hide"),
    path("reviews/<int:pk>/unhide/", views_reviews.review_unhide, name="review_unhide"),
]
