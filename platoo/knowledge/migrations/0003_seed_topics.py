"""Seed the topic taxonomy with critical-knowledge topics, named in Thai and English."""

from django.db import migrations

# (slug, Thai, English, [(slug, Thai, English), ...])
TAXONOMY = [
    ("managing-change", "การบริหารการเปลี่ยนแปลง", "Managing change", [
        ("change-communication", "การสื่อสารการเปลี่ยนแปลง", "Communicating change"),
        ("change-leadership", "ภาวะผู้นำในการเปลี่ยนแปลง", "Leading change"),
        ("organizational-culture", "วัฒนธรรมองค์กร", "Organizational culture"),
        ("resistance-to-change", "การจัดการแรงต้านการเปลี่ยนแปลง", "Handling resistance to change"),
    ]),
    ("technology-adoption", "การนำเทคโนโลยีมาใช้", "Technology adoption", [
        ("digital-transformation", "การปรับองค์กรสู่ดิจิทัล", "Digital transformation"),
        ("digital-tools", "เครื่องมือดิจิทัลในการทำงาน", "Digital tools at work"),
        ("automation", "ระบบอัตโนมัติ", "Automation"),
        ("cyber-security", "ความมั่นคงปลอดภัยไซเบอร์", "Cyber security"),
    ]),
    ("multi-skilling", "การพัฒนาทักษะหลายด้าน", "Multi-skilling", [
        ("reskilling", "การเสริมทักษะใหม่", "Reskilling"),
        ("upskilling", "การยกระดับทักษะ", "Upskilling"),
        ("job-rotation", "การหมุนเวียนงาน", "Job rotation"),
    ]),
    ("data-capability", "ขีดความสามารถด้านข้อมูล", "Data capability", [
        ("data-governance", "ธรรมาภิบาลข้อมูล", "Data governance"),
        ("data-analysis", "การวิเคราะห์ข้อมูล", "Data analysis"),
        ("open-data", "ข้อมูลเปิด", "Open data"),
        ("data-driven-decisions", "การตัดสินใจโดยใช้ข้อมูล", "Data-driven decisions"),
    ]),
    ("new-business-models", "รูปแบบธุรกิจใหม่", "New business models", [
        ("service-innovation", "นวัตกรรมบริการ", "Service innovation"),
        ("social-enterprise", "วิสาหกิจเพื่อสังคม", "Social enterprise"),
        ("partnerships", "การสร้างความร่วมมือและเครือข่าย", "Partnerships and networks"),
    ]),
    ("competency", "สมรรถนะ", "Competency", [
        ("core-competency", "สมรรถนะหลัก", "Core competencies"),
        ("managerial-competency", "สมรรถนะทางการบริหาร", "Managerial competencies"),
        ("competency-assessment", "การประเมินสมรรถนะ", "Competency assessment"),
    ]),
    ("job-knowledge", "ความรู้ในงาน", "Job knowledge", [
        ("work-procedures", "ขั้นตอนและวิธีปฏิบัติงาน", "Work procedures"),
        ("tacit-knowledge", "ความรู้ฝังลึกจากประสบการณ์", "Tacit knowledge from experience"),
        ("succession", "การสืบทอดความรู้และการสืบทอดตำแหน่ง", "Knowledge transfer and succession"),
        ("quality-and-safety", "คุณภาพและความปลอดภัยในการทำงาน", "Quality and safety at work"),
    ]),
    ("knowledge-management", "การจัดการความรู้", "Knowledge management", [
        ("communities-of-practice", "ชุมชนแนวปฏิบัติ", "Communities of practice"),
        ("lessons-learned", "การถอดบทเรียน", "Capturing lessons learned"),
        ("storytelling", "การเล่าเรื่อง", "Storytelling"),
        ("knowledge-sharing", "การแลกเปลี่ยนเรียนรู้", "Knowledge sharing"),
    ]),
    ("community-development", "การพัฒนาชุมชน", "Community development", [
        ("local-wisdom", "ภูมิปัญญาท้องถิ่น", "Local wisdom"),
        ("community-enterprise", "วิสาหกิจชุมชน", "Community enterprise"),
        ("public-participation", "การมีส่วนร่วมของประชาชน", "Public participation"),
    ]),
]  # fmt: skip


def seed(apps, schema_editor):
    Topic = apps.get_model("knowledge", "Topic")
    for position, (slug, name_th, name_en, children) in enumerate(TAXONOMY):
        parent, _ = Topic.objects.get_or_create(
            slug=slug, defaults={"name_th": name_th, "name_en": name_en, "position": position}
        )
        for child_position, (child_slug, child_th, child_en) in enumerate(children):
            Topic.objects.get_or_create(
                slug=child_slug,
                defaults={"name_th": child_th, "name_en": child_en, "position": child_position, "parent": parent},
            )


def unseed(apps, schema_editor):
    Topic = apps.get_model("knowledge", "Topic")
    child_slugs = [child[0] for _, _, _, children in TAXONOMY for child in children]
    Topic.objects.filter(slug__in=child_slugs, items__isnull=True, children__isnull=True).delete()
    Topic.objects.filter(slug__in=[t[0] for t in TAXONOMY], items__isnull=True, children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_attachment_status_creation_key")]

    operations = [migrations.RunPython(seed, unseed)]
