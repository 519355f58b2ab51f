import re

from django.core import mail
from django.test import Client

from platoo.activity.actions import preferences_for
from platoo.activity.delivery import unsubscribe_token
from platoo.activity.models import DeliveryPreference, EmailMode

from .base import ActivityTestCase


def mode_of(user_pk: int) -> str:
    return DeliveryPreference.objects.get(pk=user_pk).email_mode


class UnsubscribeTests(ActivityTestCase):
    def link_from_email(self) -> str:
        self.notify_one(self.bob)
        header = mail.outbox[-1].message()["List-Unsubscribe"]
        match = re.fullmatch(r"<https?://[^/]+(/notifications/unsubscribe/[^>]+/)>", header)
        assert match is not None, header
        self.assertIn(match.group(1), mail.outbox[-1].body)
        return match.group(1)

    def test_the_emailed_link_asks_first_then_turns_email_off_without_signing_in(self) -> None:
        url = self.link_from_email()
        response = self.client.get(url)
        self.assertContains(response, "หยุดรับอีเมลแจ้งเตือนหรือไม่")
        self.assertContains(response, '<form method="post">')
        self.assertEqual(preferences_for(self.bob).email_mode, EmailMode.IMMEDIATE)  # a GET changes nothing
        response = self.client.post(url)
        self.assertContains(response, "จะไม่ได้รับอีเมลแจ้งเตือนอีก")
        self.assertEqual(mode_of(self.bob.pk), EmailMode.OFF)
        self.client.post(url)  # twice is harmless
        self.assertEqual(mode_of(self.bob.pk), EmailMode.OFF)
        self.notify_one(self.bob)
        self.assertEqual(len(mail.outbox), 1)  # no email after unsubscribing

    def test_a_mail_clients_one_click_post_works_without_a_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        url = f"/notifications/unsubscribe/{unsubscribe_token(self.carol)}/"
        response = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(mode_of(self.carol.pk), EmailMode.OFF)

    def test_a_tampered_or_foreign_token_is_refused_with_a_clear_message(self) -> None:
        good = unsubscribe_token(self.bob)
        pk, _, signature = good.partition(":")
        for token in (f"{self.carol.pk}:{signature}", good[:-2], "nonsense", f"{pk}:"):
            for method in (self.client.get, self.client.post):
                response = method(f"/notifications/unsubscribe/{token}/")
                self.assertContains(response, "ลิงก์ยกเลิกรับอีเมลนี้ไม่ถูกต้อง", status_code=400)
        self.assertFalse(DeliveryPreference.objects.exists())

    def test_the_token_of_one_person_cannot_reach_another(self) -> None:
        self.assertNotEqual(unsubscribe_token(self.bob), unsubscribe_token(self.carol))
        self.client.post(f"/notifications/unsubscribe/{unsubscribe_token(self.bob)}/")
        self.assertEqual(mode_of(self.bob.pk), EmailMode.OFF)
        self.assertFalse(DeliveryPreference.objects.filter(pk=self.carol.pk).exists())
