from unittest import mock

from django.core import mail
from django.urls import reverse

from platoo.accounts.actions import SignupData, do_invite_person, do_issue_token, do_sign_up
from platoo.accounts.models import ApiToken, Invitation, KMRoleHolding, User

from .helpers import PASSWORD, CastTestCase, image_file


class AdminTests(CastTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.admin)

    def test_it_lists_and_searches_every_model(self) -> None:
        do_issue_token(self.alice, "script")
        for name in ("user", "expertise", "kmroleholding", "invitation", "apitoken"):
            response = self.client.get(reverse(f"admin:accounts_{name}_changelist") + "?q=alice")
            self.assertEqual(response.status_code, 200, name)
        response = self.client.get(reverse("admin:network_organization_changelist") + "?q=alpha&sector=government")
        self.assertContains(response, self.alpha.name_th)

    def test_it_edits_a_person_with_roles_inline_and_reindexes(self) -> None:
        url = reverse("admin:accounts_user_change", args=[self.bob.pk])
        self.assertContains(self.client.get(url), "km_roles-TOTAL_FORMS")
        holding = self.bob.km_roles.get()
        data = {
            "username": "bob",
            "email": "bob@example.org",
            "name_th": "บ็อบ",
            "name_en": "Bob",
            "organization": self.beta.pk,
            "position": "",
            "bio": "",
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "km_roles-TOTAL_FORMS": "2",
            "km_roles-INITIAL_FORMS": "1",
            "km_roles-0-id": holding.pk,
            "km_roles-0-user": self.bob.pk,
            "km_roles-0-role": "practitioner",
            "km_roles-0-DELETE": "on",
            "km_roles-1-user": self.bob.pk,
            "km_roles-1-role": "coordinator",
            "km_roles-1-organization": self.beta.pk,
        }
        with mock.patch("platoo.accounts.admin.update_index") as update_index:
            response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        bob = User.objects.get(pk=self.bob.pk)
        self.assertEqual(bob.organization, self.beta)
        self.assertEqual(list(KMRoleHolding.objects.filter(user=bob).values_list("role", flat=True)), ["coordinator"])
        update_index.assert_called_once_with(bob)

    def test_it_refuses_a_lying_avatar_in_the_admin(self) -> None:
        url = reverse("admin:accounts_user_change", args=[self.bob.pk])
        response = self.client.post(url, {"username": "bob", "avatar": image_file("a.png", "JPEG")})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, ".jpg")

    def test_it_shows_tokens_read_only(self) -> None:
        token, raw = do_issue_token(self.alice, "script")
        self.assertEqual(self.client.get(reverse("admin:accounts_apitoken_add")).status_code, 403)
        response = self.client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
        self.assertContains(response, token.digest)
        self.assertNotContains(response, raw)
        self.client.post(reverse("admin:accounts_apitoken_delete", args=[token.pk]), {"post": "yes"})
        self.assertFalse(ApiToken.objects.exists())

    def test_it_resends_open_invitations_only(self) -> None:
        open_invitation = do_invite_person(self.admin, Invitation(email="a@example.org"))
        used = do_invite_person(self.admin, Invitation(email="b@example.org"))
        do_sign_up(SignupData(username="b", email="", password=PASSWORD), used)
        self.client.post(
            reverse("admin:accounts_invitation_changelist"),
            {"action": "resend", "_selected_action": [open_invitation.pk, used.pk]},
        )
        self.assertEqual([m.to for m in mail.outbox], [["a@example.org"]])
