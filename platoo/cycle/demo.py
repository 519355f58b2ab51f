"""The demo network's knowledge cycle (platoo.network.demo must be loaded first).

Three expert panels (คลังสมอง) look after three of the network's critical topics. Demo items on those
topics are walked through the cycle with the real actions, as the hub, their authors and the experts
would: some just captured, some categorized, in review, returned, rejected, verified, analyzed,
standardized, archived, superseded, and one whose verification has run out. Then each item's timeline
is dated back over the past year, so the stages have the durations a running network would show.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from platoo.accounts.models import User
from platoo.knowledge.models import KnowledgeItem, Topic
from platoo.lib.visibility import Visibility
from platoo.network.demo.people import ADMIN_USERNAME
from platoo.network.models import is_network_manager

from . import actions
from .actions.stages import reverify_due_date
from .models import CriticalKnowledge, Panel, Review, ReviewRound, Stage, Transition

__all__ = ["DEMO_CONTENT", "load", "remove"]

DEMO_CONTENT = "items in the knowledge cycle"
MARK = "[demo]"  # ends each demo panel's description, so remove() finds them


@dataclass(frozen=True)
class DemoPanel:
    topic: str
    name: str
    experts: tuple[str, ...]  # the first chairs
    description: str


PANELS = (
    DemoPanel(
        "tacit-knowledge",
        "คลังสมองด้านความรู้ฝังลึกและการสอนงาน",
        ("kanokwan", "kittipong", "teerawat", "wuttichai", "arunee", "supaporn"),
        "ทวนสอบเรื่องเล่าและบทเรียนจากการสอนงาน การถอดความรู้จากผู้เชี่ยวชาญ และการสืบทอดความรู้ในองค์กร",
    ),
    DemoPanel(
        "data-driven-decisions",
        "คลังสมองด้านการตัดสินใจด้วยข้อมูล",
        ("jirayu", "duangjai", "pimchanok", "nattaya", "siriporn"),
        "ทวนสอบแนวปฏิบัติด้านการเก็บ วิเคราะห์ และใช้ข้อมูลประกอบการตัดสินใจของหน่วยงานสมาชิก",
    ),
    DemoPanel(
        "local-wisdom",
        "คลังสมองด้านภูมิปัญญาท้องถิ่น",
        ("buaphan", "boonmee", "phan", "khamphan", "somsak", "orapin"),
        "ทวนสอบความรู้จากภูมิปัญญาท้องถิ่น อาชีพชุมชน และการจัดการทรัพยากรโดยชุมชน",
    ),
)

# Where each demo item ends up, in the order the items of a panel's topic are taken.
PLAN = (
    Stage.STANDARDIZED,
    Stage.VERIFIED,
    Stage.ANALYZED,
    "due",  # verified over a year ago: due for re-verification
    Stage.IN_REVIEW,
    Stage.RETURNED,
    Stage.CATEGORIZED,
    Stage.CAPTURED,
    Stage.REJECTED,
    Stage.ARCHIVED,
    Stage.SUPERSEDED,
    Stage.VERIFIED,
)


def _hub() -> User | None:
    admin = User.objects.filter(username=ADMIN_USERNAME, is_active=True).first()
    if admin is not None and is_network_manager(admin):
        return admin
    return User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


def demo_panels() -> QuerySet[Panel]:
    return Panel.objects.filter(description__endswith=MARK)


def _items_on(topic: Topic, taken: set[int]) -> list[KnowledgeItem]:
    items = (
        KnowledgeItem.objects.filter(
            topics__in=topic.descendant_ids(), visibility__in=[Visibility.PUBLIC, Visibility.NETWORK]
        )
        .exclude(pk__in=taken)
        .distinct()
        .order_by("pk")
        .prefetch_related("authors")
    )
    return list(items)


def _categories(item: KnowledgeItem, topic: Topic, rng: random.Random) -> actions.Categories:
    topic_id = item.topics.filter(pk__in=topic.descendant_ids()).values_list("pk", flat=True).first() or topic.pk
    return actions.Categories(
        topic_id=topic_id,
        knowledge_type=rng.choice(["tacit", "tacit", "explicit"]),
        audience=rng.choice(["everyone", "practitioners", "facilitators", "newcomers"]),
        source=rng.choice(["visit", "cop", "share_show", "interview", "document"]),
        owner_id=item.organization_id
        or next((a.organization_id for a in item.authors.all() if a.organization_id), None),
        priority=rng.choice(["good_practice", "good_practice", "information", "caution", "urgent"]),
    )


def _review_round(critical: CriticalKnowledge, panel: Panel, recommend: str, rng: random.Random) -> ReviewRound:
    review_round = ReviewRound.objects.get(critical=critical, closed_at__isnull=True)
    authors = {a.pk for a in critical.item.authors.all()} | {critical.item.created_by_id}
    members = sorted(
        panel.members.select_related("user"), key=lambda m: m.is_chair
    )  # the chair reviews last, if needed
    reviewers = [m.user for m in members if m.user_id not in authors]
    for reviewer in reviewers[: panel.quorum]:
        actions.do_review(
            reviewer,
            review_round,
            actions.ReviewData(
                accuracy=rng.randint(4, 5) if recommend == "verify" else rng.randint(2, 3),
                applicability=rng.randint(3, 5) if recommend == "verify" else rng.randint(1, 3),
                evidence=rng.randint(3, 5) if recommend == "verify" else 2,
                recommendation=recommend,
                risks="" if recommend == "verify" else "ยังไม่มีข้อมูลผลลัพธ์ที่วัดได้",
                comments="ถูกต้องตามที่ปฏิบัติจริง นำไปใช้ในหน่วยงานอื่นได้"
                if recommend == "verify"
                else "ควรเพิ่มตัวเลขผลลัพธ์และเงื่อนไขที่ทำให้สำเร็จ",
            ),
        )
    return review_round


def _walk(hub: User, item: KnowledgeItem, panel: Panel, goal: str, rng: random.Random) -> CriticalKnowledge:
    author = item.authors.first() or hub
    chair = panel.members.get(is_chair=True).user
    if item.is_author(chair):
        chair = hub  # an author never decides on their own item: the hub records the verdict
    critical = actions.do_mark_critical(author, item)
    if goal == Stage.CAPTURED:
        return critical
    critical = actions.do_categorize(author, critical, _categories(item, panel.topic, rng), critical.version)
    if goal == Stage.CATEGORIZED:
        return critical
    if goal == Stage.ARCHIVED:
        return actions.do_move(hub, critical, "archive", base_version=critical.version, reason="ซ้ำกับเรื่องที่ทวนสอบแล้ว")
    critical = actions.do_move(author, critical, "submit", base_version=critical.version)
    if goal == Stage.IN_REVIEW:
        review_round = ReviewRound.objects.get(critical=critical, closed_at__isnull=True)
        reviewer = next(m.user for m in panel.members.select_related("user") if not item.is_author(m.user))
        actions.do_review(reviewer, review_round, actions.ReviewData(5, 4, 3, "verify", comments="ใช้ได้ดี"))
        return critical
    recommendations: dict[str, str] = {Stage.RETURNED: "revise", Stage.REJECTED: "reject"}
    recommend = recommendations.get(goal, "verify")
    review_round = _review_round(critical, panel, recommend, rng)
    if goal == Stage.RETURNED:
        return actions.do_decide(chair, review_round, "returned", note="ขอให้เพิ่มผลลัพธ์ที่วัดได้ก่อนส่งกลับมา")
    if goal == Stage.REJECTED:
        return actions.do_decide(chair, review_round, "rejected", note="เป็นความเห็นส่วนตัวมากกว่าความรู้ที่ทดลองใช้แล้ว")
    critical = actions.do_decide(chair, review_round, "verified")
    if goal == Stage.ANALYZED:
        critical = actions.do_move(
            chair, critical, "analyze", base_version=critical.version, reason="วิเคราะห์ปัจจัยความสำเร็จแล้ว"
        )
    if goal == Stage.STANDARDIZED:
        critical = actions.do_move(chair, critical, "analyze", base_version=critical.version, reason="วิเคราะห์แล้ว")
        critical = actions.do_move(
            chair, critical, "standardize", base_version=critical.version, reason="คลังสมองรับรองเป็นมาตรฐานการทำงาน"
        )
    return critical


def _date_back(critical: CriticalKnowledge, start: datetime, rng: random.Random, due: bool) -> None:
    """Spread the item's timeline from `start` on, a few days to weeks a step, as it would have happened.
    A demo item goes through one review round at most: it opens with the move into review, and closes
    with the next move."""
    steps = list(critical.transitions.order_by("at", "pk"))
    moments = [start]
    for _step in steps[1:]:
        moments.append(moments[-1] + timedelta(days=rng.randint(4, 30), hours=rng.randint(0, 8)))
    for step, moment in zip(steps, moments, strict=True):
        Transition.objects.filter(pk=step.pk).update(at=moment)
    values: dict[str, object] = {"stage_since": moments[-1]}
    review_round = critical.rounds.first()
    opened = next((i for i, step in enumerate(steps) if step.to_stage == Stage.IN_REVIEW), None)
    if review_round is not None and opened is not None:
        closed_at = moments[opened + 1] if review_round.closed_at and opened + 1 < len(moments) else None
        ReviewRound.objects.filter(pk=review_round.pk).update(opened_at=moments[opened], closed_at=closed_at)
        Review.objects.filter(round=review_round).update(
            submitted_at=moments[opened] + timedelta(days=rng.randint(1, 3))
        )
        if closed_at is not None and critical.verified_at is not None and critical.panel is not None:
            values.update(
                verified_at=closed_at, reverify_due=reverify_due_date(closed_at.date(), critical.panel.reverify_months)
            )
    if due:
        values["reverify_due"] = timezone.localdate() - timedelta(days=20)
    CriticalKnowledge.objects.filter(pk=critical.pk).update(**values)


@transaction.atomic
def load() -> int:
    """Set up the demo panels and walk the demo items through the cycle, unless done already; returns how
    many items are in the cycle."""
    hub = _hub()
    if hub is None or demo_panels().exists():
        return CriticalKnowledge.objects.count()
    rng = random.Random(2569)
    people = {u.username: u for u in User.objects.filter(username__in={n for p in PANELS for n in p.experts})}
    taken: set[int] = set()
    now = timezone.now()
    for spec in PANELS:
        topic = Topic.objects.filter(slug=spec.topic).first()
        experts = [people[name] for name in spec.experts if name in people]
        if topic is None or len(experts) < 5:
            continue
        panel = actions.do_save_panel(
            hub,
            None,
            actions.PanelData(
                name=spec.name,
                topic_id=topic.pk,
                member_ids=[e.pk for e in experts],
                chair_id=experts[0].pk,
                description=f"{spec.description} {MARK}",
                quorum=3,
                reverify_months=12,
            ),
        )
        owned = [item for item in _items_on(topic, taken) if item.organization_id]
        for goal, item in zip(PLAN, owned, strict=False):
            taken.add(item.pk)
            critical = _walk(hub, item, panel, Stage.VERIFIED if goal == "due" else goal, rng)
            if goal == Stage.SUPERSEDED:
                newer = next((i for i in _items_on(topic, taken)), None)
                if newer is not None:
                    critical = actions.do_move(
                        hub,
                        critical,
                        "supersede",
                        base_version=critical.version,
                        reason="มีฉบับที่ปรับปรุงแล้ว",
                        superseded_by=newer,
                    )
            start = now - timedelta(days=420 if goal == "due" else rng.randint(90, 330))
            _date_back(critical, start, rng, due=goal == "due")
    return CriticalKnowledge.objects.count()


@transaction.atomic
def remove() -> None:
    panels = demo_panels()
    CriticalKnowledge.objects.filter(panel__in=panels).delete()
    panels.delete()
