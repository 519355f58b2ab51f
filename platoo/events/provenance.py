"""Knowledge captured at events (จับความรู้): the editor starts from the event, and the item links back."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from platoo.knowledge.models import Kind
from platoo.knowledge.provenance import Capture, Link, register
from platoo.lib.visibility import Visibility

from .actions import attach_to_event, can_capture, speakers_of
from .models import Event, EventItem


class EventSource:
    kind = "event"

    def capture(self, user: Any, pk: int) -> Capture | None:
        event = Event.objects.visible_to(user).filter(pk=pk).first()
        if event is None or not can_capture(event, user):
            return None
        speakers = speakers_of(event)
        initial: dict[str, Any] = {
            "kind": Kind.LESSON if event.has_aar else Kind.STORY,
            "title": _("Lessons from %(event)s") % {"event": event.title},
            "topics": list(event.topics.values_list("pk", flat=True)),
            # The speakers are the knowledge's owners: they are its authors with whoever writes it down.
            "authors": list(dict.fromkeys([user.pk, *(p.pk for p in speakers)])),
            "visibility": Visibility.NETWORK
            if event.visibility != Visibility.ORGANIZATION
            else Visibility.ORGANIZATION,
            "organization": event.host_id or user.organization_id,
            "aar_expected": event.aar_expected,
            "aar_happened": event.aar_happened,
            "aar_difference": event.aar_difference,
            "aar_next_time": event.aar_next_time,
        }
        return Capture(
            key=f"event:{event.pk}",
            source=Link(_("Captured at the event"), event.title, event.get_absolute_url()),
            initial=initial,
            attach=lambda actor, item: attach_to_event(actor, event, item),
        )

    def links(self, user: Any, item_ids: Sequence[int]) -> dict[int, list[Link]]:
        found: dict[int, list[Link]] = defaultdict(list)
        rows = EventItem.objects.filter(
            item_id__in=item_ids, event__in=Event.objects.published_to(user)
        ).select_related("event")
        for row in rows:
            found[row.item_id].append(
                Link(_("Captured at the event"), row.event.title, row.event.get_absolute_url(), row.event.starts_at)
            )
        return found


register(EventSource())
