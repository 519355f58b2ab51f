from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from platoo.accounts.models import User

from .actions import check_link, do_add_link, do_save_organization, do_save_profile, do_save_unit
from .forms import OrganizationForm
from .models import NetworkLink, NetworkProfile, Organization, Unit


def _actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


class UnitInline(admin.TabularInline[Unit, Organization]):
    model = Unit
    fk_name = "organization"
    fields = ["name_th", "name_en", "kind", "parent"]
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    form = OrganizationForm
    list_display = ["name_th", "name_en", "code", "sector", "province", "status", "joined_on"]
    list_filter = ["status", "sector", "province"]
    search_fields = ["name_th", "name_en", "code"]
    prepopulated_fields = {"code": ["name_en"]}
    readonly_fields = [
        "status",
        "joined_on",
        "left_on",
        "contact_person",
        "application_note",
        "decided_by",
        "decided_at",
        "decision_reason",
    ]

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        do_save_organization(_actor(request), obj)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["name_th", "name_en", "kind", "organization", "parent"]
    list_filter = ["kind", ("organization", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name_th", "name_en"]
    list_select_related = ["organization", "parent"]

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        do_save_unit(_actor(request), obj)


class NetworkLinkForm(forms.ModelForm[NetworkLink]):
    """The action's rules, told beside the fields instead of as an error page."""

    class Meta:
        model = NetworkLink
        fields = ["source", "target", "level", "since", "reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            check_link(NetworkLink(**{name: data.get(name) for name in self.Meta.fields}))
        return data


@admin.register(NetworkLink)
class NetworkLinkAdmin(admin.ModelAdmin[NetworkLink]):
    form = NetworkLinkForm
    list_display = ["source", "target", "level", "since"]
    list_filter = ["level"]
    search_fields = ["source__name_th", "target__name_th", "reason"]
    list_select_related = ["source", "target"]
    fields = ["source", "target", "level", "since", "reason"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a link is added or removed, not edited

    def save_model(self, request: HttpRequest, obj: NetworkLink, form: Any, change: bool) -> None:
        do_add_link(_actor(request), obj)


@admin.register(NetworkProfile)
class NetworkProfileAdmin(admin.ModelAdmin[NetworkProfile]):
    list_display = ["name_th", "started_on"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not NetworkProfile.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: NetworkProfile, form: Any, change: bool) -> None:
        do_save_profile(_actor(request), obj)
