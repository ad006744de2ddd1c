from django.contrib import admin

from petittalk.teachers.models import Language, Specialty, TeacherProfile


@admin.register(TeacherProfile)
class TeacherProfileAdmin(admin.ModelAdmin):
    list_display = ["__str__", "slug", "price_30", "price_60", "is_published", "is_featured"]
    list_filter = ["is_published", "is_featured", "specialties"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__display_name", "headline"]
    raw_id_fields = ["user"]
    filter_horizontal = ["languages", "specialties"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(Specialty)
class SpecialtyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
