from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from platoo.accounts.tests.helpers import CastTestCase, make_person
from platoo.knowledge.models import Topic
from platoo.network.actions import do_add_link, do_remove_unit, do_save_profile, do_save_unit
from platoo.network.models import NetworkLevel, NetworkLink, NetworkProfile, Organization, Unit

from .test_membership import grant_manager


class UnitTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = grant_manager(make_person(cls.admin, "manny"))
        Organization.objects.filter(pk=cls.alpha.pk).update(contact_person=cls.alice)
        cls.alpha.refresh_from_db()

    def test_the_contact_person_adds_units_shown_as_a_tree(self) -> None:
        self.client.force_login(self.alice)
        self.client.post(reverse("network:unit_add", args=["alpha"]), {"name_th": "กองแผนงาน", "kind": "division"})
        division = Unit.objects.get(name_th="กองแผนงาน")
        data = {"name_th": "งานข้อมูล", "kind": "section", "parent": division.pk}
        response = self.client.post(reverse("network:unit_add", args=["alpha"]), data)
        self.assertRedirects(response, self.alpha.get_absolute_url())
        response = self.client.get(self.alpha.get_absolute_url())
        self.assertEqual([u.name_th for u in response.context["units"]], ["กองแผนงาน"])
        self.assertEqual([u.name_th for u in response.context["units"][0].subunits], ["งานข้อมูล"])
        self.assertContains(response, "งานข้อมูล")

    def test_a_manager_renames_and_others_may_not_touch_units(self) -> None:
        unit = do_save_unit(self.manager, Unit(organization=self.alpha, name_th="เดิม"))
        self.client.force_login(self.manager)
        self.client.post(reverse("network:unit_edit", args=["alpha", unit.pk]), {"name_th": "ใหม่", "kind": "section"})
        unit.refresh_from_db()
        self.assertEqual(unit.name_th, "ใหม่")
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(reverse("network:unit_add", args=["alpha"])).status_code, 403)
        with self.assertRaises(PermissionDenied):
            do_save_unit(self.carol, Unit(organization=self.alpha, name_th="แอบเพิ่ม"))

    def test_a_unit_with_sub_units_cannot_be_removed(self) -> None:
        parent = do_save_unit(self.alice, Unit(organization=self.alpha, name_th="กอง"))
        child = do_save_unit(self.alice, Unit(organization=self.alpha, name_th="งาน", parent=parent))
        self.client.force_login(self.alice)
        response = self.client.post(reverse("network:unit_remove", args=["alpha", parent.pk]), follow=True)
        self.assertContains(response, "หน่วยย่อย")
        self.assertTrue(Unit.objects.filter(pk=parent.pk).exists())
        do_remove_unit(self.alice, child)
        self.client.post(reverse("network:unit_remove", args=["alpha", parent.pk]))
        self.assertFalse(Unit.objects.exists())
        response = self.client.post(reverse("network:unit_remove", args=["alpha", parent.pk]))
        self.assertRedirects(response, self.alpha.get_absolute_url())  # a double submit is harmless

    def test_a_unit_cannot_sit_under_another_organization_or_itself(self) -> None:
        other = do_save_unit(self.manager, Unit(organization=self.beta, name_th="ของเบต้า"))
        with self.assertRaises(ValidationError):
            do_save_unit(self.manager, Unit(organization=self.alpha, name_th="x", parent=other))
        top = do_save_unit(self.manager, Unit(organization=self.alpha, name_th="บน"))
        below = do_save_unit(self.manager, Unit(organization=self.alpha, name_th="ล่าง", parent=top))
        top.parent = below
        with self.assertRaises(ValidationError):
            do_save_unit(self.manager, top)


class LinkTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = grant_manager(make_person(cls.admin, "manny"))

    def link(self, **changes: object) -> NetworkLink:
        fields = {"source": self.alpha, "target": self.beta, "level": NetworkLevel.AREA, "since": date(2024, 5, 1)}
        return NetworkLink(**(fields | changes))

    def test_a_manager_adds_a_link_on_the_page_and_both_organizations_list_it(self) -> None:
        self.client.force_login(self.manager)
        data = {"source": self.alpha.pk, "target": self.beta.pk, "level": 3, "since": "2024-05-01", "reason": "ร่วมมือ"}
        response = self.client.post(reverse("network:links"), data)
        self.assertRedirects(response, reverse("network:links"))
        link = NetworkLink.objects.get()
        self.assertEqual(link.created_by, self.manager)
        for organization in (self.alpha, self.beta):
            response = self.client.get(organization.get_absolute_url())
            self.assertEqual(list(response.context["links"]), [link])
            self.assertContains(response, "2567")
            self.assertContains(response, "ข้ามหน่วยงานในพื้นที่เดียวกัน")

    def test_the_same_link_twice_itself_or_a_future_date_is_refused_with_input_kept(self) -> None:
        do_add_link(self.manager, self.link())
        self.client.force_login(self.manager)
        tomorrow = timezone.localdate() + timedelta(days=1)
        cases = [
            ({"target": self.beta.pk, "since": "2024-05-01"}, "เชื่อมโยงกันในระดับนี้แล้ว"),
            ({"target": self.alpha.pk, "since": "2024-05-01"}, "เชื่อมโยงกับตัวเองไม่ได้"),
            ({"target": self.beta.pk, "level": 4, "since": tomorrow.isoformat()}, "วันที่ต้องไม่อยู่ในอนาคต"),
        ]
        for changes, message in cases:
            data = {"source": self.alpha.pk, "level": 3, "reason": "เหตุผลที่พิมพ์ไว้"} | changes
            response = self.client.post(reverse("network:links"), data)
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, message)
            self.assertContains(response, "เหตุผลที่พิมพ์ไว้")
        self.assertEqual(NetworkLink.objects.count(), 1)

    def test_only_managers_add_or_remove_links(self) -> None:
        with self.assertRaises(PermissionDenied):
            do_add_link(self.alice, self.link())
        link = do_add_link(self.manager, self.link())
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("network:links")).status_code, 403)
        self.assertEqual(self.client.post(reverse("network:link_remove", args=[link.pk])).status_code, 403)
        self.client.force_login(self.manager)
        self.client.post(reverse("network:link_remove", args=[link.pk]))
        self.assertFalse(NetworkLink.objects.exists())
        self.assertRedirects(self.client.post(reverse("network:link_remove", args=[link.pk])), reverse("network:links"))


class NetworkProfileTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = grant_manager(make_person(cls.admin, "manny"))

    def test_the_profile_shows_vision_age_members_critical_topics_and_links(self) -> None:
        started = timezone.localdate().replace(day=1) - timedelta(days=800)
        profile = NetworkProfile(name_th="เครือข่ายทดสอบ", knowledge_vision="**วิสัยทัศน์** ของเรา", started_on=started)
        do_save_profile(self.manager, profile)
        Topic.objects.create(slug="crit", name_th="หัวข้อสำคัญยิ่ง", name_en="Crit", critical=True)
        Topic.objects.create(slug="plain", name_th="หัวข้อธรรมดา", name_en="Plain")
        do_add_link(
            self.manager,
            NetworkLink(source=self.alpha, target=self.beta, level=NetworkLevel.HUB, since=date(2025, 1, 2)),
        )
        response = self.client.get(reverse("network_profile:profile"))
        self.assertContains(response, "<strong>วิสัยทัศน์</strong>", html=True)
        self.assertContains(response, str(started.year + 543))
        self.assertContains(response, "2 ปี")
        self.assertContains(response, "หัวข้อสำคัญยิ่ง")
        self.assertNotContains(response, "หัวข้อธรรมดา")
        self.assertContains(response, "ภาครัฐ: 1")
        self.assertContains(response, "เครือข่ายที่มีศูนย์กลางคอยสนับสนุน")
        self.assertEqual(response.context["member_count"], 2)

    def test_managers_edit_the_profile_others_may_not(self) -> None:
        self.client.force_login(self.alice)
        self.assertEqual(self.client.get(reverse("network_profile:edit")).status_code, 403)
        with self.assertRaises(PermissionDenied):
            do_save_profile(self.alice, NetworkProfile(name_th="x"))
        self.client.force_login(self.manager)
        data = {"name_th": "เครือข่ายใหม่", "name_en": "", "knowledge_vision": "เรียนรู้", "started_on": "2030-01-01"}
        response = self.client.post(reverse("network_profile:edit"), data)
        self.assertContains(response, "วันที่ต้องไม่อยู่ในอนาคต")
        response = self.client.post(reverse("network_profile:edit"), data | {"started_on": "2020-01-01"})
        self.assertRedirects(response, reverse("network_profile:profile"))
        self.assertEqual(NetworkProfile.objects.get().name_th, "เครือข่ายใหม่")
        self.assertEqual(NetworkProfile.objects.count(), 1)


class LinkAdminTests(CastTestCase):
    def test_the_admin_says_why_a_link_is_refused_beside_the_field(self) -> None:
        self.client.force_login(self.admin)
        url = reverse("admin:network_networklink_add")
        future = (timezone.localdate() + timedelta(days=3)).isoformat()
        data = {"source": self.alpha.pk, "target": self.beta.pk, "level": 3, "since": future, "reason": ""}
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertIn("since", response.context["adminform"].form.errors)
        response = self.client.post(url, {**data, "target": self.alpha.pk, "since": "2024-01-01"})
        self.assertIn("target", response.context["adminform"].form.errors)
        self.assertFalse(NetworkLink.objects.exists())
        self.client.post(url, {**data, "since": "2024-01-01"})
        self.assertEqual(NetworkLink.objects.count(), 1)
