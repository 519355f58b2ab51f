"""Knowledge captured at CoP meetings and made from replies: the sources knowledge's editor captures from,
and the links an item page shows (captured at, made from, shared in), each only to readers of its community."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from platoo.knowledge.models import Kind
from platoo.knowledge.provenance import Capture, Link, register
from platoo.lib.visibility import Visibility

from .actions import attach_to_meeting, can_capture
from .models import Community, CommunityVisibility, Meeting, MeetingItem, Reply, SharedItem


def _meeting_label(meeting: Meeting) -> str:
    return f"{meeting.title} · {meeting.community.name}"


class MeetingSource:
    kind = "meeting"

    def capture(self, user: Any, pk: int) -> Capture | None:
        meeting = (
            (Meeting.objects.visible_to(user).select_related("community").prefetch_related("agenda_items__presenter"))
            .filter(pk=pk)
            .first()
        )
        if meeting is None or not can_capture(meeting, user):
            return None
        community = meeting.community
        presenters = [p.presenter for p in meeting.agenda_items.all() if p.presenter and p.presenter.is_active]
        initial: dict[str, Any] = {
            "kind": Kind.LESSON,
            "title": _("Lessons from %(meeting)s") % {"meeting": meeting.title},
            "topics": list(community.topics.values_list("pk", flat=True)),
            "authors": list(dict.fromkeys([user.pk, *(p.pk for p in presenters)])),
            # What a closed or secret community learnt stays with its authors until they choose readers.
            "visibility": Visibility.NETWORK
            if community.visibility == CommunityVisibility.PUBLIC
            else Visibility.PRIVATE,
            "aar_expected": meeting.aar_expected,
            "aar_happened": meeting.aar_happened,
            "aar_difference": meeting.aar_difference,
            "aar_next_time": meeting.aar_next_time,
        }
        return Capture(
            key=f"meeting:{meeting.pk}",
            source=Link(_("Captured at the meeting"), _meeting_label(meeting), meeting.get_absolute_url()),
            initial=initial,
            attach=lambda actor, item: attach_to_meeting(actor, meeting, item),
        )

    def links(self, user: Any, item_ids: Sequence[int]) -> dict[int, list[Link]]:
        found: dict[int, list[Link]] = defaultdict(list)
        readable = Community.objects.content_readable_by(user)
        captured = MeetingItem.objects.filter(item_id__in=item_ids, meeting__community__in=readable).select_related(
            "meeting__community"
        )
        for row in captured:
            found[row.item_id].append(
                Link(
                    _("Captured at the meeting"),
                    _meeting_label(row.meeting),
                    row.meeting.get_absolute_url(),
                    row.meeting.starts_at,
                )
            )
        replies = Reply.objects.filter(knowledge_item_id__in=item_ids, thread__community__in=readable).select_related(
            "thread__community"
        )
        for reply in replies:
            assert reply.knowledge_item_id is not None
            found[reply.knowledge_item_id].append(
                Link(
                    _("Made from a reply in the discussion"),
                    reply.thread.title,
                    reply.get_absolute_url(),
                    reply.created_at,
                )
            )
        shares = SharedItem.objects.filter(
            item_id__in=item_ids, community__in=Community.objects.visible_to(user)
        ).select_related("community")
        for share in shares:
            found[share.item_id].append(
                Link(
                    _("Shared in the community"),
                    share.community.name,
                    share.community.get_absolute_url(),
                    share.shared_at,
                )
            )
        return found


register(MeetingSource())
