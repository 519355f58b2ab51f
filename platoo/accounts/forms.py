import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import BaseUserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from platoo.network.models import Organization

from .actions import ProfileData, SignupData, normalize_expertise
from .images import ImageUploadField
from .models import Invitation, KMRole, User

USERNAME_SEPARATORS = re.compile(r"[\s,]+")


def people_named(text: str) -> list[User]:
    """The active people whose usernames are typed (separated by commas or spaces, @ allowed), in the
    order typed; an unknown name is a form error naming it."""
    names = [name.lstrip("@") for name in USERNAME_SEPARATORS.split(text.strip()) if name.strip()]
    people = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    unknown = [name for name in names if name not in people]
    if unknown:
        raise forms.ValidationError(
            _("No active account has the username(s): %(names)s") % {"names": ", ".join(unknown[:5])}
        )
    return [people[name] for name in dict.fromkeys(names)]


class SignupForm(BaseUserCreationForm):
    """Sign-up; with an invitation the email is the invitation's and cannot be changed."""

    class Meta:
        model = User
        fields = ["username", "email", "name_th", "name_en"]

    def __init__(self, *args: Any, invitation: Invitation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.fields["email"].required = True
        if invitation is not None:
            self.fields["email"].initial = invitation.email
            self.fields["email"].disabled = True
            self.fields["email"].help_text = _("The address your invitation was sent to.")

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken. Please choose another."), code="unique")
        return username

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("An account with this email already exists. Sign in, or reset your password if you forgot it."),
                code="unique",
            )
        return email

    def signup_data(self) -> SignupData:
        data = self.cleaned_data
        return SignupData(
            username=data["username"],
            email=data["email"],
            password=data["password1"],
            name_th=data.get("name_th", ""),
            name_en=data.get("name_en", ""),
        )


class ProfileForm(forms.ModelForm):
    """A person's own profile. Only staff change someone's organization: it opens organization-only knowledge."""

    expertise_text = forms.CharField(
        label=_("Expertise"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("Separate with commas, for example: ถอดบทเรียน, การจัดการความรู้, data analysis"),
    )
    km_roles = forms.MultipleChoiceField(
        label=_("KM roles"), choices=KMRole.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    avatar = ImageUploadField(label=_("Avatar"), required=False)

    class Meta:
        model = User
        fields = ["name_th", "name_en", "organization", "position", "bio", "avatar"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}

    field_order = ["name_th", "name_en", "organization", "position", "expertise_text", "km_roles", "bio", "avatar"]

    def __init__(self, *args: Any, can_change_organization: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = self.instance
        self.fields["expertise_text"].initial = ", ".join(e.name for e in user.expertise.all())
        self.fields["km_roles"].initial = sorted({h.role for h in user.km_roles.all()})
        self.fields["avatar"].help_text = _("JPEG, PNG, GIF or WebP, up to %(limit)d MB.") % {
            "limit": settings.MAX_IMAGE_MB
        }
        self.can_change_organization = can_change_organization
        if not can_change_organization:
            del self.fields["organization"]
        else:
            # The network's members, and the person's own organization even if it no longer is one.
            own = Organization.objects.filter(pk=user.organization_id)
            self.fields["organization"].queryset = (Organization.objects.members() | own).order_by("name_th")  # type: ignore[attr-defined]

    def clean_expertise_text(self) -> list[str]:
        return normalize_expertise(self.cleaned_data["expertise_text"].split(","))

    def _post_clean(self) -> None:
        # ModelForm would copy the values onto the person now; do_update_profile does all the writing instead.
        pass

    def profile_data(self) -> ProfileData:
        data = self.cleaned_data
        avatar = data.get("avatar")
        return ProfileData(
            name_th=data["name_th"],
            name_en=data["name_en"],
            position=data["position"],
            bio=data["bio"],
            expertise=data["expertise_text"],
            km_roles=data["km_roles"],
            avatar=avatar or None,
            clear_avatar=avatar is False,
            organization=data.get("organization"),
            change_organization=self.can_change_organization,
        )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What will use it, for example “monthly report script”."),
    )
