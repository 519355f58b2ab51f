from django.contrib import admin

from .models import Community, CommunityStep, Membership, SharedItem, StageChange


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user", "invited_by"]


class StepInline(admin.TabularInline):
    model = CommunityStep
    extra = 0
    can_delete = False


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    raw_id_fields = ["changed_by"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "level", "stage", "visibility", "created_at"]
    list_filter = ["level", "stage", "visibility"]
    search_fields = ["name", "slug", "domain"]
    raw_id_fields = ["created_by"]
    filter_horizontal = ["organizations"]
    inlines = [MembershipInline, StageChangeInline, StepInline]


@admin.register(SharedItem)
class SharedItemAdmin(admin.ModelAdmin):
    list_display = ["item", "community", "shared_by", "shared_at"]
    raw_id_fields = ["item", "shared_by"]
