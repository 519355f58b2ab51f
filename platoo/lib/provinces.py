"""Thailand's 77 provinces with their region, named in Thai and English."""

from django.utils.functional import lazy

from platoo.lib.dates import is_thai

# (English name, Thai name, region)
PROVINCES: list[tuple[str, str, str]] = [
    ("Bangkok", "กรุงเทพมหานคร", "central"), ("Amnat Charoen", "อำนาจเจริญ", "northeast"),
    ("Ang Thong", "อ่างทอง", "central"), ("Bueng Kan", "บึงกาฬ", "northeast"),
    ("Buriram", "บุรีรัมย์", "northeast"), ("Chachoengsao", "ฉะเชิงเทรา", "east"),
    ("Chai Nat", "ชัยนาท", "central"), ("Chaiyaphum", "ชัยภูมิ", "northeast"),
    ("Chanthaburi", "จันทบุรี", "east"), ("Chiang Mai", "เชียงใหม่", "north"),
    ("Chiang Rai", "เชียงราย", "north"), ("Chonburi", "ชลบุรี", "east"),
    ("Chumphon", "ชุมพร", "south"), ("Kalasin", "กาฬสินธุ์", "northeast"),
    ("Kamphaeng Phet", "กำแพงเพชร", "central"), ("Kanchanaburi", "กาญจนบุรี", "west"),
    ("Khon Kaen", "ขอนแก่น", "northeast"), ("Krabi", "กระบี่", "south"),
    ("Lampang", "ลำปาง", "north"), ("Lamphun", "ลำพูน", "north"),
    ("Loei", "เลย", "northeast"), ("Lopburi", "ลพบุรี", "central"),
    ("Mae Hong Son", "แม่ฮ่องสอน", "north"), ("Maha Sarakham", "มหาสารคาม", "northeast"),
    ("Mukdahan", "มุกดาหาร", "northeast"), ("Nakhon Nayok", "นครนายก", "central"),
    ("Nakhon Pathom", "นครปฐม", "central"), ("Nakhon Phanom", "นครพนม", "northeast"),
    ("Nakhon Ratchasima", "นครราชสีมา", "northeast"), ("Nakhon Sawan", "นครสวรรค์", "central"),
    ("Nakhon Si Thammarat", "นครศรีธรรมราช", "south"), ("Nan", "น่าน", "north"),
    ("Narathiwat", "นราธิวาส", "south"), ("Nong Bua Lamphu", "หนองบัวลำภู", "northeast"),
    ("Nong Khai", "หนองคาย", "northeast"), ("Nonthaburi", "นนทบุรี", "central"),
    ("Pathum Thani", "ปทุมธานี", "central"), ("Pattani", "ปัตตานี", "south"),
    ("Phang Nga", "พังงา", "south"), ("Phatthalung", "พัทลุง", "south"),
    ("Phayao", "พะเยา", "north"), ("Phetchabun", "เพชรบูรณ์", "central"),
    ("Phetchaburi", "เพชรบุรี", "west"), ("Phichit", "พิจิตร", "central"),
    ("Phitsanulok", "พิษณุโลก", "central"), ("Phra Nakhon Si Ayutthaya", "พระนครศรีอยุธยา", "central"),
    ("Phrae", "แพร่", "north"), ("Phuket", "ภูเก็ต", "south"),
    ("Prachinburi", "ปราจีนบุรี", "east"), ("Prachuap Khiri Khan", "ประจวบคีรีขันธ์", "west"),
    ("Ranong", "ระนอง", "south"), ("Ratchaburi", "ราชบุรี", "west"),
    ("Rayong", "ระยอง", "east"), ("Roi Et", "ร้อยเอ็ด", "northeast"),
    ("Sa Kaeo", "สระแก้ว", "east"), ("Sakon Nakhon", "สกลนคร", "northeast"),
    ("Samut Prakan", "สมุทรปราการ", "central"), ("Samut Sakhon", "สมุทรสาคร", "central"),
    ("Samut Songkhram", "สมุทรสงคราม", "central"), ("Saraburi", "สระบุรี", "central"),
    ("Satun", "สตูล", "south"), ("Sing Buri", "สิงห์บุรี", "central"),
    ("Sisaket", "ศรีสะเกษ", "northeast"), ("Songkhla", "สงขลา", "south"),
    ("Sukhothai", "สุโขทัย", "central"), ("Suphan Buri", "สุพรรณบุรี", "central"),
    ("Surat Thani", "สุราษฎร์ธานี", "south"), ("Surin", "สุรินทร์", "northeast"),
    ("Tak", "ตาก", "west"), ("Trang", "ตรัง", "south"),
    ("Trat", "ตราด", "east"), ("Ubon Ratchathani", "อุบลราชธานี", "northeast"),
    ("Udon Thani", "อุดรธานี", "northeast"), ("Uthai Thani", "อุทัยธานี", "central"),
    ("Uttaradit", "อุตรดิตถ์", "north"), ("Yala", "ยะลา", "south"),
    ("Yasothon", "ยโสธร", "northeast"),
]  # fmt: skip

REGION_OF = {english: region for english, _thai, region in PROVINCES}

# (code, English name, Thai name): the six regions of the Royal Institute's geographic division.
REGIONS: list[tuple[str, str, str]] = [
    ("north", "North", "ภาคเหนือ"),
    ("northeast", "Northeast", "ภาคตะวันออกเฉียงเหนือ"),
    ("central", "Central", "ภาคกลาง"),
    ("east", "East", "ภาคตะวันออก"),
    ("west", "West", "ภาคตะวันตก"),
    ("south", "South", "ภาคใต้"),
]


def region_of(province: str) -> str:
    """The region code of a province (its English name, as stored); "" when unknown or not given."""
    return REGION_OF.get(province, "")


def provinces_in(region: str) -> list[str]:
    return [english for english, _thai, code in PROVINCES if code == region]


def _label(thai: str, english: str) -> str:
    return thai if is_thai() else english


label = lazy(_label, str)

PROVINCE_CHOICES = [(english, label(thai, english)) for english, thai, _region in sorted(PROVINCES, key=lambda p: p[1])]
REGION_CHOICES = [(code, label(thai, english)) for code, english, thai in REGIONS]
