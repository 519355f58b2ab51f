"""The cycle's manuals in the admin. Releases are read-only there: a release is never changed or deleted."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Manual, Release, Section, SectionItem


class SectionInline(admin.TabularInline[Section, Manual]):
    model = Section
    fields = ("title", "parent", "position", "duration_minutes")
    extra = 0
    show_change_link = True


class SectionItemInline(admin.TabularInline[SectionItem, Section]):
    model = SectionItem
    fields = ("item", "position")
    raw_id_fields = ("item",)
    extra = 0


@admin.register(Manual)
class ManualAdmin(admin.ModelAdmin[Manual]):
    list_display = ["title", "kind", "panel", "visibility", "version", "updated_at"]
    list_filter = ["kind", "visibility", "panel"]
    search_fields = ["title"]
    readonly_fields = ["version", "created_by", "created_at", "updated_at"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin[Section]):
    list_display = ["title", "manual", "parent", "position"]
    list_select_related = ["manual", "parent"]
    search_fields = ["title", "manual__title"]
    raw_id_fields = ["manual", "parent"]
    inlines = [SectionItemInline]


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin[Release]):
    list_display = ["manual", "number", "version_label", "released_on", "pdf_status", "epub_status"]
    list_filter = ["pdf_status", "epub_status"]
    list_select_related = ["manual"]
    search_fields = ["manual__title", "version_label"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in Release._meta.fields] + ["approvers"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
