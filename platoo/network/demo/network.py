"""The demo network's own profile, membership history, units, links and critical-knowledge topics."""

from platoo.network.models import NetworkLevel, Sector, UnitKind

from .specs import OrgSpec

NETWORK_NAME_TH = "เครือข่ายการจัดการความรู้เพื่อการพัฒนาภาคีไทย"
NETWORK_NAME_EN = "Thai Partners' Knowledge Management Network"
NETWORK_STARTED_DAYS_AGO = 1150
KNOWLEDGE_VISION = """
## วิสัยทัศน์ด้านความรู้

เครือข่ายของเราเชื่อว่า **ความรู้ที่ดีที่สุดอยู่ในตัวคนทำงาน** หน่วยงานสมาชิกจากภาครัฐ รัฐวิสาหกิจ เอกชน
ประชาสังคม สถาบันการศึกษา และชุมชน จึงร่วมกันทำให้ความรู้จากการปฏิบัติจริงไหลข้ามรั้วองค์กรได้ง่ายขึ้น

ภายในปี พ.ศ. 2572 เราตั้งใจว่า

- สมาชิกทุกแห่งมี **คุณอำนวย** ที่ผ่านการฝึกและมีชุมชนแนวปฏิบัติอย่างน้อยหนึ่งกลุ่มที่ยังมีชีวิต
- บทเรียนจากการทำงาน (AAR) ถูกบันทึกและแบ่งปันภายในหนึ่งเดือนหลังจบงานสำคัญ
- ความรู้ฝังลึกของผู้ที่ใกล้เกษียณถูกถ่ายทอดสู่คนรุ่นใหม่ผ่านการเล่าเรื่องและการเป็นพี่เลี้ยง
- ข้อมูลและความรู้ถูกใช้ประกอบการตัดสินใจ ทั้งในหน่วยงานและในชุมชน

> "เรียนรู้จากกันและกัน เพื่อทำงานให้ดีขึ้นทุกวัน"
"""

# Days ago each member joined, spread over the past three years; the secretariat was first.
JOINED_DAYS_AGO: dict[str, int] = {
    "pskd": 1095,
    "kk-agri": 1040,
    "nakaeo-hospital": 980,
    "ecwa": 900,
    "nfmo": 810,
    "lampang-clay": 700,
    "andaman-food": 610,
    "chf": 520,
    "mku": 430,
    "estc": 330,
    "nbt-weaving": 220,
    "huaisai": 120,
}

APPLICANT = OrgSpec(
    code="surin-silk",
    name_th="กลุ่มหัตถกรรมผ้าไหมบ้านท่าสว่าง",
    name_en="Ban Tha Sawang Silk Craft Group",
    sector=Sector.COMMUNITY,
    province="Surin",
    website="https://surin-silk.example",
    description="กลุ่มช่างทอผ้าไหมยกทองโบราณ สืบทอดลายผ้าจากรุ่นสู่รุ่น มีสมาชิกกว่า 80 ครัวเรือน",
)
APPLICANT_NOTE = (
    "กลุ่มของเราอยากเรียนรู้วิธีบันทึกภูมิปัญญาการทอผ้าให้คนรุ่นใหม่ และอยากแลกเปลี่ยนกับวิสาหกิจชุมชนทอผ้าครามบ้านหนองบัวทองเรื่องการตลาดออนไลน์"
)

# Units by sector: (Thai name, English name, kind, index of the parent in the same list or None).
UnitSpec = tuple[str, str, str, int | None]
UNITS_BY_SECTOR: dict[str, tuple[UnitSpec, ...]] = {
    Sector.GOVERNMENT: (
        ("กองยุทธศาสตร์และแผนงาน", "Strategy and Planning Division", UnitKind.DIVISION, None),
        ("กลุ่มงานข้อมูลและสารสนเทศ", "Data and Information Section", UnitKind.SECTION, 0),
        ("กลุ่มพัฒนาระบบบริหาร", "Administrative Development Section", UnitKind.SECTION, None),
    ),
    Sector.STATE_ENTERPRISE: (
        ("ฝ่ายปฏิบัติการ", "Operations Department", UnitKind.DEPARTMENT, None),
        ("กองบำรุงรักษา", "Maintenance Division", UnitKind.DIVISION, 0),
        ("แผนกความปลอดภัย", "Safety Section", UnitKind.SECTION, 1),
        ("ฝ่ายทรัพยากรบุคคล", "Human Resources Department", UnitKind.DEPARTMENT, None),
    ),
    Sector.PRIVATE: (
        ("ฝ่ายผลิต", "Production Department", UnitKind.DEPARTMENT, None),
        ("แผนกควบคุมคุณภาพ", "Quality Control Section", UnitKind.SECTION, 0),
        ("ฝ่ายขายและการตลาด", "Sales and Marketing Department", UnitKind.DEPARTMENT, None),
    ),
    Sector.CIVIL_SOCIETY: (
        ("ฝ่ายโครงการ", "Programmes Department", UnitKind.DEPARTMENT, None),
        ("งานพัฒนาอาสาสมัคร", "Volunteer Development Section", UnitKind.SECTION, 0),
    ),
    Sector.ACADEMIC: (
        ("คณะสังคมศาสตร์", "Faculty of Social Sciences", UnitKind.DEPARTMENT, None),
        ("ภาควิชาการพัฒนาชุมชน", "Department of Community Development", UnitKind.DIVISION, 0),
        ("สำนักส่งเสริมการเรียนรู้", "Office of Learning Promotion", UnitKind.DIVISION, None),
        ("งานบริการวิชาการ", "Academic Services Section", UnitKind.SECTION, 2),
    ),
    Sector.COMMUNITY: (
        ("คณะกรรมการกลุ่ม", "Group Committee", UnitKind.DEPARTMENT, None),
        ("กลุ่มย่อยการผลิต", "Production Team", UnitKind.SECTION, 0),
        ("กลุ่มย่อยบัญชีและการเงิน", "Accounts Team", UnitKind.SECTION, 0),
    ),
}

