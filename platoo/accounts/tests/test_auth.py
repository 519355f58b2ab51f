import re

from django.contrib.auth import get_user
from django.core import mail
from django.test import TestCase
from django.urls import reverse

from platoo.accounts.actions import SignupData, do_sign_up

from .helpers import PASSWORD

NEW_PASSWORD = "another-horse-77"


class SignInTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = do_sign_up(SignupData(username="malee", email="malee@example.org", password=PASSWORD))

    def test_it_signs_in_and_goes_where_it_was_asked(self) -> None:
        response = self.client.post(
            reverse("accounts:login"), {"username": "malee", "password": PASSWORD, "next": reverse("accounts:tokens")}
        )
        self.assertRedirects(response, reverse("accounts:tokens"))
        self.assertTrue(get_user(self.client).is_authenticated)

    def test_it_refuses_a_wrong_password_with_a_message(self) -> None:
        response = self.client.post(reverse("accounts:login"), {"username": "malee", "password": "nope"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'role="alert"')
        self.assertFalse(get_user(self.client).is_authenticated)

    def test_it_signs_out_by_post_only(self) -> None:
        self.client.force_login(self.user)
        self.assertEqual(self.client.get(reverse("accounts:logout")).status_code, 405)
        self.client.post(reverse("accounts:logout"))
        self.assertFalse(get_user(self.client).is_authenticated)

    def test_it_changes_the_password(self) -> None:
        self.client.force_login(self.user)
        response = self.client.post(
            reverse("accounts:password_change"),
            {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        self.assertRedirects(response, reverse("accounts:password_change_done"))
        self.user.refresh_from_db()
        self.assertTrue(self.user.check_password(NEW_PASSWORD))


class PasswordResetTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.user = do_sign_up(SignupData(username="malee", email="malee@example.org", password=PASSWORD))

    def test_it_emails_a_thai_link_that_sets_a_new_password(self) -> None:
        response = self.client.post(reverse("accounts:password_reset"), {"email": "malee@example.org"})
        self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["malee@example.org"])
        self.assertIn("รหัสผ่าน", message.subject)
        self.assertIn("Platoo", message.subject)
        match = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", message.body)
        assert match is not None, message.body

        response = self.client.get(match.group(1), follow=True)
        self.assertContains(response, "new_password1")
        response = self.client.post(
            response.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        self.assertRedirects(response, reverse("accounts:password_reset_complete"))
        self.assertTrue(self.client.login(username="malee", password=NEW_PASSWORD))

    def test_it_does_not_say_whether_an_address_has_an_account(self) -> None:
        response = self.client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
        self.assertRedirects(response, reverse("accounts:password_reset_done"))
        self.assertEqual(len(mail.outbox), 0)

    def test_it_explains_a_used_link(self) -> None:
        response = self.client.get(reverse("accounts:password_reset_confirm", args=["MQ", "bad-token"]))
        self.assertContains(response, reverse("accounts:password_reset"))
