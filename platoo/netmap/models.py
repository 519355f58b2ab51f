"""What the map stores: the last network measures of each standard view (the map itself is built on demand)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureView(models.TextChoices):
    MEMBER = "member", _("Signed-in members")
    ANONYMOUS = "anonymous", _("Visitors")


class MeasureSnapshot(models.Model):
    """The network measures of one standard view of the map, as last computed (one row per view)."""

    view = models.CharField(_("view"), max_length=16, choices=MeasureView.choices, unique=True)
    computed_at = models.DateTimeField(_("computed at"))
    # The map's data version when the computation started (netmap.signals): another one means stale.
    data_version = models.CharField(max_length=64)
    node_count = models.PositiveIntegerField(_("nodes"), default=0)
    edge_count = models.PositiveIntegerField(_("ties"), default=0)
    exact = models.BooleanField(_("exact betweenness"), default=True)
    samples = models.PositiveIntegerField(_("betweenness samples"), null=True, blank=True)
    seconds = models.FloatField(_("computation time (s)"), default=0)
    results = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("network measures")
        verbose_name_plural = _("network measures")

    def __str__(self) -> str:
        return f"{self.get_view_display()} · {self.computed_at:%Y-%m-%d %H:%M}"