# (source code, target code, level, days ago, Thai reason)
LINKS: tuple[tuple[str, str, int, int, str], ...] = (
    ("nakaeo-hospital", "chf", NetworkLevel.UNIT, 400, "ทีมพยาบาลเยี่ยมบ้านทำงานร่วมกับอาสาสมัครของมูลนิธิในหน่วยบริการเดียวกัน"),
    ("lampang-clay", "mku", NetworkLevel.UNIT, 300, "แผนกควบคุมคุณภาพฝึกงานร่วมกับนักศึกษาในห้องปฏิบัติการเดียวกัน"),
    ("ecwa", "estc", NetworkLevel.CROSS_FUNCTION, 500, "ฝ่ายปฏิบัติการและวิทยาลัยร่วมพัฒนาหลักสูตรช่างซ่อมบำรุงระบบประปา"),
    ("andaman-food", "nfmo", NetworkLevel.CROSS_FUNCTION, 450, "ฝ่ายผลิตและฝ่ายตลาดแลกเปลี่ยนความรู้เรื่องมาตรฐานสินค้าเกษตร"),
    ("kk-agri", "huaisai", NetworkLevel.AREA, 600, "ส่งเสริมธนาคารข้าวและการจัดการน้ำระดับไร่นาในพื้นที่อีสานตอนกลาง"),
    ("kk-agri", "nbt-weaving", NetworkLevel.AREA, 200, "ถ่ายทอดความรู้การปลูกครามและการรวมกลุ่มวิสาหกิจชุมชนในภาคอีสาน"),
    (
        "nakaeo-hospital",
        "nfmo",
        NetworkLevel.NEIGHBOURING_AREAS,
        350,
        "แลกเปลี่ยนเรื่องอาหารปลอดภัยระหว่างจังหวัดใกล้เคียงในภาคเหนือตอนล่าง",
    ),
    ("lampang-clay", "nfmo", NetworkLevel.NEIGHBOURING_AREAS, 280, "ร่วมจัดตลาดหัตถกรรมและสินค้าเกษตรข้ามจังหวัดภาคเหนือ"),
    ("mku", "andaman-food", NetworkLevel.CROSS_BOUNDARY, 380, "วิจัยร่วมด้านการแปรรูปอาหารทะเลกับพันธมิตรในต่างประเทศ"),
    ("chf", "huaisai", NetworkLevel.CROSS_BOUNDARY, 150, "ถอดบทเรียนกองทุนชุมชนร่วมกับเครือข่ายภาคประชาสังคมในภูมิภาคอาเซียน"),
    ("pskd", "kk-agri", NetworkLevel.HUB, 1000, "สำนักงานเลขานุการเครือข่ายหนุนการพัฒนาคุณอำนวยประจำจังหวัด"),
    ("pskd", "mku", NetworkLevel.HUB, 420, "ศูนย์กลางเครือข่ายร่วมกับมหาวิทยาลัยจัดมหกรรมความรู้ประจำปี"),
    ("pskd", "nbt-weaving", NetworkLevel.HUB, 180, "ศูนย์กลางเครือข่ายพี่เลี้ยงการเล่าเรื่องและบันทึกภูมิปัญญาชุมชน"),
)

CRITICAL_TOPICS: tuple[str, ...] = (
    "digital-transformation",
    "data-driven-decisions",
    "tacit-knowledge",
    "succession",
    "communities-of-practice",
    "local-wisdom",
)
