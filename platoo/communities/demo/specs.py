"""The demo communities: who is in them, how far they have come, and what they did (in Thai)."""

from dataclasses import dataclass, field

from platoo.network.models import NetworkLevel

from ..models import CommunityVisibility


@dataclass(frozen=True)
class DemoMeeting:
    title: str
    days_ago: int  # negative: upcoming
    place: str
    agenda: tuple[tuple[str, str], ...]  # (point, presenter username or "")
    attendees: tuple[str, ...]
    minutes: str = ""
    aar: tuple[str, str, str, str] | None = None  # expected, happened, difference, next time
    captured: tuple[str, str] | None = None  # (title, body) of a lesson captured at the meeting
    online_url: str = ""


@dataclass(frozen=True)
class DemoThread:
    author: str
    title: str
    body: str
    days_ago: int
    replies: tuple[tuple[str, int, str], ...]  # (author, days ago, body)
    question: bool = False
    accepted: int | None = None  # index of the accepted reply
    made_knowledge: int | None = None  # index of the reply turned into a knowledge item


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
    topics: tuple[str, ...] = ()  # topic slugs
    meetings: tuple[DemoMeeting, ...] = ()
    threads: tuple[DemoThread, ...] = field(default=())


HANDOVER_MEETINGS = tuple(
    DemoMeeting(
        title,
        days,
        "ห้องประชุมชั้น 3 โรงพยาบาลนาแก้ว",
        agenda,
        attendees,
        minutes,
        aar,
        captured,
    )
    for title, days, agenda, attendees, minutes, aar, captured in (
        (
            "วงเล่าเรื่องเหตุการณ์ส่งเวรตกหล่น",
            330,
            (("เล่าเหตุการณ์ส่งเวรตกหล่นในหอผู้ป่วยอายุรกรรม", "demo"), ("สรุปประเด็นร่วม", "kittipong")),
            ("supaporn", "demo", "kittipong", "lamai"),
            "ทุกหอเล่าเหตุการณ์ที่ข้อมูลผู้ป่วยตกหล่นระหว่างเวร พบว่าส่วนใหญ่เกิดช่วงเวรดึกต่อเวรเช้า และเกิดเมื่อไม่มีแบบฟอร์มกลาง",
            (
                "ได้รายการเหตุการณ์ที่ทุกหอเห็นตรงกัน",
                "ได้เรื่องเล่า 6 เรื่อง แต่ยังไม่ได้ข้อสรุปว่าจะใช้แบบฟอร์มใด",
                "เวลาไม่พอ ทุกคนอยากเล่าเรื่องของหอตัวเอง",
                "ครั้งหน้าให้คุณลิขิตสรุปประเด็นทุก 20 นาที",
            ),
            None,
        ),
        (
            "ทดลองแบบส่งเวร SBAR",
            275,
            (("สาธิตการส่งเวรแบบ SBAR", "supaporn"),),
            ("supaporn", "demo", "nattaya", "kittipong"),
            "ทดลองใช้ SBAR กับผู้ป่วยจริงสามราย ทุกคนเห็นว่าเข้าใจง่ายกว่าเดิม",
            None,
            None,
        ),
        (
            "ทบทวนผลการใช้ SBAR เดือนแรก",
            220,
            (("ตัวเลขความคลาดเคลื่อนก่อนและหลัง", "supaporn"), ("เสียงจากพยาบาลเวรดึก", "demo")),
            ("supaporn", "demo", "kittipong", "lamai", "nattaya"),
            "ความคลาดเคลื่อนในการส่งเวรลดลงจาก 14 เป็น 5 ครั้งต่อเดือน พยาบาลเวรดึกขอให้ย่อแบบฟอร์มให้สั้นลง",
            (
                "ความคลาดเคลื่อนลดลงครึ่งหนึ่ง",
                "ลดลงมากกว่าที่คาด แต่เวรดึกยังใช้ไม่ครบทุกข้อ",
                "แบบฟอร์มยาวเกินไปสำหรับช่วงที่งานยุ่ง",
                "ทำแบบย่อสำหรับเวรดึก และให้หัวหน้าเวรตรวจทุกสัปดาห์",
            ),
            (
                "บทเรียนจากการใช้แบบส่งเวร SBAR เดือนแรก",
                "เมื่อใช้แบบส่งเวร SBAR ครบทุกหอ ความคลาดเคลื่อนลดลงจาก 14 เป็น 5 ครั้งต่อเดือน "
                "ปัจจัยสำคัญคือหัวหน้าเวรช่วยตรวจ และแบบฟอร์มต้องสั้นพอสำหรับเวรดึก",
            ),
        ),
        (
            "แลกเปลี่ยนกับหอผู้ป่วยศัลยกรรม",
            165,
            (("ศัลยกรรมเล่าการส่งต่อผู้ป่วยหลังผ่าตัด", "lamai"),),
            ("supaporn", "demo", "lamai"),
            "",
            None,
            None,
        ),
        (
            "ปรับแบบฟอร์มฉบับที่ 2",
            110,
            (("ร่างแบบฟอร์มฉบับย่อ", "demo"), ("ความเห็นจากผู้บริหาร", "nattaya")),
            ("supaporn", "demo", "kittipong", "nattaya", "lamai"),
            "รับรองแบบฟอร์มฉบับที่ 2 ใช้ทุกหอตั้งแต่เดือนหน้า",
            None,
            None,
        ),
        (
            "ถอดบทเรียนครึ่งปี",
            55,
            (("เล่าเรื่องความสำเร็จของแต่ละหอ", "kittipong"),),
            ("supaporn", "demo", "kittipong", "lamai"),
            "ทุกหอใช้แบบฟอร์มฉบับที่ 2 แล้ว ไม่มีเหตุการณ์ร้ายแรงจากการส่งเวรในสามเดือนที่ผ่านมา",
            (
                "ทุกหอใช้แบบฟอร์มเดียวกัน",
                "ใช้ครบทุกหอ และเริ่มมีหอจากโรงพยาบาลอื่นขอแบบฟอร์ม",
                "ผู้บริหารสนับสนุนต่อเนื่องและให้เวลาประชุม",
                "เชิญโรงพยาบาลอื่นในเครือข่ายมาร่วมวงครั้งต่อไป",
            ),
            None,
        ),
        (
            "เปิดวงให้โรงพยาบาลในเครือข่าย",
            -12,
            (("นำเสนอแบบฟอร์มและวิธีใช้", "supaporn"), ("ถาม-ตอบ", "")),
            (),
            "",
            None,
            None,
        ),
    )
)


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
        topics=("quality-and-safety", "work-procedures", "communities-of-practice"),
        meetings=HANDOVER_MEETINGS,
        threads=(
            DemoThread(
                "demo",
                "เวรดึกส่งเวรให้ครบทุกข้อได้อย่างไร",
                "ช่วงตีห้างานยุ่งมาก หลายครั้งกรอกแบบส่งเวรไม่ครบ หอไหนมีวิธีดี ๆ บ้างคะ @kittipong",
                200,
                (
                    ("lamai", 198, "หอเราแบ่งผู้ป่วยเป็นกลุ่มสีตามความเสี่ยง ส่งกลุ่มแดงก่อนทุกครั้ง"),
                    (
                        "supaporn",
                        197,
                        "ลองใช้แบบฟอร์มฉบับย่อที่เน้น **S** กับ **R** ก่อนค่ะ ส่วน B กับ A เขียนต่อหลังส่งเวรได้",
                    ),
                    ("demo", 190, "ลองแบบของพี่สุภาพรแล้ว ใช้เวลาลดลงเกือบครึ่ง ขอบคุณค่ะ"),
                ),
                question=True,
                accepted=1,
                made_knowledge=1,
            ),
            DemoThread(
                "kittipong",
                "ชวนเล่า: ครั้งหนึ่งที่การส่งเวรช่วยชีวิตผู้ป่วย",
                "อยากให้ทุกคนเล่าเรื่องสั้น ๆ ไว้ใช้ในวงเล่าเรื่องครั้งหน้า",
                60,
                (
                    ("lamai", 58, "ผู้ป่วยเบาหวานที่น้ำตาลต่ำตอนเช้า เวรดึกเขียนไว้ชัดเจนจึงให้อาหารทัน"),
                    ("nattaya", 40, "ขอบคุณทุกเรื่องเล่า ผู้บริหารจะนำไปเล่าในเวทีโรงพยาบาลด้วย"),
                ),
            ),
        ),
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
        topics=("community-enterprise", "local-wisdom", "partnerships"),
        meetings=tuple(
            DemoMeeting(title, days, place, agenda, attendees, minutes, aar, captured)
            for title, days, place, agenda, attendees, minutes, aar, captured in (
                (
                    "เยี่ยมธนาคารข้าวบ้านห้วยทราย",
                    300,
                    "ศาลาประชาคมบ้านห้วยทราย",
                    (("เล่าประวัติธนาคารข้าว", "phan"), ("กติกาการยืมคืน", "khamphan")),
                    ("orapin", "phan", "khamphan", "lamai", "arunee"),
                    "ได้เห็นสมุดบัญชีข้าวที่จดมา 12 ปี และกติกาดอกเบี้ยเป็นข้าว",
                    (
                        "ได้รู้กติกาการยืมคืนข้าว",
                        "ได้ทั้งกติกาและวิธีจดบัญชี",
                        "ผู้เฒ่าผู้แก่มาเล่าเองจึงได้รายละเอียดมาก",
                        "บันทึกวิดีโอเรื่องเล่าของผู้เฒ่าไว้ด้วย",
                    ),
                    (
                        "กติกาธนาคารข้าวบ้านห้วยทราย",
                        "ธนาคารข้าวบ้านห้วยทรายให้ยืมข้าวในฤดูขาดแคลน คืนหลังเก็บเกี่ยวพร้อมดอกเบี้ยเป็นข้าว "
                        "ร้อยละ 10 คณะกรรมการหมุนเวียนทุกสองปี และจดบัญชีด้วยสมุดที่ทุกคนตรวจได้",
                    ),
                ),
                (
                    "วางแผนขยายผลสู่สามหมู่บ้าน",
                    240,
                    "มูลนิธิชุมชนไท",
                    (("แผนขยายผล", "orapin"),),
                    ("orapin", "phan", "khamphan", "somsak"),
                    "ตกลงเริ่มที่บ้านโนนสูงก่อน",
                    None,
                    None,
                ),
                (
                    "เรียนรู้การทำบัญชีกองทุน",
                    180,
                    "สำนักงานเกษตรจังหวัดขอนแก่น",
                    (("บัญชีครัวเรือนและบัญชีกองทุน", "arunee"),),
                    ("arunee", "phan", "lamai", "khamphan", "teerawat"),
                    "",
                    None,
                    None,
                ),
                (
                    "ส่งต่อบทบาทสู่คนรุ่นใหม่",
                    120,
                    "ศาลาประชาคมบ้านห้วยทราย",
                    (("ประสบการณ์ของกรรมการรุ่นแรก", "phan"),),
                    ("orapin", "phan", "khamphan", "lamai"),
                    "คนรุ่นใหม่สามคนรับเป็นกรรมการฝึกหัด",
                    None,
                    None,
                ),
                (
                    "ทบทวนคู่มือธนาคารข้าว",
                    35,
                    "มูลนิธิชุมชนไท",
                    (("สิ่งที่ต้องแก้ในคู่มือ", "khamphan"),),
                    ("orapin", "khamphan", "somsak", "arunee"),
                    "เพิ่มบทเรื่องการรับมือปีที่ผลผลิตตกต่ำ",
                    None,
                    None,
                ),
                (
                    "เวทีเรียนรู้ประจำปี",
                    -25,
                    "ศาลาประชาคมบ้านโนนสูง",
                    (("สามหมู่บ้านเล่าผลหนึ่งปี", ""),),
                    (),
                    "",
                    None,
                    None,
                ),
            )
        ),
        threads=(
            DemoThread(
                "phan",
                "ปีที่ข้าวเสียหายจากน้ำท่วม ทำอย่างไรกับหนี้ข้าว",
                "ปีนี้น้ำท่วมนาหลายแปลง สมาชิกคืนข้าวไม่ได้ ที่อื่นเคยเจอแบบนี้ไหมครับ",
                150,
                (
                    ("khamphan", 148, "บ้านโนนสูงเคยพักหนี้หนึ่งปีโดยไม่คิดดอกเบี้ย แล้วให้ช่วยงานกองทุนแทน"),
                    ("arunee", 140, "สำนักงานเกษตรมีเมล็ดพันธุ์ช่วยเหลือ ลองประสาน @somsak ดูครับ"),
                ),
                question=True,
                accepted=0,
            ),
        ),
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
        topics=("tacit-knowledge", "succession"),
        meetings=(
            DemoMeeting(
                "ถอดความรู้ช่างอาวุโสเรื่องท่อแตก",
                200,
                "โรงซ่อมการประปาส่วนภูมิภาคสาขาชลบุรี",
                (("เล่าเหตุท่อแตกกลางตลาด", "duangjai"), ("ขั้นตอนปิดวาล์วตามลำดับ", "manop")),
                ("duangjai", "chaiwat", "wuttichai", "manop"),
                "ได้ลำดับการปิดวาล์วที่ช่างอาวุโสใช้ ซึ่งไม่มีอยู่ในคู่มือ",
                None,
                (
                    "ลำดับการปิดวาล์วเมื่อท่อประธานแตก",
                    "ปิดวาล์วต้นทางก่อนเสมอ แล้วจึงปิดวาล์วปลายทาง เพื่อลดแรงดันย้อนกลับ และแจ้งโรงพยาบาลในพื้นที่ก่อนตัดน้ำทุกครั้ง",
                ),
            ),
            DemoMeeting(
                "ฝึกซ้อมร่วมกับวิทยาลัยเทคนิค",
                120,
                "วิทยาลัยเทคนิคชลบุรี",
                (("สาธิตการซ่อมท่อ", "manop"),),
                ("duangjai", "manop", "jintana"),
                "",
                None,
                None,
            ),
        ),
        threads=(
            DemoThread(
                "manop",
                "วัสดุซ่อมท่อ PE แบบไหนทนแรงดันสูง",
                "นักศึกษาถามมา อยากได้ความเห็นจากช่างหน้างานครับ",
                130,
                (("duangjai", 129, "ข้อต่อแบบสวมอัดทนกว่าแบบเชื่อมเมื่อต้องซ่อมเร่งด่วน"),),
                question=True,
            ),
        ),
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
        topics=("knowledge-management", "storytelling", "lessons-learned"),
        meetings=tuple(
            DemoMeeting(title, days, "ออนไลน์", agenda, attendees, minutes, None, None, "https://meet.example.org/km")
            for title, days, agenda, attendees, minutes in (
                (
                    "ฝึกฟังอย่างลึกซึ้ง",
                    270,
                    (("เทคนิคการฟังในวงเล่าเรื่อง", "teerawat"),),
                    ("kittipong", "teerawat", "siriporn", "orapin", "jintana"),
                    "ฝึกจับประเด็นจากเรื่องเล่าของเพื่อน ทุกคนสลับกันเป็นคุณลิขิต",
                ),
                (
                    "เมื่อวงเงียบ คุณอำนวยทำอย่างไร",
                    180,
                    (("เล่ากรณีวงเงียบ", "kanokwan"),),
                    ("kittipong", "kanokwan", "thanawat", "siriporn"),
                    "",
                ),
                (
                    "ออกแบบหลักสูตรคุณอำนวยรุ่นใหม่",
                    90,
                    (("โครงหลักสูตร", "siriporn"),),
                    ("kittipong", "siriporn", "teerawat", "wipawee", "orapin"),
                    "ตกลงหลักสูตรสามวัน เน้นฝึกจริงในวงเล่าเรื่อง",
                ),
                (
                    "ทบทวนหลักสูตรหลังรุ่นแรก",
                    20,
                    (("ผลประเมินรุ่นแรก", "thanawat"),),
                    ("kittipong", "thanawat", "siriporn", "jintana", "kanokwan"),
                    "",
                ),
            )
        ),
        threads=(
            DemoThread(
                "kanokwan",
                "ผู้บริหารเข้าวงแล้วทุกคนเงียบ",
                "มีใครเคยรับมือแบบนี้บ้างคะ อยากได้วิธีที่ไม่ทำให้ผู้บริหารเสียหน้า",
                170,
                (
                    ("teerawat", 168, "เชิญผู้บริหารเล่าเรื่องความล้มเหลวของตัวเองก่อน วงจะเปิดเอง"),
                    ("orapin", 165, "แยกวงย่อยก่อน แล้วค่อยให้ผู้บริหารฟังสรุป"),
                ),
                question=True,
                accepted=0,
            ),
        ),
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
        topics=("local-wisdom", "digital-tools"),
        meetings=(
            DemoMeeting(
                "ถ่ายภาพสินค้าด้วยมือถือ",
                50,
                "ออนไลน์",
                (("เทคนิคแสงธรรมชาติ", "jirayu"),),
                ("kanokwan", "jirayu", "kaewta", "buaphan"),
                "ฝึกถ่ายภาพผ้าย้อมครามให้สีตรงกับของจริง",
                None,
                None,
                "https://meet.example.org/crafts",
            ),
            DemoMeeting(
                "สีครามกับดินเผา: ลายร่วมสองภาค",
                10,
                "ออนไลน์",
                (("ลายผ้าบ้านนาบัว", "buaphan"), ("ลายบนดินเผาลำปาง", "boonmee")),
                ("kanokwan", "buaphan", "boonmee", "kaewta", "sarawut"),
                "ตกลงทำชุดสินค้าร่วมหนึ่งชุด",
                None,
                None,
                "https://meet.example.org/crafts",
            ),
        ),
        threads=(
            DemoThread(
                "kaewta",
                "ตั้งราคาผ้าย้อมครามขายออนไลน์อย่างไร",
                "ค่าส่งแพง ลูกค้าต่อราคา อยากรู้ว่าที่อื่นคิดราคาอย่างไรคะ",
                30,
                (
                    ("jirayu", 29, "ลองแยกค่าส่งออกจากราคาสินค้า แล้วบอกเรื่องราวของผ้าในหน้าสินค้า"),
                    ("boonmee", 25, "ดินเผาของเราขายเป็นชุด ลูกค้าต่อราคาน้อยลง"),
                ),
                question=True,
                made_knowledge=0,
            ),
        ),
    ),
    DemoCoP(
        "demo-digital-unit",
        "วงเรียนรู้เครื่องมือดิจิทัลกองส่งเสริม",
        "การใช้ระบบเอกสารอิเล็กทรอนิกส์ภายในกอง",
        "ช่วยกันใช้ระบบใหม่ให้คล่องภายในกองเดียวกัน",
        NetworkLevel.UNIT,
        CommunityVisibility.PUBLIC,
        "pimchanok",
        (("thanawat", "note_taker"), ("wipawee", "sponsor")),
        (("potential", 150, "ตั้งวงหลังเปลี่ยนระบบเอกสาร"),),
        ((1, 140, "รวบรวมปัญหาการใช้ระบบเอกสารใหม่"),),
        ("pimchanok",),
        topics=("digital-transformation", "digital-tools"),
        threads=(
            DemoThread(
                "pimchanok",
                "รวมคำถามที่พบบ่อยของระบบเอกสารใหม่",
                "เขียนคำถามไว้ที่นี่ได้เลยครับ จะรวบรวมทำคู่มือ",
                140,
                (("thanawat", 139, "ลงนามอิเล็กทรอนิกส์แทนกันได้ไหมครับ"),),
            ),
        ),
    ),
)
