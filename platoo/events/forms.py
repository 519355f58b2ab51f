from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platoo.accounts.forms import people_named
from platoo.communities.models import Community
from platoo.knowledge.forms import topic_pk_choices
from platoo.lib.forms import DateTimeLocalField
from platoo.network.models import Organization

from .actions import SessionData
from .models import EVENT_VISIBILITIES, EventKind


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of event"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(
        label=_("Description (Markdown)"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
    starts_at = DateTimeLocalField(label=_("Starts at"))
    ends_at = DateTimeLocalField(label=_("Ends at"))
    host = forms.TypedChoiceField(label=_("Host organization"), coerce=int, empty_value=None, required=False)
    community = forms.TypedChoiceField(
        label=_("Community of practice"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("For a CoP meeting or a peer assist: its members find it in the community's calendar."),
    )
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        required=False,
        help_text=_("Leave empty for no limit. Past it, people join a waitlist that moves up on its own."),
    )
    visibility = forms.ChoiceField(label=_("Who can see it"), choices=EVENT_VISIBILITIES)
    topics = forms.TypedMultipleChoiceField(
        label=_("Critical-knowledge topics"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    organizers = forms.CharField(
        label=_("Organizers (usernames)"),
        required=False,
        help_text=_("Separate usernames with commas; empty means you alone."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        communities = Community.objects.content_readable_by(user).only("pk", "name") if user is not None else []
        self.fields["community"].choices = [("", _("(none)")), *((c.pk, c.name) for c in communities)]  # type: ignore[attr-defined]
        self.fields["host"].choices = [  # type: ignore[attr-defined]
            ("", _("(none)")),
            *((o.pk, o.display_name) for o in Organization.objects.members().only("pk", "name_th", "name_en")),
        ]
        self.fields["topics"].choices = topic_pk_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("An event cannot end before it starts."))
        return data

    def clean_organizers(self) -> list[int]:
        return [person.pk for person in people_named(self.cleaned_data["organizers"])]


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Session"), max_length=300, required=False)
    starts_at = DateTimeLocalField(label=_("Starts at"), required=False)
    duration_minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=1, max_value=24 * 60, required=False)
    room = forms.CharField(label=_("Room"), max_length=200, required=False)
    topic = forms.TypedChoiceField(label=_("Topic"), coerce=int, empty_value=None, required=False)
    speakers = forms.CharField(label=_("Speakers (usernames)"), max_length=500, required=False)
    guest_speakers = forms.CharField(label=_("Guest speakers"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "—"), *topic_pk_choices()]  # type: ignore[attr-defined]

    def clean_speakers(self) -> list[int]:
        return [person.pk for person in people_named(self.cleaned_data["speakers"])]

    def session(self) -> SessionData | None:
        data = self.cleaned_data
        if not data.get("title"):
            return None
        return SessionData(
            title=data["title"],
            starts_at=data.get("starts_at"),
            duration_minutes=data.get("duration_minutes"),
            room=data.get("room", ""),
            topic_id=data.get("topic"),
            speaker_ids=data.get("speakers", []),
            guest_speakers=data.get("guest_speakers", ""),
        )


SessionFormSet = forms.formset_factory(SessionForm, extra=3, max_num=200, validate_max=True)


class RegisterForm(forms.Form):
    bar_learn = forms.CharField(
        label=_("What do you want to learn?"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    bar_from_whom = forms.CharField(label=_("From whom?"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReviewForm(forms.Form):
    expected = forms.CharField(
        label=_("What did you expect to happen?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    happened = forms.CharField(
        label=_("What actually happened?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    difference = forms.CharField(
        label=_("Why was there a difference?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    next_time = forms.CharField(
        label=_("What will you do next time?"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ConsolidatedAARForm(forms.Form):
    aar_expected = forms.CharField(
        label=_("What did we expect to happen?"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    aar_happened = forms.CharField(
        label=_("What actually happened?"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    aar_difference = forms.CharField(
        label=_("Why was there a difference?"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    aar_next_time = forms.CharField(
        label=_("What will we do next time?"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class WalkInForm(forms.Form):
    username = forms.CharField(label=_("Username of someone not registered"), max_length=150)
