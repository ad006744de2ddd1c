from django.contrib import admin

from petittalk.newsletter.models import Campaign, ConsentRecord, Subscriber


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    can_delete = False
    readonly_fields = ["kind", "at", "source", "wording"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    readonly_fields = ["email", "status", "optin_round", "confirmed_at", "unsubscribed_at", "user"]
    inlines = [ConsentInline]


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["subject", "status", "total", "created_at"]
    readonly_fields = ["status", "total", "started_at", "finished_at", "created_by"]
