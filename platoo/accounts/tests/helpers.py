"""A small cast for accounts and network tests, built through the real actions."""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from PIL import Image

from platoo.accounts.actions import ProfileData, SignupData, do_sign_up, do_update_profile
from platoo.accounts.models import User
from platoo.knowledge.actions import ItemData, do_create_item
from platoo.knowledge.models import KnowledgeItem
from platoo.network.actions import do_save_organization
from platoo.network.models import Organization, Sector

PASSWORD = "correct-horse-42"
# The project conftest switches to MD5 per test, which is after setUpTestData has hashed its users' passwords.


def make_person(staff: User, username: str, organization: Organization | None = None, **profile: Any) -> User:
    person = do_sign_up(SignupData(username=username, email=f"{username}@example.org", password=PASSWORD))
    data = ProfileData(
        name_th=profile.get("name_th", ""),
        name_en=profile.get("name_en", username.title()),
        position=profile.get("position", ""),
        bio=profile.get("bio", ""),
        expertise=profile.get("expertise", []),
        km_roles=profile.get("km_roles", []),
        organization=organization,
        change_organization=True,
    )
    return do_update_profile(staff, person, data)


def make_organization(staff: User, code: str, sector: str = Sector.GOVERNMENT, province: str = "") -> Organization:
    organization = Organization(
        name_th=f"หน่วยงาน {code}", name_en=f"Org {code}", code=code, sector=sector, province=province
    )
    return do_save_organization(staff, organization)


def make_item(
    author: User, title: str, visibility: str = "network", organization: Organization | None = None
) -> KnowledgeItem:
    data = ItemData(title=title, kind="story", body="เนื้อหา", visibility=visibility)
    if organization is not None:
        data.organization_id = organization.pk
    return do_create_item(author, data)


def image_file(name: str = "avatar.png", fmt: str = "PNG", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (15, 110, 90)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


class CastTestCase(TestCase):
    """Two organizations; alice and bob in alpha, carol in beta, dave in none; an admin."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.admin = User.objects.create_superuser("admin", "admin@example.org", PASSWORD)
        cls.alpha = make_organization(cls.admin, "alpha", Sector.GOVERNMENT, "Chiang Mai")
        cls.beta = make_organization(cls.admin, "beta", Sector.ACADEMIC, "Khon Kaen")
        cls.alice = make_person(
            cls.admin, "alice", cls.alpha, name_th="อลิซ ใจดี", km_roles=["facilitator"], expertise=["ถอดบทเรียน"]
        )
        cls.bob = make_person(cls.admin, "bob", cls.alpha, km_roles=["practitioner"], expertise=["data analysis"])
        cls.carol = make_person(cls.admin, "carol", cls.beta, km_roles=["facilitator", "note_taker"])
        cls.dave = make_person(cls.admin, "dave")
