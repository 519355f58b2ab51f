"""The critical-knowledge topics the demo items are filed under, by slug.

The knowledge app seeds the taxonomy; these definitions are only used to create a topic
that is not there (get_or_create by slug), so the demo loads on any database.
"""

CHANGE = "managing-change"
TECHNOLOGY = "technology-adoption"
MULTI_SKILLING = "multi-skilling"
DATA = "data-capability"
BUSINESS_MODELS = "new-business-models"
COMPETENCY = "competency"
JOB_KNOWLEDGE = "job-knowledge"

# slug: (Thai name, English name)
TOPICS: dict[str, tuple[str, str]] = {
    CHANGE: ("การบริหารการเปลี่ยนแปลง", "Managing change"),
    TECHNOLOGY: ("การนำเทคโนโลยีมาใช้", "Technology adoption"),
    MULTI_SKILLING: ("การพัฒนาทักษะหลากหลาย", "Multi-skilling"),
    DATA: ("ขีดความสามารถด้านข้อมูล", "Data capability"),
    BUSINESS_MODELS: ("รูปแบบธุรกิจใหม่", "New business models"),
    COMPETENCY: ("สมรรถนะ", "Competency"),
    JOB_KNOWLEDGE: ("ความรู้ในงาน", "Job knowledge"),
}
