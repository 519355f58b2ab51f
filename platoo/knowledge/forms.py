"""The editor form (one for every kind), the comment form, and the taxonomy as choices."""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platoo.accounts.models import User
from platoo.lib.text import clean_line
from platoo.lib.visibility import Visibility
from platoo.network.models import Organization

from .actions import TEXT_FIELDS, ItemData, normalize_tags
from .attachments import ACCEPT, validate_upload
from .models import KIND_FIELDS, Kind, License, Topic, field_label

# Commas (Latin, full-width, Arabic) and line breaks all separate tags.
TAG_SEPARATORS = re.compile(r"[,\n\uff0c\u060c]")


@dataclass
class TopicNode:
    topic: Topic
    depth: int
    children: list["TopicNode"] = field(default_factory=list)
    count: int = 0

    def subtree_ids(self) -> list[int]:
        return [self.topic.pk, *(pk for child in self.children for pk in child.subtree_ids())]


def topic_tree(topics: Iterable[Topic]) -> list[TopicNode]:
    """The taxonomy as a depth-first list of nodes (each also knows its children)."""
    by_parent: dict[int | None, list[Topic]] = defaultdict(list)
    for topic in topics:
        by_parent[topic.parent_id].append(topic)
    ordered: list[TopicNode] = []

    def walk(parent: int | None, depth: int) -> list[TopicNode]:
        nodes = []
        for topic in by_parent.get(parent, []):
            node = TopicNode(topic, depth)
            ordered.append(node)
            node.children = walk(topic.pk, depth + 1)
            nodes.append(node)
        return nodes

    walk(None, 0)
    return ordered


def indented(node: TopicNode) -> str:
    return "\u2003" * node.depth + node.topic.display_name


def topic_pk_choices() -> list[tuple[int, str]]:
    """(pk, name indented by depth) of every topic, in taxonomy order, for a form's choice field."""
    return [(node.topic.pk, indented(node)) for node in topic_tree(Topic.objects.all())]


def choosable_organizations(keep_id: int | None = None) -> QuerySet[Organization]:
    """The network's member organizations (applicants and those turned down are not yet or never in it),
    and the one with `keep_id`, which a saved item may still name."""
    kept = Organization.objects.filter(pk=keep_id) if keep_id else Organization.objects.none()
    return (Organization.objects.members() | kept).only("pk", "name_th", "name_en").order_by("name_th")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked like a single upload."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(one, initial) for one in files if one]


