import secrets
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from platoo.lib.visibility import Visibility

if TYPE_CHECKING:
    from platoo.accounts.models import User


class Kind(models.TextChoices):
    STORY = "story", _("Story")
    LESSON = "lesson", _("Lesson learned")
    PRACTICE = "practice", _("Best practice")
    NOTE = "note", _("Note")


class License(models.TextChoices):
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"
    CC_BY_ND = "cc-by-nd-4.0", "CC BY-ND 4.0"
    CC0 = "cc0-1.0", "CC0 1.0"
    ALL_RIGHTS = "all-rights-reserved", _("All rights reserved")


LICENSE_URLS: dict[str, str] = {
    License.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    License.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
    License.CC_BY_NC: "https://creativecommons.org/licenses/by-nc/4.0/",
    License.CC_BY_NC_SA: "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    License.CC_BY_ND: "https://creativecommons.org/licenses/by-nd/4.0/",
    License.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
}


# The fields each kind adds to title, summary and body, in the order the editor shows them.
KIND_FIELDS: dict[str, list[str]] = {
    Kind.STORY: [],
    Kind.NOTE: [],
    Kind.LESSON: ["aar_expected", "aar_happened", "aar_difference", "aar_next_time"],
    Kind.PRACTICE: ["bp_context", "bp_practice", "bp_results", "bp_conditions"],
}


