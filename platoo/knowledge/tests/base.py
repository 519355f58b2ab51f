"""A small cast for knowledge tests: two organizations, their people, and one item per visibility."""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings

from platoo.accounts.models import User
from platoo.knowledge.actions import ItemData, do_create_item
from platoo.knowledge.models import KnowledgeItem
from platoo.network.models import Organization

PASSWORD = "correct-horse-42"


def make_user(username: str, organization: Organization | None = None, **extra: Any) -> User:
    return User.objects.create_user(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        name_en=username.title(),
        organization=organization,
        **extra,
    )


def make_item(author: User, title: str = "เรื่องเล่า", **fields: Any) -> KnowledgeItem:
    return do_create_item(author, ItemData(title=title, **fields))


def pdf_bytes(text: str = "Hello knowledge") -> bytes:
    """A one-page PDF whose text layer says `text` (ASCII), built by hand with a correct xref table."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(*rows: tuple[Any, ...]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)  # type: ignore[union-attr]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (15, 110, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class KnowledgeTestCase(TestCase):
    """alice and bob work at org A, carol at org B; alice wrote one item of each visibility."""

    org_a: Organization
    org_b: Organization
    alice: User
    bob: User
    carol: User
    staff: User
    public: KnowledgeItem
    network: KnowledgeItem
    organization_only: KnowledgeItem
    private: KnowledgeItem

    @classmethod
    def setUpTestData(cls) -> None:
        cls.org_a = Organization.objects.create(name_th="หน่วยงานเอ", name_en="Org A", code="org-a", sector="government")
        cls.org_b = Organization.objects.create(name_th="หน่วยงานบี", name_en="Org B", code="org-b", sector="academic")
        cls.alice = make_user("alice", cls.org_a)
        cls.bob = make_user("bob", cls.org_a)
        cls.carol = make_user("carol", cls.org_b)
        cls.staff = make_user("staff", is_staff=True)
        cls.public = make_item(cls.alice, "เปิดบ้านเล่าเรื่อง", visibility="public", body="เปิดให้ทุกคน")
        cls.network = make_item(cls.alice, "วงเล่าเครือข่าย", visibility="network")
        cls.organization_only = make_item(cls.alice, "คู่มือภายในหน่วยงาน", visibility="organization")
        cls.private = make_item(cls.alice, "ร่างส่วนตัวของอลิซ", visibility="private")

    def login(self, user: User) -> None:
        self.client.force_login(user)

    def edit_data(self, item: KnowledgeItem, **changes: Any) -> dict[str, Any]:
        """The editor's POST for `item` as it is now, with some fields changed."""
        item.refresh_from_db()
        data: dict[str, Any] = {
            "kind": item.kind,
            "title": item.title,
            "summary": item.summary,
            "body": item.body,
            "license": item.license,
            "visibility": item.visibility,
            "organization": item.organization_id or "",
            "topics": list(item.topics.values_list("pk", flat=True)),
            "tags": ", ".join(item.tags.values_list("name", flat=True)),
            "authors": list(item.authors.values_list("pk", flat=True)),
            "version": item.version,
            "message": "",
        }
        data.update(changes)
        return data
