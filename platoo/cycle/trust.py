"""The trust figure of the topics the expert panels look after, computed as the hub's dashboard computes
it (dashboard.split_counts): of a topic's critical knowledge still in play (not rejected, archived or
superseded), the share the network vouches for today (verified and not due for re-verification). The
panels' pages are read by anyone, so these count all critical knowledge; they name none of it."""

from collections.abc import Sequence

from django.utils import timezone

from platoo.knowledge.models import Topic

from .dashboard import TopicTrust, by_topic_and_stage, roll_up, split_counts
from .models import CriticalKnowledge, Panel


def trust_by_panel(panels: Sequence[Panel]) -> dict[int, TopicTrust]:
    """Each panel's topic with everything under it, in two queries however many panels."""
    if not panels:
        return {}
    _stages, own = split_counts(by_topic_and_stage(CriticalKnowledge.objects.all(), timezone.localdate()))
    rolled = {row.topic.pk: row for row in roll_up(own, list(Topic.objects.all()), None) if row.topic is not None}
    return {panel.pk: rolled.get(panel.topic_id) or TopicTrust(topic=None, depth=0) for panel in panels}
