"""A cast for the cycle: alice writes in alpha; a panel of five experts (carol chairs) looks after a topic;
a manager runs the hub. Everything is made with the real actions."""

from typing import Any

from platoo.accounts.models import User
from platoo.accounts.tests.helpers import CastTestCase, make_person
from platoo.cycle import actions
from platoo.cycle.models import CriticalKnowledge, Panel, ReviewRound
from platoo.events.tests.base import grant_manager
from platoo.knowledge.actions import ItemData, do_create_item
from platoo.knowledge.models import KnowledgeItem, Topic

GOOD_REVIEW = actions.ReviewData(accuracy=5, applicability=4, evidence=4, recommendation="verify")


def make_topic(slug: str, parent: Topic | None = None) -> Topic:
    return Topic.objects.create(slug=slug, name_th=f"หัวข้อ {slug}", name_en=f"Topic {slug}", parent=parent)


def make_panel(hub: User, topic: Topic, experts: list[User], chair: User | None = None, **extra: Any) -> Panel:
    data = actions.PanelData(
        name=f"คลังสมอง {topic.name_th}",
        topic_id=topic.pk,
        member_ids=[e.pk for e in experts],
        chair_id=(chair or experts[0]).pk,
        **extra,
    )
    return actions.do_save_panel(hub, None, data)


def categories(topic: Topic, owner_id: int | None) -> actions.Categories:
    return actions.Categories(
        topic_id=topic.pk,
        knowledge_type="tacit",
        audience="practitioners",
        source="visit",
        owner_id=owner_id,
        priority="good_practice",
    )


class CycleTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.hub = grant_manager(make_person(cls.admin, "manny", cls.beta))
        cls.experts = [make_person(cls.admin, f"expert{n}", cls.beta) for n in range(4)]
        cls.topic = make_topic("patient-safety")
        cls.subtopic = make_topic("medication-errors", cls.topic)
        # carol chairs; she and four more make the minimum of five.
        cls.panel = make_panel(cls.hub, cls.topic, [cls.carol, *cls.experts], chair=cls.carol)

    def make_item(
        self, title: str = "ลดความคลาดเคลื่อนทางยา", author: User | None = None, **fields: Any
    ) -> KnowledgeItem:
        fields.setdefault("topic_ids", [self.subtopic.pk])
        data = ItemData(title=title, kind="lesson", body="เนื้อหาบทเรียน", **fields)
        return do_create_item(author or self.alice, data)

    def categorized(self, item: KnowledgeItem | None = None) -> CriticalKnowledge:
        item = item or self.make_item()
        critical = actions.do_mark_critical(self.alice, item)
        return actions.do_categorize(self.alice, critical, categories(self.subtopic, self.alpha.pk), critical.version)

    def in_review(self, item: KnowledgeItem | None = None) -> CriticalKnowledge:
        critical = self.categorized(item)
        return actions.do_move(self.alice, critical, "submit", base_version=critical.version)

    def open_round(self, critical: CriticalKnowledge) -> ReviewRound:
        return ReviewRound.objects.get(critical=critical, closed_at__isnull=True)

    def verified(self, item: KnowledgeItem | None = None) -> CriticalKnowledge:
        critical = self.in_review(item)
        review_round = self.open_round(critical)
        for expert in self.experts[:3]:
            actions.do_review(expert, review_round, GOOD_REVIEW)
        return actions.do_decide(self.carol, review_round, "verified")
