"""The critical-knowledge topics the demo items are filed under, by slug.

The knowledge app seeds the taxonomy (knowledge/migrations/0003_seed_topics.py); the definitions
here only create a topic that is missing (get_or_create by slug), so the demo loads on any database.
"""

CHANGE_COMMUNICATION = "change-communication"
CHANGE_LEADERSHIP = "change-leadership"
CULTURE = "organizational-culture"
RESISTANCE = "resistance-to-change"
DIGITAL_TRANSFORMATION = "digital-transformation"
DIGITAL_TOOLS = "digital-tools"
RESKILLING = "reskilling"
UPSKILLING = "upskilling"
JOB_ROTATION = "job-rotation"
DATA_GOVERNANCE = "data-governance"
DATA_ANALYSIS = "data-analysis"
OPEN_DATA = "open-data"
DATA_DECISIONS = "data-driven-decisions"
SERVICE_INNOVATION = "service-innovation"
SOCIAL_ENTERPRISE = "social-enterprise"
PARTNERSHIPS = "partnerships"
CORE_COMPETENCY = "core-competency"
MANAGERIAL_COMPETENCY = "managerial-competency"
COMPETENCY_ASSESSMENT = "competency-assessment"
WORK_PROCEDURES = "work-procedures"
TACIT = "tacit-knowledge"
SUCCESSION = "succession"
QUALITY_SAFETY = "quality-and-safety"
KM = "knowledge-management"
COP = "communities-of-practice"
LESSONS_LEARNED = "lessons-learned"
STORYTELLING = "storytelling"
SHARING = "knowledge-sharing"
LOCAL_WISDOM = "local-wisdom"
COMMUNITY_ENTERPRISE = "community-enterprise"
PARTICIPATION = "public-participation"

# slug: (Thai name, English name, parent slug or "")
TOPICS: dict[str, tuple[str, str, str]] = {
    "managing-change": ("การบริหารการเปลี่ยนแปลง", "Managing change", ""),
    "technology-adoption": ("การนำเทคโนโลยีมาใช้", "Technology adoption", ""),
    "multi-skilling": ("การพัฒนาทักษะหลายด้าน", "Multi-skilling", ""),
    "data-capability": ("ขีดความสามารถด้านข้อมูล", "Data capability", ""),
    "new-business-models": ("รูปแบบธุรกิจใหม่", "New business models", ""),
    "competency": ("สมรรถนะ", "Competency", ""),
    "job-knowledge": ("ความรู้ในงาน", "Job knowledge", ""),
    KM: ("การจัดการความรู้", "Knowledge management", ""),
    "community-development": ("การพัฒนาชุมชน", "Community development", ""),
    CHANGE_COMMUNICATION: ("การสื่อสารการเปลี่ยนแปลง", "Communicating change", "managing-change"),
    CHANGE_LEADERSHIP: ("ภาวะผู้นำในการเปลี่ยนแปลง", "Leading change", "managing-change"),
    CULTURE: ("วัฒนธรรมองค์กร", "Organizational culture", "managing-change"),
    RESISTANCE: ("การจัดการแรงต้านการเปลี่ยนแปลง", "Handling resistance to change", "managing-change"),
    DIGITAL_TRANSFORMATION: ("การปรับองค์กรสู่ดิจิทัล", "Digital transformation", "technology-adoption"),
    DIGITAL_TOOLS: ("เครื่องมือดิจิทัลในการทำงาน", "Digital tools at work", "technology-adoption"),
    RESKILLING: ("การเสริมทักษะใหม่", "Reskilling", "multi-skilling"),
    UPSKILLING: ("การยกระดับทักษะ", "Upskilling", "multi-skilling"),
    JOB_ROTATION: ("การหมุนเวียนงาน", "Job rotation", "multi-skilling"),
    DATA_GOVERNANCE: ("ธรรมาภิบาลข้อมูล", "Data governance", "data-capability"),
    DATA_ANALYSIS: ("การวิเคราะห์ข้อมูล", "Data analysis", "data-capability"),
    OPEN_DATA: ("ข้อมูลเปิด", "Open data", "data-capability"),
    DATA_DECISIONS: ("การตัดสินใจโดยใช้ข้อมูล", "Data-driven decisions", "data-capability"),
    SERVICE_INNOVATION: ("นวัตกรรมบริการ", "Service innovation", "new-business-models"),
    SOCIAL_ENTERPRISE: ("วิสาหกิจเพื่อสังคม", "Social enterprise", "new-business-models"),
    PARTNERSHIPS: ("การสร้างความร่วมมือและเครือข่าย", "Partnerships and networks", "new-business-models"),
    CORE_COMPETENCY: ("สมรรถนะหลัก", "Core competencies", "competency"),
    MANAGERIAL_COMPETENCY: ("สมรรถนะทางการบริหาร", "Managerial competencies", "competency"),
    COMPETENCY_ASSESSMENT: ("การประเมินสมรรถนะ", "Competency assessment", "competency"),
    WORK_PROCEDURES: ("ขั้นตอนและวิธีปฏิบัติงาน", "Work procedures", "job-knowledge"),
    TACIT: ("ความรู้ฝังลึกจากประสบการณ์", "Tacit knowledge from experience", "job-knowledge"),
    SUCCESSION: ("การสืบทอดความรู้และการสืบทอดตำแหน่ง", "Knowledge transfer and succession", "job-knowledge"),
    QUALITY_SAFETY: ("คุณภาพและความปลอดภัยในการทำงาน", "Quality and safety at work", "job-knowledge"),
    COP: ("ชุมชนแนวปฏิบัติ", "Communities of practice", KM),
    LESSONS_LEARNED: ("การถอดบทเรียน", "Capturing lessons learned", KM),
    STORYTELLING: ("การเล่าเรื่อง", "Storytelling", KM),
    SHARING: ("การแลกเปลี่ยนเรียนรู้", "Knowledge sharing", KM),
    LOCAL_WISDOM: ("ภูมิปัญญาท้องถิ่น", "Local wisdom", "community-development"),
    COMMUNITY_ENTERPRISE: ("วิสาหกิจชุมชน", "Community enterprise", "community-development"),
    PARTICIPATION: ("การมีส่วนร่วมของประชาชน", "Public participation", "community-development"),
}
