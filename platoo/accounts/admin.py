from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from platoo.search.index import update_index

from .actions import do_invite_person, send_invitation_email
from .images import ImageUploadField
from .models import ApiToken, Expertise, Invitation, KMRoleHolding, User


class KMRoleHoldingInline(admin.TabularInline):
    model = KMRoleHolding
    extra = 0
    autocomplete_fields = ["organization"]


class UserAdminForm(UserChangeForm):
    avatar = ImageUploadField(label=_("Avatar"), required=False)

    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserAdminForm
    list_display = ["username", "display_name", "email", "organization", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "km_roles__role", "organization__sector", "organization"]
    list_select_related = ["organization"]
    search_fields = ["username", "email", "name_th", "name_en", "first_name", "last_name"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["expertise", "groups", "user_permissions"]
    inlines = [KMRoleHoldingInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Profile"),
            {"fields": ("name_th", "name_en", "email", "organization", "position", "expertise", "bio", "avatar")},
        ),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "name_th", "password1", "password2")}),
    )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        # After the expertise and KM roles are saved, so the index sees them.
        update_index(form.instance)


@admin.register(Expertise)
class ExpertiseAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(KMRoleHolding)
class KMRoleHoldingAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organization", "since"]
    list_filter = ["role", "organization"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__name_th", "user__name_en"]
    autocomplete_fields = ["user", "organization"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Staff invite a person by adding an invitation here: the link is emailed when it is saved."""

    list_display = ["email", "organization", "invited_by", "created_at", "accepted_at", "accepted_by"]
    list_filter = ["organization", ("accepted_at", admin.EmptyFieldListFilter)]
    list_select_related = ["organization", "invited_by", "accepted_by"]
    search_fields = ["email"]
    autocomplete_fields = ["organization"]
    actions = ["resend"]

    def get_fields(self, request: HttpRequest, obj: Invitation | None = None) -> list[Any]:
        if obj is None:
            return ["email", "organization"]
        return ["email", "organization", "invited_by", "created_at", "accepted_at", "accepted_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: Invitation | None = None) -> list[str]:
        return [] if obj is None else ["email", "invited_by", "created_at", "accepted_at", "accepted_by"]

    def save_model(self, request: HttpRequest, obj: Invitation, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        user = request.user
        assert isinstance(user, User)
        do_invite_person(user, obj)
        self.message_user(request, _("The invitation was emailed to %(email)s.") % {"email": obj.email})

    @admin.action(description=_("Send the invitation email again"))
    def resend(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        open_invitations = list(queryset.filter(accepted_at__isnull=True))
        for invitation in open_invitations:
            send_invitation_email(invitation)
        count = len(open_invitations)
        self.message_user(
            request,
            ngettext("%(count)d invitation sent again.", "%(count)d invitations sent again.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued by their owners; staff can only look and revoke (delete)."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["name", "user__username", "prefix"]
    fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False
