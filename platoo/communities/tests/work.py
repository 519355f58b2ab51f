"""A cast with work to show: knowledge on topics, meetings with presenters, discussions, KM roles in CoPs.

Everything is made with the actions, by each community's founder where an admin is needed.
"""

from datetime import timedelta

from django.utils import timezone

from platoo.accounts.models import User
from platoo.communities import actions
from platoo.communities.models import AgendaItem, Community, Meeting, Membership, Reply, Thread
from platoo.knowledge.actions import ItemData, do_create_item
from platoo.knowledge.models import KnowledgeItem, Topic

from .base import CoPTestCase, update


def make_meeting(
    community: Community, title: str, days_from_now: int = -1, place: str = "", cancelled: bool = False
) -> Meeting:
    starts = timezone.now() + timedelta(days=days_from_now)
    data = actions.MeetingData(title=title, starts_at=starts, ends_at=starts + timedelta(hours=2), place=place)
    meeting = actions.do_schedule_meeting(community.created_by, community, data)
    if cancelled:
        actions.do_cancel_meeting(community.created_by, meeting)
    return meeting


def present(meeting: Meeting, presenter: User | None, title: str) -> AgendaItem:
    """Add an agenda point presented by `presenter` to the meeting's agenda."""
    points = [actions.AgendaPoint(p.title, p.presenter_id, p.duration_minutes) for p in meeting.agenda_items.all()]
    points.append(actions.AgendaPoint(title, presenter.pk if presenter else None))
    data = actions.MeetingData(
        title=meeting.title, starts_at=meeting.starts_at, ends_at=meeting.ends_at, place=meeting.place, points=points
    )
    actions.do_update_meeting(meeting.community.created_by, meeting, data)
    return meeting.agenda_items.get(title=title)


def make_thread(community: Community, author: User, title: str, body: str) -> Thread:
    return actions.do_start_thread(author, community, title, body)


def make_reply(thread: Thread, author: User, body: str) -> Reply:
    return actions.do_reply(author, thread, body)


def write(author: User, title: str, topics: list[Topic], visibility: str = "network") -> KnowledgeItem:
    return do_create_item(author, ItemData(title=title, visibility=visibility, topic_ids=[t.pk for t in topics]))


class WorkTestCase(CoPTestCase):
    """On top of CoPTestCase (alice admins a public, a closed and a secret CoP; bob is in the public one):

    - topics: water, with irrigation under it, and health;
    - alice wrote a network item on irrigation and an alpha-only item on health; carol a public one on health;
    - the public CoP is about water: bob presented at its meeting yesterday; carol is down to present at
      tomorrow's, erin at a cancelled one;
    - the secret CoP is about health: dave, a member and its คุณประสาน, presented at its meeting yesterday;
    - bob is the public CoP's คุณลิขิต.
    """

    @classmethod
    def setUpTestData(cls) -> None:
        # Indexed as it is built, so that searches see it and later saves re-index it.
        with cls.captureOnCommitCallbacks(execute=True):
            cls.build()

    @classmethod
    def build(cls) -> None:
        super().setUpTestData()
        cls.water = Topic.objects.create(slug="water", name_th="การบริหารจัดการน้ำชุมชน", name_en="Water management")
        cls.irrigation = Topic.objects.create(
            slug="irrigation", parent=cls.water, name_th="ระบบชลประทานขนาดเล็ก", name_en="Small irrigation"
        )
        cls.health = Topic.objects.create(slug="health", name_th="สาธารณสุขมูลฐาน", name_en="Primary health care")

        cls.weir_guide = write(cls.alice, "คู่มือสร้างฝายชะลอน้ำ", [cls.irrigation])
        cls.alpha_memo = write(cls.alice, "บันทึกภายในเรื่องยุงลาย", [cls.health], "organization")
        cls.volunteers = write(cls.carol, "ถอดบทเรียนอาสาสมัครสาธารณสุข", [cls.health], "public")

        update(cls.public, topic_ids=[cls.water.pk])
        update(cls.secret, topic_ids=[cls.health.pk])
        cls.forum = make_meeting(cls.public, "เวทีแลกเปลี่ยนเรื่องน้ำ", place="ศาลาประชาคม")
        cls.rainwater = present(cls.forum, cls.bob, "การเก็บน้ำฝนในโรงเรียน")
        present(make_meeting(cls.public, "เวทีครั้งหน้า", days_from_now=1), cls.carol, "แผนงานปีหน้า")
        present(make_meeting(cls.public, "เวทีที่ยกเลิก", days_from_now=2, cancelled=True), cls.erin, "เรื่องที่ไม่ได้เล่า")

        actions.do_invite(cls.alice, cls.secret, "dave")
        actions.do_answer_invitation(cls.dave, cls.secret, accept=True)
        dave_in_secret = Membership.objects.get(community=cls.secret, user=cls.dave)
        actions.do_set_km_role(cls.alice, dave_in_secret, "coordinator")
        bob_in_public = Membership.objects.get(community=cls.public, user=cls.bob)
        actions.do_set_km_role(cls.alice, bob_in_public, "note_taker")
        cls.secret_meeting = make_meeting(cls.secret, "ประชุมวางแผนเฉพาะกิจ")
        present(cls.secret_meeting, cls.dave, "แผนรับมือโรคไข้เลือดออก")


__all__ = ["WorkTestCase", "make_meeting", "make_reply", "make_thread", "present", "write"]
