from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from platoo.accounts.models import User

from .helpers import CastTestCase, make_person


class PeopleDirectoryTests(CastTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def names(self, query: str = "") -> list[str]:
        response = self.client.get(reverse("people:list") + query)
        self.assertEqual(response.status_code, 200)
        return sorted(p.username for p in response.context["page"].object_list)

    def test_it_asks_anonymous_visitors_to_sign_in(self) -> None:
        self.client.logout()
        response = self.client.get(reverse("people:list"))
        self.assertRedirects(response, reverse("accounts:login") + "?next=" + reverse("people:list"))

    def test_it_lists_active_people_only(self) -> None:
        User.objects.filter(pk=self.dave.pk).update(is_active=False)
        self.assertEqual(self.names(), ["admin", "alice", "bob", "carol"])

    def test_it_filters_by_organization(self) -> None:
        self.assertEqual(self.names("?org=alpha"), ["alice", "bob"])

    def test_it_filters_by_km_role(self) -> None:
        self.assertEqual(self.names("?role=facilitator"), ["alice", "carol"])

    def test_it_filters_by_expertise_ignoring_case(self) -> None:
        self.assertEqual(self.names("?expertise=Data+Analysis"), ["bob"])

    def test_it_filters_by_province(self) -> None:
        self.assertEqual(self.names("?province=Khon+Kaen"), ["carol"])

    def test_it_combines_filters(self) -> None:
        self.assertEqual(self.names("?org=alpha&role=facilitator"), ["alice"])

    def test_it_ignores_nonsense_filters(self) -> None:
        self.assertEqual(self.names("?role=wizard&page=abc"), ["admin", "alice", "bob", "carol", "dave"])
        self.assertEqual(self.names("?org=" + "x" * 5000), [])

    def test_it_pages_the_directory(self) -> None:
        for n in range(25):
            make_person(self.admin, f"person{n:02}", self.beta, km_roles=["practitioner"], expertise=[f"skill {n}"])
        first = self.client.get(reverse("people:list"))
        self.assertEqual(len(first.context["page"].object_list), 24)
        self.assertContains(first, "?page=2")
        second = self.client.get(reverse("people:list") + "?page=2")
        self.assertEqual(len(second.context["page"].object_list), 30 - 24)

    def test_it_shows_roles_expertise_and_organization(self) -> None:
        response = self.client.get(reverse("people:list"))
        self.assertContains(response, "อลิซ ใจดี")
        self.assertContains(response, "ถอดบทเรียน")
        self.assertContains(response, "คุณอำนวย")
        self.assertContains(response, self.alpha.name_th)

    def test_it_uses_a_fixed_number_of_queries(self) -> None:
        for n in range(10):
            make_person(self.admin, f"extra{n}", self.beta, km_roles=["sponsor"], expertise=[f"topic {n}"])
        # session, user, unread notifications, count, page, expertise; written, presented and verified evidence (none to load
        # topics for);
        # KM roles in organizations and in CoPs; the filters' organizations, topics and expertise names
        with self.assertNumQueries(14):
            self.client.get(reverse("people:list") + "?role=sponsor&province=Khon+Kaen")
        with CaptureQueriesContext(connection) as captured:
            self.client.get(reverse("people:list"))
        self.assertEqual(len(captured), 14)