class Topic(models.Model):
    """A node of the hierarchical topic taxonomy (critical-knowledge topics)."""

    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    slug = models.SlugField(max_length=80, unique=True)
    name_th = models.CharField(_("name (Thai)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    critical = models.BooleanField(_("critical knowledge"), default=False)

    class Meta:
        ordering = ["position", "name_th"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:list") + f"?topic={self.slug}"

    @property
    def display_name(self) -> str:
        return self.name_th if (get_language() or "th").startswith("th") else self.name_en

    def descendant_ids(self) -> list[int]:
        """This topic and everything under it (the taxonomy is small, a few hundred nodes)."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(Topic.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            ids.extend(frontier)
        return ids


class Tag(models.Model):
    """A free tag, stored normalised (NFC, trimmed, single spaces) so variants don't multiply."""

    name = models.CharField(_("name"), max_length=64, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class KnowledgeItemQuerySet(models.QuerySet["KnowledgeItem"]):
    def visible_to(self, user: "User | Any") -> "KnowledgeItemQuerySet":
        """The one doorway for reading knowledge: pages, search, counts and the API use it."""
        if user is None or not user.is_authenticated:
            return self.filter(visibility=Visibility.PUBLIC)
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        rule = Q(visibility__in=[Visibility.PUBLIC, Visibility.NETWORK]) | self._authored_by(user)
        if user.organization_id:
            rule |= Q(visibility=Visibility.ORGANIZATION, organization_id=user.organization_id)
        return self.filter(rule)

    def granted_to(self, user: "User | Any") -> "KnowledgeItemQuerySet | None":
        """What `user` reads beyond the audiences they hold (platoo.lib.visibility.audiences_of, matching
        each item's audience_of): their own items, whatever the visibility. With those audiences this is
        exactly visible_to(user); search relies on it."""
        if user is None or not user.is_authenticated or not user.is_active:
            return None
        return self.all() if user.is_superuser else self.filter(self._authored_by(user))

    @staticmethod
    def _authored_by(user: "User") -> Q:
        # Two short lists of primary keys, from indexes: a join would repeat rows, and `created_by = user`
        # beside the first list makes SQLite scan every item instead of looking the two lists up.
        authored = KnowledgeItem.authors.through.objects.filter(user_id=user.pk).values("knowledgeitem_id")
        created = KnowledgeItem.objects.filter(created_by=user).values("pk")
        return Q(pk__in=authored) | Q(pk__in=created)


class KnowledgeItem(models.Model):
    """A story, lesson learned, best practice or note in the network's repository."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.STORY)
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown"))
    # Lesson learned: the after-action review.
    aar_expected = models.TextField(_("What did we expect to happen?"), blank=True)
    aar_happened = models.TextField(_("What actually happened?"), blank=True)
    aar_difference = models.TextField(_("Why was there a difference?"), blank=True)
    aar_next_time = models.TextField(_("What will we do next time?"), blank=True)
    # Best practice.
    bp_context = models.TextField(_("Context"), blank=True)
    bp_practice = models.TextField(_("The practice"), blank=True)
    bp_results = models.TextField(_("Results"), blank=True)
    bp_conditions = models.TextField(_("Conditions for success"), blank=True)

    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("authors"), related_name="knowledge_items"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", editable=False
    )
    organization = models.ForeignKey(
        "network.Organization",
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="knowledge_items",
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="items")
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="items")
    license = models.CharField(_("licence"), max_length=32, choices=License.choices, default=License.CC_BY)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.NETWORK
    )
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    # Optimistic concurrency: an edit must say which version it started from.
    version = models.PositiveIntegerField(default=1, editable=False)
    # The editor's one-time form token (or an API idempotency key): a repeated submit finds this item.
    creation_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = KnowledgeItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["visibility", "-created_at"]), models.Index(fields=["-view_count"])]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "creation_key"],
                condition=~Q(creation_key=""),
                name="unique_item_creation_key",
            )
        ]
        verbose_name = _("knowledge item")
        verbose_name_plural = _("knowledge items")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:detail", args=[self.pk])

    def kind_fields(self) -> list[tuple[str, str]]:
        """(label, text) of the fields this kind adds, for display and indexing."""
        return [(field_label(name), getattr(self, name)) for name in KIND_FIELDS[self.kind]]

    @property
    def license_url(self) -> str:
        return LICENSE_URLS.get(self.license, "")

    def is_author(self, user: "User | Any") -> bool:
        if not user.is_authenticated:
            return False
        if self.created_by_id == user.pk:
            return True
        if "authors" in getattr(self, "_prefetched_objects_cache", {}):
            return any(author.pk == user.pk for author in self.authors.all())
        return self.authors.filter(pk=user.pk).exists()

    def can_edit(self, user: "User | Any") -> bool:
        return user.is_authenticated and user.is_active and (user.is_superuser or self.is_author(user))

    def can_delete(self, user: "User | Any") -> bool:
        """Authors, and staff moderating what they can see."""
        return self.can_edit(user) or (user.is_authenticated and user.is_active and user.is_staff)


def attachment_path(instance: "Attachment", filename: str) -> str:
    """An unguessable storage name: files of non-public items must not be found by their path."""
    return f"attachments/{secrets.token_urlsafe(18)}{PurePath(filename).suffix.lower()[:10]}"


class TextStatus(models.TextChoices):
    PENDING = "pending", _("Reading the text…")
    DONE = "done", _("Text extracted for search")
    FAILED = "failed", _("The text could not be read")
    NONE = "none", _("No text to extract")


def field_label(name: str) -> str:
    """The verbose name of a KnowledgeItem field, as shown in the editor and in comparisons."""
    return str(getattr(KnowledgeItem._meta.get_field(name), "verbose_name", name))


class Attachment(models.Model):
    """A file attached to a knowledge item; its text is extracted for search."""

    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    extracted_text = models.TextField(blank=True, editable=False)
    text_status = models.CharField(
        _("text"), max_length=16, choices=TextStatus.choices, default=TextStatus.PENDING, editable=False
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:attachment", args=[self.item_id, self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Comment(models.Model):
    """A comment by a signed-in user on a knowledge item."""

    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class Revision(models.Model):
    """A snapshot of a knowledge item taken at every save."""

    item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    message = models.CharField(_("change note"), max_length=250, blank=True)
    data = models.JSONField()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="unique_revision_number")]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.item_id} r{self.number}"


class RelationKind(models.TextChoices):
    RELATED = "related", _("Related to")
    DUPLICATE_OF = "duplicate_of", _("Possible duplicate of")


class ItemRelation(models.Model):
    """A writer's note that one item is related to another, or repeats it (chosen when the editor showed
    similar knowledge). Shown on both items' pages, to those who may read the other item."""

    from_item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="relations_from")
    to_item = models.ForeignKey(KnowledgeItem, on_delete=models.CASCADE, related_name="relations_to")
    kind = models.CharField(_("relation"), max_length=16, choices=RelationKind.choices, default=RelationKind.RELATED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["from_item", "to_item"], name="unique_item_relation"),
            models.CheckConstraint(condition=~Q(from_item=models.F("to_item")), name="item_relation_not_to_itself"),
        ]
        verbose_name = _("item relation")
        verbose_name_plural = _("item relations")

    def __str__(self) -> str:
        return f"{self.from_item_id} {self.kind} {self.to_item_id}"
