from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from petittalk.accounts.access import teacher_required
from petittalk.core import pagecache, versions
from petittalk.teachers import selectors, services
from petittalk.teachers.forms import DirectoryFilterForm, TeacherProfileForm

TEACHERS_PER_PAGE = 12


def directory(request: HttpRequest) -> HttpResponse:
    return pagecache.cached_public_page(
        request,
        name="directory",
        content_versions=lambda: versions.read([versions.TEACHERS]),
        render=lambda: _render_directory(request),
        query_names=[*DirectoryFilterForm.base_fields, "page"],
    )


def _render_directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(
        request.GET or None,
        specialties=selectors.specialties(),
        languages=selectors.languages(),
    )
    if form.is_bound:
        form.is_valid()  # errors are shown next to the fields; valid filters still apply
    filters = form.filters()
    teachers = selectors.teacher_directory(filters)
    page = Paginator(teachers, TEACHERS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # fetched here, not while the template renders
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "teachers/directory.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "active_filters": filters.active_count(),
        },
    )


@teacher_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = selectors.teacher_profile_of(request.user)
    form = TeacherProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.teacher_profile_update(profile=profile, **form.changes(), actor=request.user)
        except services.TeacherProfileError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("teachers:dashboard")
    return render(request, "teachers/profile_form.html", {"form": form, "profile": profile})
