"""The communities cast (alice admins a public, a closed and a secret CoP; bob is in the public one),
plus a topic tree and a helper to notify through the real action."""

from typing import Any

from platoo.accounts.models import User
from platoo.activity.actions import notify
from platoo.activity.models import Notification, NotificationKind
from platoo.communities.tests.base import CoPTestCase, make_community
from platoo.knowledge.actions import ItemData, do_create_item
from platoo.knowledge.models import KnowledgeItem, Topic


def write_item(author: User, title: str, **fields: Any) -> KnowledgeItem:
    fields.setdefault("body", "เนื้อหา")
    return do_create_item(author, ItemData(title=title, **fields))


class ActivityTestCase(CoPTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.health = Topic.objects.create(slug="health", name_th="สุขภาพ", name_en="Health")
        cls.nursing = Topic.objects.create(slug="nursing", name_th="การพยาบาล", name_en="Nursing", parent=cls.health)

    def notify_one(
        self,
        recipient: User,
        kind: str = NotificationKind.REPLY,
        title: str = "การส่งเวรเวรดึก",
        actor: User | None = None,
    ) -> Notification:
        """Notify as a caller would, running what the commit would run (the email task)."""
        with self.captureOnCommitCallbacks(execute=True):
            rows = notify([recipient], kind, actor=actor or self.alice, title=title, url="/communities/open-cop/")
        return rows[0]


__all__ = ["ActivityTestCase", "make_community", "write_item"]
