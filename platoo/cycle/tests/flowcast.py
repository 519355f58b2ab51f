"""A cast for syntheses and applications: a topic with its panel of five experts, and knowledge the panel
verified through the real actions (mark, categorize, submit, three reviews, the chair's verdict).

alice and bob work in alpha, carol in beta, dave in no organization; gail in gamma; the experts (ex1–ex5,
ex1 the chair) work in delta; manny is the hub.
"""

from typing import Any

from django.utils import translation

from platoo.accounts.models import User
from platoo.accounts.tests.helpers import CastTestCase, make_organization, make_person
from platoo.events.tests.base import grant_manager
from platoo.knowledge.actions import ItemData, do_create_item
from platoo.knowledge.models import KnowledgeItem, Topic

from .. import actions
from ..models import (
    Audience,
    CriticalKnowledge,
    KnowledgeType,
    Outcome,
    Panel,
    PanelMember,
    Priority,
    Recommendation,
    Source,
)


class FlowTestCase(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.gamma = make_organization(cls.admin, "gamma")
        cls.delta = make_organization(cls.admin, "delta")
        cls.gail = make_person(cls.admin, "gail", cls.gamma)
        cls.manager = grant_manager(make_person(cls.admin, "manny", cls.beta))
        cls.topic = Topic.objects.create(slug="patient-safety", name_th="ความปลอดภัยผู้ป่วย", name_en="Patient safety")
        cls.panel = Panel.objects.create(topic=cls.topic, name="คลังสมองความปลอดภัย", quorum=3)
        cls.experts = [make_person(cls.admin, f"ex{n}", cls.delta) for n in range(1, 6)]
        for n, expert in enumerate(cls.experts):
            PanelMember.objects.create(panel=cls.panel, user=expert, is_chair=n == 0)
        cls.chair = cls.experts[0]
        cls.expert = cls.experts[1]

    def setUp(self) -> None:
        super().setUp()
        # The actions' messages are read in English here; the pages are tested in Thai, their default.
        translation.activate("en")
        self.addCleanup(translation.deactivate)


def write(author: User, title: str, topic: Topic | None = None, **fields: Any) -> KnowledgeItem:
    data = ItemData(title=title, body=fields.pop("body", f"เนื้อหาของ {title}"), **fields)
    if topic is not None:
        data.topic_ids = [topic.pk]
    return do_create_item(author, data)


def verify(case: FlowTestCase, item: KnowledgeItem) -> CriticalKnowledge:
    """Walk an item through the cycle to "verified", with its panel."""
    author = User.objects.get(pk=item.created_by_id)
    critical = actions.do_mark_critical(author, item)
    categories = actions.Categories(
        topic_id=case.topic.pk,
        knowledge_type=KnowledgeType.EXPLICIT,
        audience=Audience.EVERYONE,
        source=Source.VISIT,
        owner_id=critical.owner_id or case.alpha.pk,
        priority=Priority.GOOD_PRACTICE,
    )
    critical = actions.do_categorize(author, critical, categories, base_version=critical.version)
    critical = actions.do_move(author, critical, "submit", base_version=critical.version)
    review_round = critical.rounds.get(closed_at__isnull=True)
    for expert in case.experts[1:4]:
        actions.do_review(expert, review_round, actions.ReviewData(4, 4, 4, Recommendation.VERIFY))
    return actions.do_decide(case.chair, review_round, Outcome.VERIFIED)


def verified_item(case: FlowTestCase, author: User, title: str, visibility: str = "", **fields: Any) -> KnowledgeItem:
    """A verified item; with a narrower `visibility`, narrowed once verified (the panel, of another
    organization, could not have read an organization-only item; an edit would send it back to review)."""
    item = write(author, title, case.topic, **fields)
    verify(case, item)
    if visibility:
        KnowledgeItem.objects.filter(pk=item.pk).update(visibility=visibility)
        item.refresh_from_db()
    return item
