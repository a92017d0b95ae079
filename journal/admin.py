"""Admin for every journal model, listed by person and date."""

from django.contrib import admin

from .models import DailyCheckIn, Profile, SymptomEntry, TwitchEntry, TwitchTrigger


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "display_name", "time_zone", "family_history", "reassured_on")
    search_fields = ("user__username", "user__email", "display_name")
    list_select_related = ("user",)


class TwitchTriggerInline(admin.TabularInline):
    model = TwitchTrigger
    extra = 0


@admin.register(TwitchEntry)
class TwitchEntryAdmin(admin.ModelAdmin):
    list_display = ("user", "occurred_at", "location", "side", "duration_seconds", "intensity")
    list_filter = ("location", "intensity")
    search_fields = ("user__username", "user__email")
    date_hierarchy = "occurred_at"
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    inlines = [TwitchTriggerInline]


@admin.register(SymptomEntry)
class SymptomEntryAdmin(admin.ModelAdmin):
    list_display = ("user", "noted_on", "kind", "severity", "onset", "location", "side")
    list_filter = ("kind", "severity", "onset")
    search_fields = ("user__username", "user__email")
    date_hierarchy = "noted_on"
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(DailyCheckIn)
class DailyCheckInAdmin(admin.ModelAdmin):
    list_display = ("user", "day", "caffeine_mg", "sleep_hours", "stress", "exercise")
    # Worked out from the servings and other mg on every save.
    readonly_fields = ("caffeine_mg",)
    search_fields = ("user__username", "user__email")
    date_hierarchy = "day"
    list_select_related = ("user",)
    raw_id_fields = ("user",)
