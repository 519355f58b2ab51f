from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One searchable object as the index holds it: the store both search backends index and show.

    The backends keep their own token tables keyed by this row's id (FTS5 on SQLite, tsvector and
    trigram columns on PostgreSQL); title and body here are the cleaned text snippets are cut from.
    """

    label = models.CharField(_("type"), max_length=32)  # the adapter's label: "knowledge", "person"
    object_id = models.BigIntegerField()
    title = models.TextField()
    keywords = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    date = models.DateTimeField(null=True, blank=True)
    audience = models.CharField(max_length=64, blank=True)  # IndexEntry.audience

    class Meta:
        constraints = [models.UniqueConstraint(fields=["label", "object_id"], name="unique_search_document")]
        # Search maps thousands of hits to (type, object, audience) per query: a narrow covering index
        # does it without reading the wide rows.
        indexes = [models.Index(fields=["id", "label", "object_id", "audience"], name="search_document_access")]
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")

    def __str__(self) -> str:
        return f"{self.label}:{self.object_id} {self.title[:40]}"
