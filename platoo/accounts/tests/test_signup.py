from django.contrib.auth import get_user
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase, override_settings
from django.urls import reverse

from platoo.accounts.actions import SignupData, do_invite_person, do_sign_up
from platoo.accounts.models import Invitation, User

from .helpers import PASSWORD, make_organization


def signup_post(username: str = "somchai", email: str = "somchai@example.org") -> dict[str, str]:
    return {
        "username": username,
        "email": email,
        "name_th": "  สมชาย   รักงาน ",
        "name_en": "Somchai",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


class OpenSignupTests(TestCase):
    def test_it_creates_the_account_and_signs_in(self) -> None:
        response = self.client.post(reverse("accounts:signup"), signup_post())
        self.assertRedirects(response, reverse("accounts:profile_edit"))
        user = User.objects.get(username="somchai")
        self.assertEqual(user.name_th, "สมชาย รักงาน")
        self.assertIsNone(user.organization)
        self.assertEqual(get_user(self.client).pk, user.pk)

    def test_it_makes_one_account_from_a_double_submit(self) -> None:
        self.client.post(reverse("accounts:signup"), signup_post())
        self.client.logout()
        response = self.client.post(reverse("accounts:signup"), signup_post())
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")
        self.assertEqual(User.objects.filter(username="somchai").count(), 1)

    def test_it_refuses_a_username_differing_only_in_case(self) -> None:
        self.client.post(reverse("accounts:signup"), signup_post())
        self.client.logout()
        response = self.client.post(reverse("accounts:signup"), signup_post("SomChai", "other@example.org"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(User.objects.count(), 1)

    def test_it_refuses_a_race_past_the_form(self) -> None:
        do_sign_up(SignupData(username="somchai", email="s@example.org", password=PASSWORD))
        with self.assertRaises(ValidationError):
            do_sign_up(SignupData(username="somchai", email="s@example.org", password=PASSWORD))
        self.assertEqual(User.objects.count(), 1)

    def test_it_keeps_what_was_typed_when_passwords_differ(self) -> None:
        data = signup_post() | {"password2": "something-else-99"}
        response = self.client.post(reverse("accounts:signup"), data)
        self.assertContains(response, 'value="somchai@example.org"')
        self.assertFalse(User.objects.exists())


@override_settings(SIGNUP_MODE="invite")
class InviteOnlySignupTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.staff = User.objects.create_superuser("admin", "admin@example.org", PASSWORD)
        cls.org = make_organization(cls.staff, "alpha")
        cls.invitation = do_invite_person(cls.staff, Invitation(email="nok@example.org", organization=cls.org))

    def url(self, token: str | None = None) -> str:
        return reverse("accounts:signup") + f"?invite={token or self.invitation.token}"

    def test_it_refuses_without_an_invitation(self) -> None:
        response = self.client.post(reverse("accounts:signup"), signup_post())
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "ต้องได้รับคำเชิญ", status_code=403)
        self.assertFalse(User.objects.filter(username="somchai").exists())

    def test_it_refuses_an_unknown_token(self) -> None:
        response = self.client.get(self.url("not-a-real-token"))
        self.assertEqual(response.status_code, 403)

    def test_it_fixes_the_email_and_presets_the_organization(self) -> None:
        response = self.client.get(self.url())
        self.assertContains(response, "nok@example.org")
        self.assertContains(response, self.org.name_th)
        # A different email in the POST is ignored: the field is disabled.
        self.client.post(self.url(), signup_post(email="someone-else@example.org"))
        user = User.objects.get(username="somchai")
        self.assertEqual(user.email, "nok@example.org")
        self.assertEqual(user.organization, self.org)
        self.invitation.refresh_from_db()
        self.assertIsNotNone(self.invitation.accepted_at)
        self.assertEqual(self.invitation.accepted_by, user)

    def test_it_refuses_a_used_invitation(self) -> None:
        self.client.post(self.url(), signup_post())
        self.client.logout()
        response = self.client.post(self.url(), signup_post("another", "another@example.org"))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(User.objects.exclude(pk=self.staff.pk).count(), 1)

    def test_it_makes_one_account_from_a_double_submit(self) -> None:
        for _ in range(2):
            self.client.post(self.url(), signup_post())
            self.client.logout()
        self.assertEqual(User.objects.filter(username="somchai").count(), 1)

    def test_it_lets_only_one_of_two_simultaneous_signups_use_the_invitation(self) -> None:
        # Both requests loaded the invitation before either saved.
        first, second = (Invitation.objects.get(pk=self.invitation.pk) for _ in range(2))
        do_sign_up(SignupData(username="one", email="", password=PASSWORD), first)
        with self.assertRaisesMessage(ValidationError, "คำเชิญนี้ถูกใช้ไปแล้ว"):
            do_sign_up(SignupData(username="two", email="", password=PASSWORD), second)
        self.assertFalse(User.objects.filter(username="two").exists())

    def test_it_hides_the_signup_link(self) -> None:
        response = self.client.get(reverse("accounts:login"))
        self.assertNotContains(response, reverse("accounts:signup"))


class InvitationAdminTests(TestCase):
    def test_it_emails_the_invitation_link_that_then_works(self) -> None:
        staff = User.objects.create_superuser("admin", "admin@example.org", PASSWORD)
        org = make_organization(staff, "alpha")
        self.client.force_login(staff)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("admin:accounts_invitation_add"), {"email": "nok@example.org", "organization": org.pk}
            )
        self.assertEqual(response.status_code, 302)
        invitation = Invitation.objects.get(email="nok@example.org")
        self.assertEqual(invitation.invited_by, staff)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["nok@example.org"])
        self.assertIn("เชิญ", mail.outbox[0].subject)
        link = next(line for line in mail.outbox[0].body.splitlines() if "?invite=" in line)
        self.client.logout()
        with override_settings(SIGNUP_MODE="invite"):
            response = self.client.get(link.replace("http://127.0.0.1:8000", ""))
        self.assertContains(response, "nok@example.org")

    def test_it_lets_only_staff_invite(self) -> None:
        person = do_sign_up(SignupData(username="p", email="p@example.org", password=PASSWORD))
        with self.assertRaises(PermissionDenied):
            do_invite_person(person, Invitation(email="x@example.org"))
        self.assertFalse(Invitation.objects.exists())
