from datetime import timedelta
from unittest import mock

from django.test import TestCase
from django.utils import timezone

from platoo.accounts.actions import do_issue_token, do_revoke_token
from platoo.accounts.models import ApiToken, KMRole, User
from platoo.accounts.tests.helpers import make_organization, make_person

PEOPLE = "/api/v1/people"
EN = {"accept-language": "en"}


class TokenAuthTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.admin = User.objects.create_superuser("admin", "admin@example.org", "pw-admin-123")
        cls.alice = make_person(cls.admin, "alice")
        cls.token, cls.raw = do_issue_token(cls.alice, "รายงานประจำเดือน")

    def me(self, authorization: str) -> int:
        return self.client.get("/api/v1/me", headers={"authorization": authorization}).status_code

    def test_it_accepts_a_valid_token(self) -> None:
        response = self.client.get("/api/v1/me", headers={"authorization": f"Bearer {self.raw}"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["username"], "alice")

    def test_it_stores_only_the_digest(self) -> None:
        self.assertNotIn(self.raw, [getattr(self.token, f.attname) for f in ApiToken._meta.concrete_fields])
        self.assertEqual(self.token.digest, ApiToken.hash(self.raw))

    def test_it_refuses_a_wrong_token_with_a_clear_401(self) -> None:
        response = self.client.get("/api/v1/me", headers={"authorization": f"Bearer {self.raw}x", **EN})
        self.assertEqual(response.status_code, 401)
        self.assertIn("not valid", response.json()["detail"])
        self.assertEqual(response["WWW-Authenticate"], "Bearer")

    def test_it_refuses_a_wrong_token_even_where_anonymous_reading_is_allowed(self) -> None:
        response = self.client.get("/api/v1/knowledge", headers={"authorization": "Bearer pt_nothing"})
        self.assertEqual(response.status_code, 401)

    def test_it_refuses_a_revoked_token(self) -> None:
        do_revoke_token(self.alice, self.token)
        self.assertEqual(self.me(f"Bearer {self.raw}"), 401)

    def test_it_refuses_the_token_of_a_deactivated_person(self) -> None:
        User.objects.filter(pk=self.alice.pk).update(is_active=False)
        self.assertEqual(self.me(f"Bearer {self.raw}"), 401)

    def test_it_refuses_requests_without_credentials(self) -> None:
        self.assertEqual(self.client.get("/api/v1/me").status_code, 401)
        self.assertEqual(self.me(f"Basic {self.raw}"), 401)

    def test_it_records_the_last_use_at_most_once_a_minute(self) -> None:
        start = timezone.now()
        with mock.patch("django.utils.timezone.now", return_value=start):
            self.assertEqual(self.me(f"Bearer {self.raw}"), 200)
        self.token.refresh_from_db()
        self.assertEqual(self.token.last_used_at, start)
        with mock.patch("django.utils.timezone.now", return_value=start + timedelta(seconds=30)):
            self.assertEqual(self.me(f"Bearer {self.raw}"), 200)
        self.token.refresh_from_db()
        self.assertEqual(self.token.last_used_at, start)
        later = start + timedelta(seconds=61)
        with mock.patch("django.utils.timezone.now", return_value=later):
            self.assertEqual(self.me(f"Bearer {self.raw}"), 200)
        self.token.refresh_from_db()
        self.assertEqual(self.token.last_used_at, later)


class PeopleApiTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.admin = User.objects.create_superuser("admin", "admin@example.org", "pw-admin-123")
        cls.dol = make_organization(cls.admin, "dol")
        cls.alice = make_person(
            cls.admin,
            "alice",
            cls.dol,
            name_th="อลิส ใจดี",
            position="นักวิชาการ",
            expertise=["การจัดการความรู้"],
            km_roles=[KMRole.FACILITATOR],
        )
        cls.bob = make_person(cls.admin, "bob", name_th="บ๊อบ")
        cls.gone = make_person(cls.admin, "gone")
        User.objects.filter(pk=cls.gone.pk).update(is_active=False)

    def setUp(self) -> None:
        self.client.force_login(self.bob)

    def usernames(self, params: dict[str, str] | None = None) -> list[str]:
        response = self.client.get(PEOPLE, params or {})
        self.assertEqual(response.status_code, 200, response.content)
        return [p["username"] for p in response.json()["items"]]

    def test_it_lists_active_people_only(self) -> None:
        self.assertEqual(set(self.usernames()), {"admin", "alice", "bob"})

    def test_it_is_for_signed_in_people_only(self) -> None:
        self.client.logout()
        self.assertEqual(self.client.get(PEOPLE).status_code, 401)
        self.assertEqual(self.client.get(f"{PEOPLE}/alice").status_code, 401)

    def test_it_describes_a_person_without_their_email(self) -> None:
        response = self.client.get(f"{PEOPLE}/alice")
        data = response.json()
        self.assertEqual((data["name_th"], data["position"]), ("อลิส ใจดี", "นักวิชาการ"))
        self.assertEqual(data["organization"]["code"], "dol")
        self.assertEqual(data["expertise"], ["การจัดการความรู้"])
        self.assertEqual(
            data["km_roles"], [{"role": "facilitator", "organization": "dol", "community": None, "since": None}]
        )
        self.assertTrue(data["url"].endswith("/accounts/people/alice/"))
        self.assertNotIn("email", data)
        self.assertNotIn(b"example.org", self.client.get(PEOPLE).content)

    def test_it_hides_deactivated_people(self) -> None:
        self.assertEqual(self.client.get(f"{PEOPLE}/gone").status_code, 404)

    def test_it_shows_you_your_own_email(self) -> None:
        self.assertEqual(self.client.get("/api/v1/me").json()["email"], "bob@example.org")

    def test_it_filters_by_organization_and_role(self) -> None:
        self.assertEqual(self.usernames({"org": "dol"}), ["alice"])
        self.assertEqual(self.usernames({"role": "facilitator"}), ["alice"])
        self.assertEqual(self.usernames({"role": "sponsor"}), [])
        self.assertEqual(self.client.get(PEOPLE, {"role": "boss"}).json()["errors"][0]["field"], "role")

    def test_it_lists_in_a_fixed_number_of_queries(self) -> None:
        for name in ["carol", "dave", "erin"]:
            make_person(self.admin, name, self.dol, expertise=["ข้อมูล"], km_roles=[KMRole.PRACTITIONER])
        # session and user, then count, people, expertise; KM roles in organizations and in CoPs; written
        # and presented evidence (no topics to load: nothing was written or presented)
        with self.assertNumQueries(10):
            self.assertEqual(len(self.usernames()), 6)
