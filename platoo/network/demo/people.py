"""The demo network's member organizations and people (fictional; any likeness is chance)."""

from platoo.accounts.models import KMRole
from platoo.network.models import Sector

from .specs import OrgSpec, PersonSpec

SPONSOR, FACILITATOR, PRACTITIONER = KMRole.SPONSOR, KMRole.FACILITATOR, KMRole.PRACTITIONER
NOTE_TAKER, COORDINATOR, IT_SUPPORT = KMRole.NOTE_TAKER, KMRole.COORDINATOR, KMRole.IT_SUPPORT

ORGANIZATIONS: tuple[OrgSpec, ...] = (
    OrgSpec(
        code="pskd",
        name_th="กองส่งเสริมการจัดการความรู้ภาครัฐ",
        name_en="Public Sector Knowledge Promotion Division",
        sector=Sector.GOVERNMENT,
        province="Bangkok",
        website="https://pskd.example",
        description=(
            "สำนักงานเลขานุการของเครือข่าย ดูแลเวทีแลกเปลี่ยนเรียนรู้ระหว่างสมาชิก จัดมหกรรมความรู้ประจำปี และพัฒนาคุณอำนวยให้หน่วยงานภาครัฐ"
        ),
    ),
    OrgSpec(
        code="kk-agri",
        name_th="สำนักงานเกษตรและทรัพยากรน้ำจังหวัดขอนแก่น",
        name_en="Khon Kaen Provincial Office of Agriculture and Water",
        sector=Sector.GOVERNMENT,
        province="Khon Kaen",
        website="https://kk-agri.example",
        description="ส่งเสริมการเกษตรและการจัดการน้ำระดับไร่นา ทำงานร่วมกับกลุ่มเกษตรกรกว่า 200 กลุ่มในจังหวัด",
    ),
    OrgSpec(
        code="nakaeo-hospital",
        name_th="โรงพยาบาลนาแก้ว",
        name_en="Na Kaeo Hospital",
        sector=Sector.GOVERNMENT,
        province="Phitsanulok",
        website="https://nakaeo-hospital.example",
        description="โรงพยาบาลชุมชนขนาด 60 เตียง ใช้การจัดการความรู้ในงานพัฒนาคุณภาพและการพยาบาลมากว่าสิบปี",
    ),
    OrgSpec(
        code="ecwa",
        name_th="องค์การประปาชุมชนภาคตะวันออก",
        name_en="Eastern Community Waterworks Authority",
        sector=Sector.STATE_ENTERPRISE,
        province="Chonburi",
        website="https://www.ecwa.example",
        description="รัฐวิสาหกิจผลิตและจ่ายน้ำประปาให้เทศบาลตำบลและหมู่บ้านในภาคตะวันออก",
    ),
    OrgSpec(
        code="nfmo",
        name_th="องค์การตลาดเกษตรกรภาคเหนือ",
        name_en="Northern Farmers' Market Organization",
        sector=Sector.STATE_ENTERPRISE,
        province="Chiang Mai",
        website="https://nfmo.example",
        description="บริหารตลาดกลางสินค้าเกษตรสามแห่ง และให้ข้อมูลราคาสินค้ารายวันแก่เกษตรกร",
    ),
    OrgSpec(
        code="lampang-clay",
        name_th="บริษัท ดินเผาลำปาง จำกัด",
        name_en="Lampang Clayworks Co., Ltd.",
        sector=Sector.PRIVATE,
        province="Lampang",
        website="https://lampang-clay.example",
        description="ผู้ผลิตเครื่องปั้นดินเผาและเซรามิกส่งออก พนักงาน 180 คน หลายคนเป็นช่างฝีมือรุ่นที่สองของครอบครัว",
    ),
    OrgSpec(
        code="andaman-food",
        name_th="บริษัท อันดามันฟู้ดโปรเซสซิ่ง จำกัด",
        name_en="Andaman Food Processing Co., Ltd.",
        sector=Sector.PRIVATE,
        province="Trang",
        website="https://andaman-food.example",
        description="โรงงานแปรรูปอาหารทะเลแช่แข็งขนาดกลาง รับวัตถุดิบจากกลุ่มประมงพื้นบ้านชายฝั่งอันดามัน",
    ),
    OrgSpec(
        code="chf",
        name_th="มูลนิธิเพื่อนสุขภาพชุมชน",
        name_en="Community Health Friends Foundation",
        sector=Sector.CIVIL_SOCIETY,
        province="Ubon Ratchathani",
        website="https://example.org/chf",
        description="องค์กรพัฒนาเอกชนที่ทำงานกับอาสาสมัครสาธารณสุขและผู้ดูแลผู้สูงอายุในชุมชนอีสานตอนล่าง",
    ),
    OrgSpec(
        code="mku",
        name_th="มหาวิทยาลัยลุ่มน้ำแม่กลอง",
        name_en="Mae Klong Basin University",
        sector=Sector.ACADEMIC,
        province="Ratchaburi",
        website="https://www.mku.example",
        description="มหาวิทยาลัยเพื่อการพัฒนาท้องถิ่น มีศูนย์วิจัยการจัดการความรู้ที่เป็นพี่เลี้ยงวิชาการให้เครือข่าย",
    ),
    OrgSpec(
        code="estc",
        name_th="วิทยาลัยเทคนิคชายฝั่งตะวันออก",
        name_en="Eastern Seaboard Technical College",
        sector=Sector.ACADEMIC,
        province="Rayong",
        website="https://estc.example",
        description="วิทยาลัยอาชีวศึกษาที่สอนระบบทวิภาคีร่วมกับโรงงานในนิคมอุตสาหกรรม",
    ),
    OrgSpec(
        code="nbt-weaving",
        name_th="วิสาหกิจชุมชนทอผ้าครามบ้านหนองบัวทอง",
        name_en="Ban Nong Bua Thong Indigo Weaving Community Enterprise",
        sector=Sector.COMMUNITY,
        province="Sakon Nakhon",
        website="https://example.org/nongbuathong",
        description="กลุ่มแม่บ้าน 42 คนที่ปลูกคราม ก่อหม้อนิล และทอผ้าย้อมครามขายทั้งหน้าร้านและออนไลน์",
    ),
    OrgSpec(
        code="huaisai",
        name_th="กลุ่มออมทรัพย์และธนาคารข้าวบ้านห้วยทราย",
        name_en="Ban Huai Sai Savings Group and Rice Bank",
        sector=Sector.COMMUNITY,
        province="Nan",
        website="https://example.org/huaisai",
        description="กลุ่มออมทรัพย์ที่ชาวบ้านตั้งขึ้นเอง ดูแลธนาคารข้าว กองทุนปุ๋ย และสวัสดิการสมาชิกกว่า 300 ครัวเรือน",
    ),
)

