from django.urls import reverse

from platoo.activity.actions import do_follow, do_set_preferences
from platoo.activity.models import Activity, EmailMode

from .base import ActivityTestCase, write_item


class AdminTests(ActivityTestCase):
    def test_it_lists_searches_and_opens_every_model(self) -> None:
        do_follow(self.bob, f"person:{self.alice.pk}")
        do_set_preferences(self.bob, email_mode=EmailMode.WEEKLY, language="en")
        write_item(self.alice, "ในแอดมิน")
        self.notify_one(self.bob, title="ในแอดมิน")
        self.client.force_login(self.admin)
        for name in ("follow", "activity", "notification", "deliverypreference"):
            response = self.client.get(reverse(f"admin:activity_{name}_changelist") + "?q=bob")
            self.assertEqual(response.status_code, 200, name)
        activity = Activity.objects.get(title="ในแอดมิน")
        response = self.client.get(reverse("admin:activity_activity_change", args=[activity.pk]))
        self.assertContains(response, f"person:{self.alice.pk}")  # its subjects, inline
