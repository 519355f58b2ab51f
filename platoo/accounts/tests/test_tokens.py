import hashlib

from django.urls import reverse

from platoo.accounts.actions import do_issue_token
from platoo.accounts.models import ApiToken

from .helpers import CastTestCase


class ApiTokenTests(CastTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.alice)

    def test_it_shows_the_raw_token_once_and_stores_only_its_digest(self) -> None:
        response = self.client.post(reverse("accounts:tokens"), {"name": "  monthly   report "}, follow=True)
        token = ApiToken.objects.get(user=self.alice)
        self.assertEqual(token.name, "monthly report")
        raw = response.context["new_token"]["raw"]
        self.assertTrue(raw.startswith("pt_"))
        self.assertContains(response, raw)
        self.assertEqual(token.digest, hashlib.sha256(raw.encode()).hexdigest())
        self.assertEqual(token.prefix, raw[:8])
        self.assertNotIn(raw, str(ApiToken.objects.values().get()))
        self.assertEqual(response["Cache-Control"], "max-age=0, no-cache, no-store, must-revalidate, private")

        again = self.client.get(reverse("accounts:tokens"))
        self.assertNotContains(again, raw)
        self.assertContains(again, token.prefix)

    def test_it_refuses_a_double_submit_with_the_same_name(self) -> None:
        self.client.post(reverse("accounts:tokens"), {"name": "sync"})
        response = self.client.post(reverse("accounts:tokens"), {"name": "sync"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "errorlist")
        self.assertEqual(ApiToken.objects.filter(user=self.alice).count(), 1)

    def test_it_refuses_a_name_of_only_spaces(self) -> None:
        response = self.client.post(reverse("accounts:tokens"), {"name": "   "})
        self.assertContains(response, "errorlist")
        self.assertFalse(ApiToken.objects.exists())

    def test_it_revokes_a_token(self) -> None:
        token, _raw = do_issue_token(self.alice, "old script")
        response = self.client.post(reverse("accounts:token_revoke", args=[token.pk]))
        self.assertRedirects(response, reverse("accounts:tokens"))
        self.assertFalse(ApiToken.objects.filter(pk=token.pk).exists())

    def test_it_does_not_revoke_someone_elses_token(self) -> None:
        token, _raw = do_issue_token(self.bob, "bob's script")
        response = self.client.post(reverse("accounts:token_revoke", args=[token.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertTrue(ApiToken.objects.filter(pk=token.pk).exists())

    def test_it_lists_only_ones_own_tokens(self) -> None:
        do_issue_token(self.bob, "bob's script")
        response = self.client.get(reverse("accounts:tokens"))
        self.assertNotContains(response, "bob&#x27;s script")
