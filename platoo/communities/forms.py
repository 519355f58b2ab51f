from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platoo.accounts.models import KMRole, User
from platoo.knowledge.forms import indented, topic_tree
from platoo.knowledge.models import Topic
from platoo.lib.forms import DateTimeLocalField
from platoo.network.models import NetworkLevel, Organization

from .actions import AgendaPoint
from .models import CommunityVisibility, Stage


class CommunityForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(label=_("Short name (in the address)"), max_length=80, allow_unicode=True)
    domain = forms.CharField(label=_("Domain: what the community learns about"), max_length=300)
    purpose = forms.CharField(label=_("Purpose (Markdown)"), widget=forms.Textarea, required=False)
    level = forms.TypedChoiceField(label=_("Network level"), choices=NetworkLevel.choices, coerce=int)
    visibility = forms.ChoiceField(label=_("Visibility"), choices=CommunityVisibility.choices)
    stage = forms.ChoiceField(label=_("Starting stage"), choices=Stage.choices)
    organizations = forms.ModelMultipleChoiceField(
        label=_("Organizations involved"), queryset=Organization.objects.members(), required=False
    )
    topics = forms.TypedMultipleChoiceField(
        label=_("Critical-knowledge topics"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(n.topic.pk, indented(n)) for n in topic_tree(Topic.objects.all())]  # type: ignore[attr-defined]


class FilterForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Level"), choices=[("", _("Any level")), *NetworkLevel.choices], coerce=int, required=False
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", _("Any stage")), *Stage.choices], required=False)


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("New stage"), choices=Stage.choices)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class InviteForm(forms.Form):
    username = forms.CharField(
        label=_("Username or email"),
        max_length=254,
        help_text=_("An email without an account gets a link to sign up; the invitation waits for them."),
    )


class KMRoleForm(forms.Form):
    km_role = forms.ChoiceField(label=_("KM role"), choices=[("", "—"), *KMRole.choices], required=False)


class StepForm(forms.Form):
    done_on = forms.DateField(label=_("Done on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Notes (Markdown)"), widget=forms.Textarea, required=False)
    evidence = forms.CharField(label=_("Evidence: one link per line"), widget=forms.Textarea, required=False)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = DateTimeLocalField(label=_("Starts at"))
    ends_at = DateTimeLocalField(label=_("Ends at"))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online meeting link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda notes (Markdown)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("A meeting cannot end before it starts."))
        return data


class AgendaPointForm(forms.Form):
    title = forms.CharField(label=_("Agenda point"), max_length=300, required=False)
    presenter = forms.CharField(
        label=_("Presenter (username)"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"list": "people"}),
    )
    duration_minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=1, max_value=1440, required=False)

    def clean_presenter(self) -> User | None:
        name = self.cleaned_data["presenter"].strip().lstrip("@")
        if not name:
            return None
        person = User.objects.filter(username=name, is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("No active account has the username “%(name)s”.") % {"name": name[:40]})
        return person

    def point(self) -> AgendaPoint | None:
        data = self.cleaned_data
        if not data.get("title"):
            return None
        presenter = data.get("presenter")
        return AgendaPoint(data["title"], presenter.pk if presenter else None, data.get("duration_minutes"))


AgendaFormSet = forms.formset_factory(AgendaPointForm, extra=3, max_num=30, validate_max=True)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes (Markdown)"), widget=forms.Textarea(attrs={"rows": 14}), required=False)
    aar_expected = forms.CharField(
        label=_("What did we expect to happen?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    aar_happened = forms.CharField(
        label=_("What actually happened?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    aar_difference = forms.CharField(
        label=_("Why was there a difference?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    aar_next_time = forms.CharField(
        label=_("What will we do next time?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown. Type @username to mention someone: they are told if they can read this community."),
    )
    is_question = forms.BooleanField(
        label=_("This is a question (one reply can be accepted as the answer)"), required=False
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown. Type @username to mention someone."),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