class ItemForm(forms.Form):
    """Title, text, the kind's own fields, classification, sharing and files of a knowledge item."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=250)
    summary = forms.CharField(
        label=gettext_lazy("Summary"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Two or three sentences shown in lists and search results."),
    )
    body = forms.CharField(
        label=gettext_lazy("Body"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "class": "markdown-input"}),
        help_text=gettext_lazy("Markdown: **bold**, *italic*, # heading, - list, [link](https://…)."),
    )
    topics = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Topics"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        help_text=gettext_lazy("Separate tags with commas, e.g. ถอดบทเรียน, ชุมชนแนวปฏิบัติ"),
    )
    license = forms.ChoiceField(label=gettext_lazy("Licence"), choices=License.choices)
    visibility = forms.ChoiceField(
        label=gettext_lazy("Who can read it"), choices=Visibility.choices, widget=forms.RadioSelect
    )
    organization = forms.TypedChoiceField(
        label=gettext_lazy("Organization"), coerce=int, empty_value=None, required=False
    )
    authors = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Authors"),
        coerce=int,
        required=False,
        help_text=gettext_lazy("Everyone listed can edit the item. Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    attachments = MultipleFileField(
        label=gettext_lazy("Attach files"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
    )
    message = forms.CharField(
        label=gettext_lazy("Change note"),
        max_length=250,
        required=False,
        help_text=gettext_lazy("What did you change? Shown in the history."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    # Where a new item is captured from ("meeting:12"): see platoo.knowledge.provenance.
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, organization_id: int | None = None, **kwargs: Any) -> None:
        """`organization_id`: the item's organization, kept as a choice even if it is no longer a member."""
        super().__init__(*args, **kwargs)
        for name in TEXT_FIELDS:
            if name not in self.fields:
                self.fields[name] = forms.CharField(
                    label=field_label(name),
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
        self.topic_nodes = topic_tree(Topic.objects.all())
        self.fields["topics"].choices = [(node.topic.pk, indented(node)) for node in self.topic_nodes]  # type: ignore[attr-defined]
        self.fields["organization"].choices = [  # type: ignore[attr-defined]
            ("", _("(none)")),
            *((org.pk, org.display_name) for org in choosable_organizations(organization_id)),
        ]
        self.fields["authors"].choices = [  # type: ignore[attr-defined]
            (user.pk, user.display_name)
            for user in User.objects.filter(is_active=True).only(
                "pk", "username", "name_th", "name_en", "first_name", "last_name"
            )
        ]

    def kind_fieldsets(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """The fields only some kinds have, grouped per kind for the editor."""
        legends = {Kind.LESSON: _("After-action review"), Kind.PRACTICE: _("Best practice")}
        return [(kind, legends[kind], [self[name] for name in KIND_FIELDS[kind]]) for kind in legends]

    def clean_title(self) -> str:
        title = clean_line(self.cleaned_data["title"])
        if not title:
            raise ValidationError(_("Give the item a title; spaces alone are not a title."), code="blank")
        return title

    def clean_tags(self) -> list[str]:
        return normalize_tags(TAG_SEPARATORS.split(self.cleaned_data["tags"]))

    def clean_attachments(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data["attachments"]
        errors = []
        for upload in files:
            try:
                validate_upload(upload)
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            errors.append(ValidationError(_("Choose the files again: browsers do not keep them after an error.")))
            raise ValidationError(errors)
        return files

    def item_data(self) -> ItemData:
        data = self.cleaned_data
        return ItemData(
            title=data["title"],
            kind=data["kind"],
            summary=data["summary"],
            body=data["body"],
            license=data["license"],
            visibility=data["visibility"],
            organization_id=data["organization"],
            topic_ids=data["topics"],
            tag_names=data["tags"],
            author_ids=data["authors"],
            extra={name: data[name] for name in KIND_FIELDS[data["kind"]]},
        )

    def as_snapshot(self, actor: User) -> dict[str, Any]:
        """What this submission would save, in the shape of a revision's data (for the merge screen)."""
        data = self.cleaned_data
        snap: dict[str, Any] = {name: data[name] for name in TEXT_FIELDS}
        snap.update(
            license=data["license"],
            visibility=data["visibility"],
            organization_id=data["organization"],
            topic_ids=sorted(data["topics"]),
            tags=sorted(data["tags"]),
            author_ids=sorted(data["authors"]) or [actor.pk],
        )
        return snap


# Revision data keys and the form fields that edit them.
FORM_FIELD_OF = {"organization_id": "organization", "topic_ids": "topics", "author_ids": "authors"}


def snapshot_initial(snap: dict[str, Any]) -> dict[str, Any]:
    """Revision data as the form's initial values."""
    initial = {FORM_FIELD_OF.get(key, key): value for key, value in snap.items()}
    initial["tags"] = ", ".join(snap.get("tags", []))
    return initial


def set_form_value(data: QueryDict, key: str, snap: dict[str, Any]) -> None:
    """Put one revision value into submitted form data (a merge's 'take theirs')."""
    name = FORM_FIELD_OF.get(key, key)
    value = snap.get(key)
    if key == "tags":
        data[name] = ", ".join(value or [])
    elif isinstance(value, list):
        data.setlist(name, [str(v) for v in value])
    else:
        data[name] = "" if value is None else str(value)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
