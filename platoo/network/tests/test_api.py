from django.test import TestCase

from platoo.accounts.models import User
from platoo.accounts.tests.helpers import make_organization
from platoo.network.models import Sector

URL = "/api/v1/organizations"


class OrganizationApiTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.admin = User.objects.create_superuser("admin", "admin@example.org", "pw-admin-123")
        cls.dol = make_organization(cls.admin, "dol", province="chiang-mai")
        cls.khaodee = make_organization(cls.admin, "khaodee", sector=Sector.PRIVATE)

    def test_it_lists_organizations_to_anyone(self) -> None:
        data = self.client.get(URL).json()
        self.assertEqual(data["count"], 2)
        self.assertEqual({o["code"] for o in data["items"]}, {"dol", "khaodee"})

    def test_it_describes_one_organization(self) -> None:
        data = self.client.get(f"{URL}/khaodee").json()
        self.assertEqual(
            (data["name_th"], data["name_en"], data["sector"]), ("หน่วยงาน khaodee", "Org khaodee", "private")
        )
        self.assertIsNone(data["logo_url"])
        self.assertTrue(data["url"].endswith("/organizations/khaodee/"))

    def test_it_answers_404_for_an_unknown_code(self) -> None:
        response = self.client.get(f"{URL}/nobody")
        self.assertEqual(response.status_code, 404)
        self.assertIn("detail", response.json())

    def test_it_filters_by_sector_and_province(self) -> None:
        self.assertEqual([o["code"] for o in self.client.get(URL, {"sector": "private"}).json()["items"]], ["khaodee"])
        province = self.dol.province
        self.assertEqual([o["code"] for o in self.client.get(URL, {"province": province}).json()["items"]], ["dol"])
        response = self.client.get(URL, {"sector": "mafia"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], "sector")

    def test_it_lists_in_a_fixed_number_of_queries(self) -> None:
        for code in ["a1", "a2", "a3"]:
            make_organization(self.admin, code)
        with self.assertNumQueries(2):  # count and page
            self.assertEqual(len(self.client.get(URL).json()["items"]), 5)
