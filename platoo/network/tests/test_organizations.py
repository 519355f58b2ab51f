from django.urls import reverse

from platoo.accounts.models import User
from platoo.accounts.tests.helpers import CastTestCase, image_file, make_item, make_organization, make_person
from platoo.network.forms import OrganizationForm
from platoo.network.models import Organization, Sector

TITLES = {
    "public": "บันทึกสาธารณะของอัลฟา",
    "network": "เรื่องเล่าสำหรับเครือข่าย",
    "organization": "บทเรียนภายในหน่วยงาน",
    "private": "ร่างส่วนตัวของอลิซ",
}


class OrganizationPageTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        for visibility, title in TITLES.items():
            make_item(cls.alice, title, visibility, cls.alpha)
        make_item(cls.carol, "เรื่องของเบต้า", "public", cls.beta)

    def visible_titles(self, user: User | None) -> set[str]:
        if user is None:
            self.client.logout()
        else:
            self.client.force_login(user)
        response = self.client.get(self.alpha.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "เรื่องของเบต้า")
        return {title for title in TITLES.values() if title in response.content.decode()}

    def test_it_shows_anonymous_visitors_public_items_only(self) -> None:
        self.assertEqual(self.visible_titles(None), {TITLES["public"]})

    def test_it_shows_other_members_public_and_network_items(self) -> None:
        self.assertEqual(self.visible_titles(self.carol), {TITLES["public"], TITLES["network"]})

    def test_it_shows_its_own_people_organization_items(self) -> None:
        self.assertEqual(self.visible_titles(self.bob), {TITLES["public"], TITLES["network"], TITLES["organization"]})

    def test_it_shows_the_author_everything(self) -> None:
        self.assertEqual(self.visible_titles(self.alice), set(TITLES.values()))

    def test_it_lists_active_people_to_signed_in_users_only(self) -> None:
        User.objects.filter(pk=self.bob.pk).update(is_active=False)
        self.client.force_login(self.carol)
        response = self.client.get(self.alpha.get_absolute_url())
        self.assertContains(response, self.alice.get_absolute_url())
        self.assertNotContains(response, self.bob.get_absolute_url())
        self.client.logout()
        response = self.client.get(self.alpha.get_absolute_url())
        self.assertNotContains(response, self.alice.get_absolute_url())

    def test_it_shows_the_details_in_thai(self) -> None:
        response = self.client.get(self.alpha.get_absolute_url())
        self.assertContains(response, "หน่วยงาน alpha")
        self.assertContains(response, "Org alpha")
        self.assertContains(response, "เชียงใหม่")
        self.assertContains(response, "ภาครัฐ")

    def test_it_answers_404_for_an_unknown_code(self) -> None:
        self.assertEqual(self.client.get(reverse("network:organization", args=["nope"])).status_code, 404)

    def test_it_uses_a_fixed_number_of_queries(self) -> None:
        for n in range(5):
            make_person(self.admin, f"extra{n}", self.alpha, km_roles=["practitioner", "sponsor"])
            make_item(self.bob, f"เรื่องที่ {n}", "network", self.alpha)
        self.client.force_login(self.carol)
        # session, user, their permissions (2), organization, people, their roles, item count, item page, units, links,
        # unread notifications
        with self.assertNumQueries(12):
            self.client.get(self.alpha.get_absolute_url())


class OrganizationListTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.gamma = make_organization(cls.admin, "gamma", Sector.COMMUNITY, "Khon Kaen")
        make_item(cls.alice, "สาธารณะ", "public", cls.alpha)
        make_item(cls.alice, "ในเครือข่าย", "network", cls.alpha)
        make_item(cls.alice, "ในหน่วยงาน", "organization", cls.alpha)
        make_item(cls.alice, "ส่วนตัว", "private", cls.alpha)

    def page(self, query: str = "") -> list[Organization]:
        response = self.client.get(reverse("network:list") + query)
        self.assertEqual(response.status_code, 200)
        return list(response.context["page"].object_list)

    def test_it_filters_by_sector_and_province(self) -> None:
        self.assertEqual([o.code for o in self.page("?sector=academic")], ["beta"])
        self.assertEqual({o.code for o in self.page("?province=Khon+Kaen")}, {"beta", "gamma"})
        self.assertEqual([o.code for o in self.page("?province=Khon+Kaen&sector=community")], ["gamma"])
        self.assertEqual(len(self.page("?sector=nonsense")), 3)

    def test_it_counts_only_items_the_viewer_may_see(self) -> None:
        counts = {o.code: o.item_count for o in self.page()}
        self.assertEqual(counts["alpha"], 1)
        self.client.force_login(self.carol)
        self.assertEqual({o.code: o.item_count for o in self.page()}["alpha"], 2)
        self.client.force_login(self.bob)
        self.assertEqual({o.code: o.item_count for o in self.page()}["alpha"], 3)

    def test_it_counts_active_people(self) -> None:
        User.objects.filter(pk=self.bob.pk).update(is_active=False)
        counts = {o.code: o.people_count for o in self.page()}
        self.assertEqual(counts, {"alpha": 1, "beta": 1, "gamma": 0})

    def test_it_shows_facet_counts(self) -> None:
        response = self.client.get(reverse("network:list") + "?province=Khon+Kaen")
        sectors = {value: count for value, _label, count in response.context["sectors"]}
        self.assertEqual(sectors["academic"], 1)
        self.assertEqual(sectors["government"], 0)
        self.assertContains(response, "ขอนแก่น (2)")

    def test_it_uses_a_fixed_number_of_queries(self) -> None:
        for n in range(5):
            make_organization(self.admin, f"org{n}", Sector.PRIVATE, "Bangkok")
        self.client.force_login(self.carol)
        # session, user, their permissions (2), sector facet, province facet, count, page (with both counts as
        # subqueries), unread notifications
        with self.assertNumQueries(9):
            self.client.get(reverse("network:list"))


class LogoTests(CastTestCase):
    def form(self, logo: object) -> OrganizationForm:
        data = {"name_th": "ใหม่", "code": "new", "sector": Sector.PRIVATE, "province": "", "website": ""}
        return OrganizationForm(data, {"logo": logo})

    def test_it_accepts_and_reencodes_a_real_image(self) -> None:
        form = self.form(image_file("logo.webp", "WEBP"))
        self.assertTrue(form.is_valid(), form.errors)
        self.assertTrue(form.cleaned_data["logo"].name.endswith(".png"))

    def test_it_refuses_a_lying_extension(self) -> None:
        form = self.form(image_file("logo.png", "JPEG"))
        self.assertFalse(form.is_valid())
        self.assertIn("JPEG", str(form.errors["logo"]))

    def test_it_saves_through_the_admin_and_reindexes_its_people(self) -> None:
        self.client.force_login(self.admin)
        data = {
            "name_th": "  หน่วยงาน   ใหม่ ",
            "name_en": "",
            "code": "new",
            "sector": "private",
            "province": "",
            "website": "",
            "description": "",
        }
        response = self.client.post(
            reverse("admin:network_organization_add"), data | {"logo": image_file("l.gif", "GIF")}
        )
        self.assertEqual(response.status_code, 302)
        organization = Organization.objects.get(code="new")
        self.assertEqual(organization.name_th, "หน่วยงาน ใหม่")
        self.assertTrue(organization.logo.name.endswith(".png"))
