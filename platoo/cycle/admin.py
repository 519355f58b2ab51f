"""The cycle in the admin, to look things up. Changes go through the pages (and their actions), which
enforce the rules: legal moves, panel sizes, quorums, a draft's version check, immutable releases."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    CriticalKnowledge,
    Manual,
    Panel,
    PanelMember,
    Release,
    Review,
    ReviewRound,
    Section,
    SectionItem,
    Transition,
)


class ReadOnly:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PanelMemberInline(ReadOnly, admin.TabularInline):
    model = PanelMember
    extra = 0


@admin.register(Panel)
class PanelAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["name", "topic", "quorum", "reverify_months"]
    search_fields = ["name"]
    inlines = [PanelMemberInline]


class TransitionInline(ReadOnly, admin.TabularInline):
    model = Transition
    extra = 0


@admin.register(CriticalKnowledge)
class CriticalKnowledgeAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["item", "stage", "topic", "panel", "priority", "reverify_due"]
    list_filter = ["stage", "priority", "panel"]
    search_fields = ["item__title"]
    list_select_related = ["item", "topic", "panel"]
    inlines = [TransitionInline]


class ReviewInline(ReadOnly, admin.TabularInline):
    model = Review
    extra = 0


@admin.register(ReviewRound)
class ReviewRoundAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["critical", "panel", "kind", "opened_at", "closed_at", "outcome"]
    list_filter = ["kind", "outcome", "panel"]
    list_select_related = ["critical__item", "panel"]
    inlines = [ReviewInline]


class SectionInline(ReadOnly, admin.TabularInline):
    model = Section
    fields = ("title", "parent", "position", "duration_minutes")
    extra = 0
    show_change_link = True


class SectionItemInline(ReadOnly, admin.TabularInline):
    model = SectionItem
    fields = ("item", "position")
    extra = 0


@admin.register(Manual)
class ManualAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "kind", "panel", "visibility", "version", "updated_at"]
    list_filter = ["kind", "visibility", "panel"]
    search_fields = ["title"]
    inlines = [SectionInline]


@admin.register(Section)
class SectionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["title", "manual", "parent", "position"]
    list_select_related = ["manual", "parent"]
    search_fields = ["title", "manual__title"]
    inlines = [SectionItemInline]


@admin.register(Release)
class ReleaseAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["manual", "number", "version_label", "released_on", "pdf_status", "epub_status"]
    list_filter = ["pdf_status", "epub_status"]
    list_select_related = ["manual"]
    search_fields = ["manual__title", "version_label"]