# The network's secretariat: its presence marks the demo network as loaded.
MARKER_ORG = "pskd"

PEOPLE: tuple[PersonSpec, ...] = (
    # กองส่งเสริมการจัดการความรู้ภาครัฐ
    PersonSpec(
        "wipawee", "pskd", "วิภาวี ศรีสุข", "Wipawee Srisuk", "ผู้อำนวยการกอง", (SPONSOR,),
        ("การบริหารการเปลี่ยนแปลง", "นโยบายการจัดการความรู้"),
        "นักบริหารที่เชื่อว่างานความรู้เริ่มจากการฟัง ผลักดันให้ทุกหน่วยงานในเครือข่ายมีเวทีแลกเปลี่ยนอย่างน้อยเดือนละครั้ง",
    ),
    PersonSpec(
        "kittipong", "pskd", "กิตติพงษ์ แสงทอง", "Kittipong Saengthong", "นักวิชาการการจัดการความรู้ชำนาญการพิเศษ",
        (FACILITATOR, COORDINATOR), ("การอำนวยกระบวนการกลุ่ม", "เรื่องเล่าเร้าพลัง", "การถอดบทเรียน"),
        "คุณอำนวยประจำเครือข่าย ชอบออกแบบเวทีที่คนหน้าใหม่กล้าพูด และเป็นคนประสานการศึกษาดูงานระหว่างสมาชิก",
    ),
    PersonSpec(
        "pimchanok", "pskd", "พิมพ์ชนก วงศ์ใหญ่", "Pimchanok Wongyai", "นักวิชาการคอมพิวเตอร์ชำนาญการ", (IT_SUPPORT,),
        ("ระบบสารสนเทศ", "การจัดการเอกสารดิจิทัล"),
        "ดูแลระบบคลังความรู้และบัญชีผู้ใช้ของเครือข่าย ถนัดแปลงงานกระดาษให้เป็นระบบที่คนใช้จริง",
    ),
    PersonSpec(
        "thanawat", "pskd", "ธนวัฒน์ ใจดี", "Thanawat Jaidee", "นักวิเคราะห์นโยบายและแผนปฏิบัติการ", (NOTE_TAKER,),
        ("การจดบันทึก", "แผนการจัดการความรู้"),
        "คุณลิขิตประจำเวทีเครือข่าย จดได้ทั้งประเด็นและบรรยากาศ แล้วเรียบเรียงเป็นบันทึกที่อ่านจบในห้านาที",
    ),
    # สำนักงานเกษตรและทรัพยากรน้ำจังหวัดขอนแก่น
    PersonSpec(
        "somsak", "kk-agri", "สมศักดิ์ บุญมา", "Somsak Boonma", "เกษตรจังหวัดขอนแก่น", (SPONSOR,),
        ("การส่งเสริมการเกษตร", "การจัดการน้ำ"),
        "ทำงานส่งเสริมการเกษตรมายี่สิบห้าปี สนับสนุนให้เจ้าหน้าที่ไปเรียนรู้จากเกษตรกรตัวจริงมากกว่าเรียนในห้อง",
    ),
    PersonSpec(
        "arunee", "kk-agri", "อรุณี พรหมวงศ์", "Arunee Promwong", "นักวิชาการส่งเสริมการเกษตรชำนาญการ",
        (FACILITATOR, PRACTITIONER), ("ผักปลอดภัย", "การถอดบทเรียน", "กลุ่มเกษตรกร"),
        "คลุกคลีกับแปลงผักของเกษตรกรเกือบทุกอำเภอ ถนัดชวนชาวบ้านเล่าเรื่องแล้วสรุปเป็นวิธีทำที่คนอื่นลองได้",
    ),
    PersonSpec(
        "prasert", "kk-agri", "ประเสริฐ คำแก้ว", "Prasert Khamkaew", "เจ้าพนักงานการเกษตรอาวุโส", (PRACTITIONER,),
        ("ระบบน้ำหยด", "ดินและปุ๋ย"),
        "ช่างระบบน้ำประจำสำนักงาน ติดตั้งระบบน้ำหยดให้แปลงสาธิตมาแล้วกว่าร้อยแปลง",
    ),
    # โรงพยาบาลนาแก้ว
    PersonSpec(
        "nattaya", "nakaeo-hospital", "ณัฐยา ธรรมรักษ์", "Nattaya Thammarak", "ผู้อำนวยการโรงพยาบาล", (SPONSOR,),
        ("การพัฒนาคุณภาพโรงพยาบาล", "เวชศาสตร์ครอบครัว"),
        "แพทย์เวชศาสตร์ครอบครัวที่ให้เวลาประชุมเช้าวันศุกร์เป็นเวทีเล่าเรื่องของพยาบาลและเจ้าหน้าที่ทุกระดับ",
    ),
    PersonSpec(
        "demo", "nakaeo-hospital", "นิภา ทองดี", "Nipa Thongdee", "พยาบาลวิชาชีพชำนาญการ หอผู้ป่วยอายุรกรรม",
        (PRACTITIONER, NOTE_TAKER), ("การพยาบาลอายุรกรรม", "การส่งเวร", "การเยี่ยมบ้าน"),
        "พยาบาลหอผู้ป่วยอายุรกรรมสิบสองปี เป็นคุณลิขิตของชุมชนแนวปฏิบัติด้านการพยาบาล ชอบเขียนเรื่องเล่าจากเวรดึก",
    ),
    PersonSpec(
        "supaporn", "nakaeo-hospital", "สุภาพร แก้วมณี", "Supaporn Kaewmanee", "หัวหน้างานพัฒนาคุณภาพ",
        (FACILITATOR,), ("ความปลอดภัยของผู้ป่วย", "การทบทวนหลังปฏิบัติงาน"),
        "ดูแลระบบความเสี่ยงและการทบทวนเหตุการณ์ เชื่อว่าการทบทวนที่ดีต้องไม่มีใครถูกตำหนิ",
    ),
    # องค์การประปาชุมชนภาคตะวันออก
    PersonSpec(
        "chaiwat", "ecwa", "ชัยวัฒน์ รุ่งเรือง", "Chaiwat Rungruang", "ผู้ช่วยผู้ว่าการฝ่ายปฏิบัติการ", (SPONSOR,),
        ("การบริหารระบบประปา", "การจัดการภาวะวิกฤต"),
        "วิศวกรที่เติบโตจากงานหน้างาน ตั้งคณะทำงานเก็บความรู้ของช่างอาวุโสก่อนเกษียณ",
    ),
    PersonSpec(
        "duangjai", "ecwa", "ดวงใจ มีสุข", "Duangjai Meesuk", "วิศวกรระบบผลิตน้ำ", (PRACTITIONER,),
        ("คุณภาพน้ำ", "ระบบท่อจ่ายน้ำ", "การวิเคราะห์ข้อมูลฝน"),
        "รับผิดชอบโรงผลิตน้ำสี่แห่ง เก็บข้อมูลความขุ่นของน้ำดิบย้อนหลังสิบปีไว้ในตารางเดียว",
    ),
    PersonSpec(
        "wuttichai", "ecwa", "วุฒิชัย เพชรรัตน์", "Wuttichai Petcharat", "นักพัฒนาทรัพยากรบุคคล",
        (FACILITATOR,), ("การฝึกอบรม", "Peer Assist", "การพัฒนาทักษะหลากหลาย"),
        "ออกแบบหลักสูตรพัฒนาช่างและเป็นคุณอำนวยในวงช่วยคิดก่อนเริ่มโครงการใหม่",
    ),
    # องค์การตลาดเกษตรกรภาคเหนือ
    PersonSpec(
        "rattana", "nfmo", "รัตนา อินทร์แก้ว", "Rattana Inkaew", "ผู้จัดการตลาดกลางสันทราย",
        (PRACTITIONER, COORDINATOR), ("การบริหารตลาด", "เครือข่ายเกษตรกร"),
        "รู้จักแม่ค้าในตลาดแทบทุกแผง เป็นคนประสานระหว่างตลาดกับกลุ่มเกษตรกรในเครือข่ายภาคเหนือ",
    ),
    PersonSpec(
        "jirayu", "nfmo", "จิรายุ ปัญญาดี", "Jirayu Panyadee", "นักวิเคราะห์ข้อมูล", (IT_SUPPORT, PRACTITIONER),
        ("การวิเคราะห์ข้อมูล", "แดชบอร์ด", "ข้อมูลเปิด"),
        "ทำระบบรายงานราคาสินค้าเกษตรรายวัน ชอบทำกราฟที่แม่ค้าดูแล้วเข้าใจในสิบวินาที",
    ),
    # บริษัท ดินเผาลำปาง จำกัด
    PersonSpec(
        "kanokwan", "lampang-clay", "กนกวรรณ ศรีวิชัย", "Kanokwan Sriwichai", "ผู้จัดการฝ่ายทรัพยากรบุคคลและพัฒนาองค์กร",
        (FACILITATOR,), ("การพัฒนาองค์กร", "ความรู้ฝังลึก", "การสอนงาน"),
        "นำการจัดการความรู้เข้าโรงงาน เริ่มจากวงเล่าเรื่องหลังเลิกกะจนกลายเป็นวัฒนธรรมของบริษัท",
    ),
    PersonSpec(
        "boonmee", "lampang-clay", "บุญมี ปันแก้ว", "Boonmee Pankaew", "ช่างปั้นและช่างเตาอาวุโส", (PRACTITIONER,),
        ("การเผาเตา", "การเตรียมดิน", "เคลือบเซรามิก"),
        "ช่างเตาสามสิบปี ดูสีเปลวไฟแล้วบอกอุณหภูมิได้ใกล้เคียงเครื่องวัด ปัจจุบันเป็นพี่เลี้ยงช่างรุ่นใหม่",
    ),
    # บริษัท อันดามันฟู้ดโปรเซสซิ่ง จำกัด
    PersonSpec(
        "sarawut", "andaman-food", "ศราวุธ หมัดอาดัม", "Sarawut Madadam", "ผู้จัดการฝ่ายผลิต", (PRACTITIONER,),
        ("การผลิตแบบลีน", "ความปลอดภัยอาหาร", "การหมุนเวียนงาน"),
        "คุมสายการผลิตสี่สาย ริเริ่มตารางทักษะพนักงานและการทบทวนหลังปฏิบัติงานในโรงงาน",
    ),
    PersonSpec(
        "fatimah", "andaman-food", "ฟาติมะห์ เจะหลง", "Fatimah Jelong", "เจ้าหน้าที่ประกันคุณภาพ", (NOTE_TAKER,),
        ("ระบบ GMP และ HACCP", "การจดบันทึก"),
        "ดูแลเอกสารคุณภาพของโรงงาน และเป็นคุณลิขิตในวงทบทวนหลังปฏิบัติงานทุกวันพฤหัสบดี",
    ),
    # มูลนิธิเพื่อนสุขภาพชุมชน
    PersonSpec(
        "orapin", "chf", "อรพิน บุญประเสริฐ", "Orapin Boonprasert", "ผู้อำนวยการมูลนิธิ", (SPONSOR, FACILITATOR),
        ("สุขภาพชุมชน", "การพัฒนาอาสาสมัคร", "การประเมินแบบเสริมพลัง"),
        "ทำงานพัฒนาชุมชนมายี่สิบปี ชวนอาสาสมัครตั้งเป้าหมายและประเมินตัวเองแทนการรอผู้ประเมินจากข้างนอก",
    ),
    PersonSpec(
        "khamphan", "chf", "คำพันธ์ ศรีลาวงศ์", "Khamphan Srilawong", "ผู้ประสานงานภาคสนาม", (COORDINATOR,),
        ("การทำงานกับชุมชน", "การเก็บข้อมูลภาคสนาม", "ภัยพิบัติ"),
        "ขี่มอเตอร์ไซค์ไปทุกหมู่บ้านในโครงการ เป็นสะพานระหว่างอาสาสมัคร โรงพยาบาล และองค์กรปกครองท้องถิ่น",
    ),
    PersonSpec(
        "lamai", "chf", "ละมัย ทองสุข", "Lamai Thongsuk", "อาสาสมัครสาธารณสุขประจำหมู่บ้าน", (PRACTITIONER,),
        ("การดูแลผู้สูงอายุ", "การเยี่ยมบ้าน"),
        "อสม. ยี่สิบปี ดูแลผู้สูงอายุติดบ้านสิบห้าคน รู้ว่าใครกินยาเวลาไหนโดยไม่ต้องเปิดสมุด",
    ),
    # มหาวิทยาลัยลุ่มน้ำแม่กลอง
    PersonSpec(
        "teerawat", "mku", "ธีรวัฒน์ จันทร์หอม", "Teerawat Janhom", "รองศาสตราจารย์ ศูนย์วิจัยการจัดการความรู้",
        (FACILITATOR,), ("ทฤษฎีการจัดการความรู้", "ชุมชนแนวปฏิบัติ", "องค์กรแห่งการเรียนรู้"),
        "สอนและวิจัยเรื่องชุมชนแนวปฏิบัติ ทำหน้าที่พี่เลี้ยงวิชาการให้เครือข่าย และยังชอบเป็นคุณอำนวยมากกว่าเป็นวิทยากร",
    ),
    PersonSpec(
        "siriporn", "mku", "ศิริพร ลิ้มเจริญ", "Siriporn Limcharoen", "อาจารย์สาขาสารสนเทศศาสตร์",
        (NOTE_TAKER, PRACTITIONER), ("การจัดระบบความรู้", "อนุกรมวิธาน", "การเขียนเชิงวิชาการ"),
        "สนใจการจัดหมวดหมู่ความรู้และภาษาค้นคืน ช่วยเครือข่ายออกแบบหัวข้อและแนวทางการติดแท็ก",
    ),
    PersonSpec(
        "nattapon", "mku", "ณัฐพล ทองมา", "Nattapon Thongma", "นักวิชาการคอมพิวเตอร์", (IT_SUPPORT,),
        ("ระบบเครือข่าย", "การสอนใช้เครื่องมือดิจิทัล"),
        "คุณวิศาสตร์ของคณะ ดูแลห้องประชุมออนไลน์และสอนอาจารย์ใช้เครื่องมือใหม่แบบตัวต่อตัว",
    ),
    # วิทยาลัยเทคนิคชายฝั่งตะวันออก
    PersonSpec(
        "jintana", "estc", "จินตนา เรืองศรี", "Jintana Ruangsri", "รองผู้อำนวยการฝ่ายวิชาการ", (SPONSOR, FACILITATOR),
        ("การพัฒนาครู", "ระบบทวิภาคี"),
        "ผลักดันระบบพี่เลี้ยงครูใหม่ และเปิดห้องประชุมวิชาการทุกเดือนให้ครูเล่าสิ่งที่ลองแล้วไม่สำเร็จ",
    ),
    PersonSpec(
        "manop", "estc", "มานพ สุขสวัสดิ์", "Manop Suksawat", "ครูชำนาญการพิเศษ แผนกช่างกลโรงงาน", (PRACTITIONER,),
        ("งานกลึง", "การสอนงานในโรงงาน", "เครื่องจักรซีเอ็นซี"),
        "ครูช่างที่ลูกศิษย์ทำงานอยู่ทั่วนิคมอุตสาหกรรม บันทึกเทคนิคงานกลึงเป็นคลิปสั้นให้นักศึกษาดูซ้ำได้",
    ),
    # วิสาหกิจชุมชนทอผ้าครามบ้านหนองบัวทอง
    PersonSpec(
        "buaphan", "nbt-weaving", "บัวผัน ไชยสาร", "Buaphan Chaisan", "ประธานวิสาหกิจชุมชน", (PRACTITIONER,),
        ("การก่อหม้อคราม", "ลายผ้าพื้นบ้าน"),
        "ก่อหม้อครามมาตั้งแต่สาว รับช่วงสูตรจากแม่และยาย และเป็นคนสอนสมาชิกรุ่นใหม่ทุกคน",
    ),
    PersonSpec(
        "kaewta", "nbt-weaving", "แก้วตา ไชยสาร", "Kaewta Chaisan", "เลขานุการกลุ่มและผู้ดูแลร้านออนไลน์",
        (NOTE_TAKER, PRACTITIONER), ("การขายออนไลน์", "การถ่ายภาพสินค้า", "การจดบันทึกสูตรย้อม"),
        "ลูกสาวประธานกลุ่ม กลับบ้านมาทำร้านออนไลน์ และเริ่มจดสูตรย้อมของแม่เป็นตารางเพื่อไม่ให้ความรู้หายไปกับคนรุ่นเก่า",
    ),
    # กลุ่มออมทรัพย์และธนาคารข้าวบ้านห้วยทราย
    PersonSpec(
        "phan", "huaisai", "พันธ์ อุ่นเรือน", "Phan Unruean", "ประธานกลุ่มออมทรัพย์", (PRACTITIONER,),
        ("ธนาคารข้าว", "การเงินชุมชน"),
        "อดีตครูประชาบาลที่กลับมาตั้งกลุ่มออมทรัพย์ ดูแลบัญชีกลุ่มด้วยสมุดที่ใครก็ขอดูได้",
    ),
    PersonSpec(
        "sunee", "huaisai", "สุนีย์ ใจปัญญา", "Sunee Jaipanya", "ผู้ใหญ่บ้านห้วยทราย", (COORDINATOR,),
        ("การประสานงานชุมชน", "แผนชุมชน"),
        "ผู้ใหญ่บ้านหญิงคนแรกของตำบล ประสานหน่วยงานที่มาดูงานและพาชาวบ้านไปเรียนรู้ที่อื่น",
    ),
)  # fmt: skip

DEMO_PASSWORD = "platoo-demo"  # noqa: S105 - published on purpose: load_demo prints it
DEMO_MEMBER = "demo"  # นิภา ทองดี: a nurse and note-taker, for trying the platform as a member
ADMIN_USERNAME = "admin"
