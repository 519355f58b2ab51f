"""Five demo communities of practice over the demo network (platoo.network.demo must be loaded first)."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from platoo.accounts.models import User
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.visibility import Visibility
from platoo.network.models import NetworkLevel

from .actions import CommunityData, do_create_community
from .models import Community, CommunityStep, CommunityVisibility, Membership, SharedItem, StageChange

DEMO_CONTENT = "communities of practice"  # how load_demo names what load() counted

DEMO_PREFIX = "demo-"


@dataclass(frozen=True)
class DemoCoP:
    slug: str
    name: str
    domain: str
    purpose: str
    level: int
    visibility: str
    admin: str
    members: tuple[tuple[str, str], ...]  # (username, km_role)
    stages: tuple[tuple[str, int, str], ...]  # (stage, days ago, note), oldest first
    steps: tuple[tuple[int, int, str], ...]  # (number, days ago, note)
    sharers: tuple[str, ...]  # the items of these authors are shared


COPS: tuple[DemoCoP, ...] = (
    DemoCoP(
        "demo-handover",
        "ชุมชนนักปฏิบัติการส่งเวรทางการพยาบาล",
        "การส่งเวรและการสื่อสารระหว่างเวรในหอผู้ป่วย",
        "แลกเปลี่ยน**วิธีส่งเวร**ที่ปลอดภัย และพัฒนาแบบฟอร์มร่วมกัน",
        NetworkLevel.CROSS_FUNCTION,
        CommunityVisibility.PUBLIC,
        "supaporn",
        (("demo", "note_taker"), ("nattaya", "sponsor"), ("kittipong", "facilitator"), ("lamai", "practitioner")),
        (
            ("potential", 700, "เริ่มคุยกันหลังเหตุการณ์ส่งเวรตกหล่น"),
            ("coalescing", 520, "ตกลงประเด็นร่วมได้"),
            ("maturing", 200, "มีแบบฟอร์มใหม่ใช้จริงทุกหอ"),
        ),
        (
            (1, 690, "ทบทวนเหตุการณ์ส่งเวรผิดพลาดในปีที่ผ่านมา"),
            (2, 680, "ตั้งเป้าลดความคลาดเคลื่อนในการส่งเวรร่วมกัน"),
            (3, 650, "ตกลงใช้แบบส่งเวร SBAR ทั้งสามหอผู้ป่วย"),
            (5, 600, "นัดวงเล่าเรื่องข้ามหอทุกเดือนที่ห้องประชุมชั้น 3"),
        ),
        ("demo", "supaporn", "nattaya"),
    ),
    DemoCoP(
        "demo-rice-bank",
        "ชุมชนนักปฏิบัติธนาคารข้าวและกองทุนชุมชน",
        "การบริหารธนาคารข้าวและกลุ่มออมทรัพย์",
        "เรียนรู้จากกลุ่มที่ทำสำเร็จ แล้วขยายผลสู่หมู่บ้านใกล้เคียง",
        NetworkLevel.NEIGHBOURING_AREAS,
        CommunityVisibility.PUBLIC,
        "orapin",
        (
            ("khamphan", "coordinator"),
            ("phan", "practitioner"),
            ("lamai", "practitioner"),
            ("somsak", "sponsor"),
            ("arunee", "facilitator"),
            ("teerawat", ""),
        ),
        (
            ("potential", 730, "ผู้นำกลุ่มพบกันในเวทีมูลนิธิ"),
            ("coalescing", 600, "ตั้งวงเรียนรู้ทุกเดือน"),
            ("maturing", 400, "ทำคู่มือธนาคารข้าวร่วมกัน"),
            ("stewardship", 90, "ส่งต่อบทบาทให้คนรุ่นใหม่"),
        ),
        (
            (1, 720, "ทบทวนบทเรียนธนาคารข้าวของแต่ละหมู่บ้าน"),
            (3, 700, "ตกลงยุทธศาสตร์ความมั่นคงทางอาหารของสามหมู่บ้าน"),
            (4, 690, "วางแผนงานร่วมและหมุนเวียนบทบาทคุณลิขิต"),
            (5, 650, "วางแผนประสานงานกับเครือข่ายเกษตรอำเภอ"),
            (6, 640, "เยี่ยมธนาคารข้าวบ้านห้วยทรายและลงมือทำตาม"),
            (7, 500, "ถอดบทเรียนเป็นคู่มือธนาคารข้าว"),
            (8, 300, "หมู่บ้านใกล้เคียงนำไปใช้"),
        ),
        ("phan", "orapin", "khamphan", "somsak"),
    ),
    DemoCoP(
        "demo-water-ops",
        "ชุมชนนักปฏิบัติงานซ่อมท่อประปา",
        "การซ่อมบำรุงท่อประธานและการรับมือเหตุฉุกเฉิน",
        "รวบรวมความรู้ฝังลึกของช่างก่อนเกษียณ",
        NetworkLevel.AREA,
        CommunityVisibility.CLOSED,
        "duangjai",
        (("chaiwat", "sponsor"), ("wuttichai", "facilitator"), ("manop", "practitioner"), ("jintana", "")),
        (("potential", 500, "เริ่มจากเหตุท่อแตกกลางตลาด"), ("coalescing", 250, "ชวนวิทยาลัยเทคนิคร่วม")),
        ((1, 490, "ทบทวนบทเรียนงานซ่อมท่อแตกปีก่อน"), (2, 480, "ตั้งเป้าลดเวลาซ่อมท่อร่วมกัน")),
        ("duangjai", "manop"),
    ),
    DemoCoP(
        "demo-km-facilitators",
        "วงคุณอำนวยเครือข่าย",
        "ทักษะคุณอำนวยและการถอดบทเรียน",
        "พื้นที่ปลอดภัยสำหรับคุณอำนวยทั้งเครือข่าย",
        NetworkLevel.HUB,
        CommunityVisibility.SECRET,
        "kittipong",
        (
            ("teerawat", "facilitator"),
            ("siriporn", "note_taker"),
            ("orapin", "facilitator"),
            ("jintana", "facilitator"),
            ("kanokwan", "facilitator"),
            ("thanawat", "note_taker"),
            ("wipawee", "sponsor"),
        ),
        (
            ("potential", 650, "คุณอำนวยหลายองค์กรอยากมีวงของตัวเอง"),
            ("coalescing", 500, "พบกันทุกไตรมาส"),
            ("maturing", 300, "ใช้ AAR ร่วมกันทุกเวที"),
            ("stewardship", 120, "ฝึกคุณอำนวยรุ่นใหม่"),
            ("transformation", 20, "ขยายเป็นหลักสูตรของเครือข่าย"),
        ),
        (
            (1, 640, "ทบทวนบทเรียนการพัฒนาทักษะหลายด้าน"),
            (2, 630, "ตกลงเป้าหมายทักษะที่อยากพัฒนาร่วมกัน"),
            (3, 620, "ตกลงยุทธศาสตร์หมุนเวียนงานข้ามองค์กร"),
            (4, 600, "วางแผนปฏิบัติการร่วมของแปดองค์กร"),
            (5, 590, "วางแผนประสานงานเครือข่ายผ่านเวทีออนไลน์"),
            (9, 100, "ทบทวนผลหนึ่งปี"),
        ),
        ("teerawat", "kittipong", "siriporn"),
    ),
    DemoCoP(
        "demo-crafts",
        "ชุมชนนักปฏิบัติงานหัตถกรรมพื้นบ้าน",
        "การย้อมสีธรรมชาติ งานปั้นและการขายออนไลน์",
        "ช่างฝีมือสองภาคเรียนรู้จากกันและกัน",
        NetworkLevel.CROSS_BOUNDARY,
        CommunityVisibility.PUBLIC,
        "kanokwan",
        (
            ("boonmee", "practitioner"),
            ("buaphan", "practitioner"),
            ("kaewta", "note_taker"),
            ("jirayu", "it_support"),
            ("sarawut", ""),
        ),
        (("potential", 300, "พบกันที่งานแสดงสินค้า"), ("coalescing", 60, "เริ่มวงเรียนรู้ออนไลน์")),
        ((1, 290, "ทบทวนบทเรียนการย้อมสีธรรมชาติ"), (3, 250, "ตกลงยุทธศาสตร์ร่วมกับกลุ่มทอผ้า")),
        ("buaphan", "boonmee", "kaewta"),
    ),
)


@transaction.atomic
def load() -> int:
    """Create the demo CoPs (skipping any already there); returns how many demo CoPs exist."""
    now = timezone.now()
    names = {spec.admin for spec in COPS} | {n for spec in COPS for n, _r in spec.members}
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    for spec in COPS:
        if Community.objects.filter(slug=spec.slug).exists():
            continue
        admin = users[spec.admin]
        people = [admin, *(users[name] for name, _role in spec.members)]
        org_ids = sorted({p.organization_id for p in people if p.organization_id})
        first_stage, first_days, _note = spec.stages[0]
        community = do_create_community(
            admin,
            CommunityData(
                name=spec.name,
                slug=spec.slug,
                domain=spec.domain,
                purpose=spec.purpose,
                level=spec.level,
                visibility=spec.visibility,
                stage=first_stage,
                organization_ids=org_ids,
            ),
        )
        started = now - timedelta(days=first_days)
        Community.objects.filter(pk=community.pk).update(created_at=started)
        Membership.objects.filter(community=community).update(joined_at=started)
        StageChange.objects.filter(community=community).delete()
        for stage, days, note in spec.stages:
            StageChange.objects.create(
                community=community, stage=stage, changed_by=admin, changed_at=now - timedelta(days=days), note=note
            )
        Community.objects.filter(pk=community.pk).update(stage=spec.stages[-1][0])
        for index, (name, km_role) in enumerate(spec.members):
            Membership.objects.create(
                community=community,
                user=users[name],
                km_role=km_role,
                status=Membership.Status.ACTIVE,
                joined_at=started + timedelta(days=7 * (index + 1)),
            )
        for number, days, note in spec.steps:
            CommunityStep.objects.filter(community=community, number=number).update(
                done_on=(now - timedelta(days=days)).date(), notes=note
            )
        items = KnowledgeItem.objects.filter(
            created_by__username__in=spec.sharers, visibility__in=[Visibility.PUBLIC, Visibility.NETWORK]
        ).order_by("pk")[:5]
        for index, item in enumerate(items):
            SharedItem.objects.create(
                community=community,
                item=item,
                shared_by=item.created_by,
                shared_at=now - timedelta(days=max(first_days - 30 * (index + 1), 1)),
            )
    return Community.objects.filter(slug__startswith=DEMO_PREFIX).count()


@transaction.atomic
def remove() -> None:
    Community.objects.filter(slug__in=[spec.slug for spec in COPS]).delete()
