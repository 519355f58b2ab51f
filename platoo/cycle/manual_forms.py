"""Forms of the manuals and curricula pages: what is typed; the actions check the rest."""

import re
from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy

from platoo.knowledge.models import KnowledgeItem

from .actions.manuals import ManualData, SectionData
from .models import MANUAL_VISIBILITIES, ManualKind, Panel

ITEM_LINK = re.compile(r"/knowledge/(\d{1,10})(?:/|$)")
SEPARATORS = re.compile(r"[,\s]+")


class ManualForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ManualKind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=250)
    panel = forms.TypedChoiceField(label=gettext_lazy("Brain trust"), coerce=int, required=False)
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who can read it"), choices=MANUAL_VISIBILITIES, widget=forms.RadioSelect
    )
    front_matter = forms.CharField(
        label=gettext_lazy("Front matter"),
        required=False,
        max_length=50_000,
        help_text=gettext_lazy("Foreword, purpose, how to use it (Markdown)."),
        widget=forms.Textarea(attrs={"rows": 8, "class": "markdown-input"}),
    )
    outcomes = forms.CharField(
        label=gettext_lazy("Learning outcomes (a curriculum's; one per line)"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, panels: list[Panel] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if panels is None:
            del self.fields["panel"]
        else:
            cast(forms.ChoiceField, self.fields["panel"]).choices = [("", "—"), *[(p.pk, p.name) for p in panels]]
            self.fields["panel"].required = True

    def manual_data(self) -> ManualData:
        data = self.cleaned_data
        return ManualData(
            title=data["title"],
            panel_id=data.get("panel") or None,
            kind=data["kind"],
            visibility=data["visibility"],
            front_matter=data["front_matter"],
            outcomes=data["outcomes"],
        )


class SectionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=250)
    parent = forms.TypedChoiceField(label=gettext_lazy("Chapter"), coerce=int, required=False, empty_value=None)
    body = forms.CharField(
        label=gettext_lazy("Text"),
        required=False,
        max_length=200_000,
        help_text=gettext_lazy("Markdown"),
        widget=forms.Textarea(attrs={"rows": 12, "class": "markdown-input"}),
    )
    duration_minutes = forms.IntegerField(
        label=gettext_lazy("Duration (minutes)"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("For a curriculum's session."),
    )
    items = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Work standards this section uses"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_items = forms.CharField(
        label=gettext_lazy("Other knowledge items, by number"),
        required=False,
        max_length=500,
        help_text=gettext_lazy("Numbers or links of items, separated by commas (they must be work standards)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, chapters: list[tuple[int, str]], standards: Sequence[KnowledgeItem], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["parent"]).choices = [
            ("", gettext_lazy("— none: this is a chapter —")),
            *chapters,
        ]
        cast(forms.ChoiceField, self.fields["items"]).choices = [(item.pk, item.title) for item in standards]

    def clean_other_items(self) -> list[int]:
        """ "12" or a link to the item ("…/knowledge/12/"), in the order typed."""
        numbers = []
        for token in SEPARATORS.split(self.cleaned_data["other_items"].strip()):
            link = ITEM_LINK.search(token)
            if link:
                numbers.append(int(link.group(1)))
            elif token.isdigit() and len(token) <= 10:
                numbers.append(int(token))
            elif token:
                raise forms.ValidationError(
                    gettext_lazy("“%(token)s” is neither an item number nor a link to an item.") % {"token": token[:60]}
                )
        return numbers

    def section_data(self) -> SectionData:
        data = self.cleaned_data
        return SectionData(
            title=data["title"],
            body=data["body"],
            parent_id=data["parent"],
            duration_minutes=data["duration_minutes"],
            item_ids=[*data["items"], *data["other_items"]],
        )


class ReleaseForm(forms.Form):
    version_label = forms.CharField(label=gettext_lazy("Version"), max_length=32)
    approvers = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Approved by"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(
        label=gettext_lazy("Release notes"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What is new in this release, for its readers."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["approvers"]).choices = members
