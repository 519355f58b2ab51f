from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .actions import do_record_admin_edit
from .models import Attachment, Comment, KnowledgeItem, Revision, Tag, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    list_display = ["path", "name_en", "slug", "position", "critical"]
    list_editable = ["position", "critical"]
    list_filter = ["critical", ("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_th", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["parent"]
    list_select_related = ["parent__parent"]

    @admin.display(description=_("topic"))
    def path(self, topic: Topic) -> str:
        names = []
        node: Topic | None = topic
        while node is not None:
            names.append(node.name_th)
            node = node.parent if node.parent_id else None
        return " › ".join(reversed(names))


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    search_fields = ["name"]


class RevisionInline(admin.TabularInline[Revision, KnowledgeItem]):
    model = Revision
    fields = readonly_fields = ("number", "author", "created_at", "message")
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AttachmentInline(admin.TabularInline[Attachment, KnowledgeItem]):
    model = Attachment
    fields = readonly_fields = ("original_name", "content_type", "size", "text_status", "uploaded_by", "created_at")
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # uploads go through the item page, where their real type is checked


@admin.register(KnowledgeItem)
class KnowledgeItemAdmin(admin.ModelAdmin[KnowledgeItem]):
    list_display = ["title", "kind", "visibility", "organization", "view_count", "created_at"]
    list_filter = ["kind", "visibility", "license", "topics"]
    search_fields = ["title", "summary"]
    date_hierarchy = "created_at"
    list_select_related = ["organization"]
    autocomplete_fields = ["tags", "topics"]
    raw_id_fields = ["authors", "organization"]
    readonly_fields = ["created_by", "version", "view_count", "created_at", "updated_at"]
    inlines = [AttachmentInline, RevisionInline]

    def save_model(self, request: HttpRequest, obj: KnowledgeItem, form: ModelForm[Any], change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        do_record_admin_edit(request.user, form.instance, created=not change)  # type: ignore[arg-type]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin[Attachment]):
    list_display = ["original_name", "item", "content_type", "size", "text_status", "created_at"]
    list_filter = ["content_type", "text_status"]
    search_fields = ["original_name", "item__title"]
    list_select_related = ["item"]
    readonly_fields = ["item", "file", "original_name", "content_type", "size", "text_status", "uploaded_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin[Comment]):
    list_display = ["__str__", "item", "author", "created_at"]
    search_fields = ["body", "author__username", "item__title"]
    list_select_related = ["item", "author"]
    raw_id_fields = ["item", "author"]
