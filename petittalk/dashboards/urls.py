"""The dashboards' addresses, under the names they had before they moved here.

`config/urls.py` mounts `student_patterns` in the `accounts` namespace and `teacher_patterns` in the
`teachers` one, beside those apps' own pages, so every `{% url %}` and `reverse()` stays as it was.
"""

from django.urls import path

from petittalk.dashboards import views

student_patterns = [
    path("dashboard/student/", views.student_home, name="student_home"),
    path("dashboard/settings/", views.account_settings, name="settings"),
    path("dashboard/calendar/create/", views.calendar_link_create, name="calendar_link_create"),
]

teacher_patterns = [
    path("dashboard/teacher/", views.teacher_home, name="dashboard"),
]
