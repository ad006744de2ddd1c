from django.urls import path

from petittalk.bookings import feeds, views

app_name = "bookings"

urlpatterns = [
    path("teachers/<slug:slug>/slots/", views.slot_picker, name="slot_picker"),
    path("book/<slug:slug>/", views.book, name="book"),
    path("dashboard/lessons/<int:pk>/accept/", views.accept, name="accept"),
    path("dashboard/lessons/<int:pk>/decline/", views.decline, name="decline"),
    path("dashboard/lessons/<int:pk>/release/", views.release, name="release"),
    path("dashboard/lessons/<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("calendar/<str:token>.ics", feeds.calendar_feed, name="calendar_feed"),
    path("dashboard/calendar/reset/", feeds.calendar_feed_reset_view, name="calendar_feed_reset"),
]
