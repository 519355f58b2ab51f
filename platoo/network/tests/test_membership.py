from datetime import timedelta

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from platoo.accounts.models import User
from platoo.accounts.tests.helpers import CastTestCase, make_person
from platoo.network.actions import do_apply_for_membership, do_change_membership, do_decide_application
from platoo.network.models import MembershipStatus, Organization, Sector


def grant_manager(user: User) -> User:
    user.user_permissions.add(Permission.objects.get(codename="manage_network", content_type__app_label="network"))
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance


def apply(person: User, code: str = "gamma") -> Organization:
    organization = Organization(name_th=f"หน่วยงาน {code}", code=code, sector=Sector.COMMUNITY)
    return do_apply_for_membership(person, organization, "อยากแลกเปลี่ยนเรียนรู้")


class MembershipTests(CastTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.manager = grant_manager(make_person(cls.admin, "manny"))

    def test_existing_organizations_are_members(self) -> None:
        self.assertEqual(self.alpha.status, MembershipStatus.MEMBER)

    def test_a_signed_in_person_applies_through_the_form_and_becomes_contact_person(self) -> None:
        self.client.force_login(self.dave)
        data = {"name_th": "กลุ่มใหม่", "code": "new-group", "sector": "community", "application_note": "ขอเข้าร่วม"}
        response = self.client.post(reverse("network:apply"), data)
        organization = Organization.objects.get(code="new-group")
        self.assertRedirects(response, organization.get_absolute_url())
        self.assertEqual(organization.status, MembershipStatus.APPLICANT)
        self.assertEqual(organization.contact_person, self.dave)
        self.assertEqual(organization.application_note, "ขอเข้าร่วม")

    def test_the_form_keeps_input_and_refuses_a_taken_or_reserved_code(self) -> None:
        self.client.force_login(self.dave)
        for code in ("alpha", "apply"):
            data = {"name_th": "กลุ่มใหม่", "code": code, "sector": "community", "application_note": "ขอเข้าร่วม"}
            response = self.client.post(reverse("network:apply"), data)
            self.assertEqual(response.status_code, 200)
            self.assertTrue(response.context["form"].errors["code"])
            self.assertContains(response, "กลุ่มใหม่")

    def test_anonymous_visitors_must_sign_in_to_apply(self) -> None:
        response = self.client.get(reverse("network:apply"))
        self.assertEqual(response.status_code, 302)

    def test_applications_are_hidden_from_the_public_list_and_page(self) -> None:
        gamma = apply(self.dave)
        self.client.force_login(self.carol)
        self.assertNotContains(self.client.get(reverse("network:list")), "หน่วยงาน gamma")
        self.assertEqual(self.client.get(gamma.get_absolute_url()).status_code, 404)
        self.client.force_login(self.dave)
        self.assertContains(self.client.get(gamma.get_absolute_url()), "หน่วยงาน gamma")

    def test_managers_see_pending_applications_and_approve_them(self) -> None:
        gamma = apply(self.dave)
        self.client.force_login(self.manager)
        response = self.client.get(reverse("network:list"))
        self.assertEqual(list(response.context["applications"]), [gamma])
        response = self.client.post(reverse("network:decide", args=["gamma"]), {"decision": "approve", "next": "list"})
        self.assertRedirects(response, reverse("network:list"))
        gamma.refresh_from_db()
        self.assertEqual(gamma.status, MembershipStatus.MEMBER)
        self.assertEqual(gamma.joined_on, timezone.localdate())
        self.assertEqual(gamma.decided_by, self.manager)
        self.assertContains(self.client.get(gamma.get_absolute_url()), "สมาชิกตั้งแต่")

    def test_rejecting_needs_a_reason(self) -> None:
        gamma = apply(self.dave)
        with self.assertRaises(ValidationError):
            do_decide_application(self.manager, gamma, approve=False)
        do_decide_application(self.manager, gamma, approve=False, reason="ไม่ใช่หน่วยงานในขอบเขต")
        gamma.refresh_from_db()
        self.assertEqual((gamma.status, gamma.decision_reason), (MembershipStatus.REJECTED, "ไม่ใช่หน่วยงานในขอบเขต"))
        self.assertIsNone(gamma.joined_on)

    def test_deciding_twice_or_deciding_a_member_is_refused_clearly(self) -> None:
        gamma = apply(self.dave)
        self.client.force_login(self.manager)
        self.client.post(reverse("network:decide", args=["gamma"]), {"decision": "approve"})
        response = self.client.post(
            reverse("network:decide", args=["gamma"]), {"decision": "reject", "reason": "x"}, follow=True
        )
        self.assertContains(response, "ใบสมัครนี้ได้รับการพิจารณาไปแล้ว")
        gamma.refresh_from_db()
        self.assertEqual(gamma.status, MembershipStatus.MEMBER)
        with self.assertRaisesMessage(ValidationError, "เฉพาะหน่วยงานที่อยู่ระหว่างสมัคร"):
            do_decide_application(self.manager, self.alpha, approve=True)

    def test_only_managers_decide(self) -> None:
        gamma = apply(self.dave)
        with self.assertRaises(PermissionDenied):
            do_decide_application(self.carol, gamma, approve=True)
        self.client.force_login(self.dave)
        response = self.client.post(reverse("network:decide", args=["gamma"]), {"decision": "approve"})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(do_decide_application(self.admin, gamma, approve=True).status == MembershipStatus.MEMBER)

    def test_a_manager_suspends_or_marks_a_member_as_left(self) -> None:
        self.client.force_login(self.manager)
        self.client.post(reverse("network:membership", args=["alpha"]), {"status": "suspended"})
        self.alpha.refresh_from_db()
        self.assertEqual(self.alpha.status, MembershipStatus.SUSPENDED)
        do_change_membership(self.manager, self.alpha, MembershipStatus.LEFT)
        self.alpha.refresh_from_db()
        self.assertEqual((self.alpha.status, self.alpha.left_on), (MembershipStatus.LEFT, timezone.localdate()))
        with self.assertRaises(ValidationError):
            do_change_membership(self.manager, self.alpha, MembershipStatus.SUSPENDED)
        with self.assertRaises(PermissionDenied):
            do_change_membership(self.carol, self.beta, MembershipStatus.LEFT)

    def test_the_public_list_shows_members_only_and_managers_filter_by_status(self) -> None:
        do_change_membership(self.manager, self.beta, MembershipStatus.LEFT)
        codes = {o.code for o in self.client.get(reverse("network:list")).context["page"].object_list}
        self.assertEqual(codes, {"alpha"})
        codes = {o.code for o in self.client.get(reverse("network:list") + "?status=left").context["page"]}
        self.assertEqual(codes, {"alpha"})  # the filter is for managers only
        self.client.force_login(self.manager)
        codes = {o.code for o in self.client.get(reverse("network:list") + "?status=left").context["page"]}
        self.assertEqual(codes, {"beta"})

    def test_the_page_shows_the_status_and_joined_date_in_buddhist_era(self) -> None:
        Organization.objects.filter(pk=self.alpha.pk).update(joined_on=timezone.localdate() - timedelta(days=400))
        response = self.client.get(self.alpha.get_absolute_url())
        joined = timezone.localdate() - timedelta(days=400)
        self.assertContains(response, "สมาชิก")
        self.assertContains(response, str(joined.year + 543))


class MembershipApiTests(CastTestCase):
    def test_the_api_lists_members_and_hides_applications(self) -> None:
        apply(self.dave)
        codes = {o["code"] for o in self.client.get("/api/v1/organizations").json()["items"]}
        self.assertEqual(codes, {"alpha", "beta"})
        self.assertEqual(self.client.get("/api/v1/organizations/gamma").status_code, 404)
