from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from platoo.accounts.models import User

from .actions import do_save_organization
from .forms import OrganizationForm
from .models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationForm
    list_display = ["name_th", "name_en", "code", "sector", "province"]
    list_filter = ["sector", "province"]
    search_fields = ["name_th", "name_en", "code"]
    prepopulated_fields = {"code": ["name_en"]}

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        user = request.user
        assert isinstance(user, User)
        do_save_organization(user, obj)
