"""Applications: a member organization records that it applied verified knowledge; another organization's
application moves the item on to "applied" and tells its authors."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from platoo.accounts.tests.helpers import PASSWORD
from platoo.activity.models import Notification, NotificationKind
from platoo.knowledge.actions import do_delete_item
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.visibility import Visibility
from platoo.network.models import MembershipStatus, Organization

from ..actions import ApplicationData, do_mark_critical, do_record_application
from ..models import Application, ApplicationResult, CriticalKnowledge, Stage, Transition
from .flowcast import FlowTestCase, verified_item, write


class ApplicationTestCase(FlowTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # alice (alpha) wrote it; alpha owns it.
        cls.item = verified_item(cls, cls.alice, "การส่งเวรแบบ SBAR")
        written = timezone.now() - datetime.timedelta(days=60)
        KnowledgeItem.objects.filter(pk=cls.item.pk).update(created_at=written)
        cls.item.refresh_from_db()

    def data(self, **changes: object) -> ApplicationData:
        values: dict[str, object] = {
            "item_id": self.item.pk,
            "applied_on": timezone.localdate() - datetime.timedelta(days=1),
            "where": "หอผู้ป่วยศัลยกรรม",
            "result": ApplicationResult.WORKED,
            "adaptation": "ใช้แบบฟอร์มสั้นลง",
            "evidence": "อุบัติการณ์ลดลงร้อยละ 30",
        }
        values.update(changes)
        return ApplicationData(**values)  # type: ignore[arg-type]


class RecordingTests(ApplicationTestCase):
    def test_another_organization_applying_it_moves_it_to_applied_and_tells_the_authors(self) -> None:
        application = do_record_application(self.carol, self.data())
        self.assertEqual((application.organization, application.learned_from), (self.beta, self.alpha))
        critical = CriticalKnowledge.objects.get(item=self.item)
        self.assertEqual(critical.stage, Stage.APPLIED)
        move = Transition.objects.filter(critical=critical).last()
        assert move is not None
        self.assertIn(self.beta.name_th, move.reason)
        self.assertIn("หอผู้ป่วยศัลยกรรม", move.reason)
        told = Notification.objects.get(recipient=self.alice, kind=NotificationKind.APPLIED)
        self.assertEqual((told.actor, told.title), (self.carol, self.item.title))
        self.assertEqual(told.url, f"/cycle/applications/of/{self.item.pk}/")

    def test_its_own_organization_applying_it_is_recorded_but_is_not_flow(self) -> None:
        application = do_record_application(self.bob, self.data())
        self.assertEqual((application.organization, application.learned_from), (self.alpha, self.alpha))
        self.assertEqual(CriticalKnowledge.objects.get(item=self.item).stage, Stage.VERIFIED)
        self.assertFalse(Notification.objects.filter(kind=NotificationKind.APPLIED).exists())

    def test_the_hub_records_on_behalf_of_a_member_organization(self) -> None:
        application = do_record_application(self.manager, self.data(organization_id=self.gamma.pk))
        self.assertEqual(application.organization, self.gamma)
        self.assertEqual(application.recorded_by, self.manager)

    def test_a_person_records_for_their_own_organization_only(self) -> None:
        with self.assertRaises(PermissionDenied):
            do_record_application(self.carol, self.data(organization_id=self.gamma.pk))
        self.assertFalse(Application.objects.exists())

    def test_someone_of_no_member_organization_may_not(self) -> None:
        with self.assertRaises(PermissionDenied):
            do_record_application(self.dave, self.data())
        Organization.objects.filter(pk=self.beta.pk).update(status=MembershipStatus.SUSPENDED)
        with self.assertRaises(PermissionDenied):
            do_record_application(self.carol, self.data())

    def test_a_double_submit_with_the_same_token_records_once(self) -> None:
        first = do_record_application(self.carol, self.data(), idempotency_key="form-7")
        second = do_record_application(self.carol, self.data(), idempotency_key="form-7")
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(Application.objects.count(), 1)
        self.assertEqual(Notification.objects.filter(kind=NotificationKind.APPLIED).count(), 1)

    def test_it_never_moves_standardized_knowledge_back(self) -> None:
        CriticalKnowledge.objects.filter(item=self.item).update(stage=Stage.STANDARDIZED)
        do_record_application(self.carol, self.data())
        self.assertEqual(CriticalKnowledge.objects.get(item=self.item).stage, Stage.STANDARDIZED)


class RefusingTests(ApplicationTestCase):
    def refusal(self, data: ApplicationData) -> dict[str, list[str]]:
        with self.assertRaises(ValidationError) as caught:
            do_record_application(self.carol, data)
        self.assertFalse(Application.objects.exists())
        return caught.exception.message_dict

    def test_it_refuses_a_date_in_the_future(self) -> None:
        errors = self.refusal(self.data(applied_on=timezone.localdate() + datetime.timedelta(days=1)))
        self.assertIn("cannot be in the future", errors["applied_on"][0])

    def test_it_refuses_a_date_before_the_knowledge_was_written(self) -> None:
        errors = self.refusal(
            self.data(applied_on=timezone.localdate(self.item.created_at) - datetime.timedelta(days=3))
        )
        self.assertIn("cannot have been applied before that", errors["applied_on"][0])

    def test_today_is_allowed(self) -> None:
        self.assertTrue(do_record_application(self.carol, self.data(applied_on=timezone.localdate())).pk)

    def test_it_refuses_knowledge_that_is_not_critical_or_not_verified_saying_why(self) -> None:
        plain = write(self.alice, "เรื่องเล่าธรรมดา")
        errors = self.refusal(self.data(item_id=plain.pk))
        self.assertIn("not critical knowledge", errors["item"][0])
        do_mark_critical(self.alice, plain)
        errors = self.refusal(self.data(item_id=plain.pk))
        self.assertIn("“Captured”", errors["item"][0])

    def test_it_refuses_an_item_the_recorder_cannot_read(self) -> None:
        secret = verified_item(self, self.alice, "เรื่องภายใน", visibility=Visibility.ORGANIZATION)
        with self.assertRaises(PermissionDenied):
            do_record_application(self.carol, self.data(item_id=secret.pk))

    def test_it_wants_where_and_a_result(self) -> None:
        errors = self.refusal(self.data(where="  ", result="great"))
        self.assertEqual(set(errors), {"where", "result"})


class DeletingTests(ApplicationTestCase):
    def test_deleting_an_item_an_application_cites_is_refused(self) -> None:
        do_record_application(self.carol, self.data())
        with self.assertRaises(ValidationError):  # named: what cites it
            do_delete_item(self.alice, KnowledgeItem.objects.get(pk=self.item.pk))
        self.assertTrue(KnowledgeItem.objects.filter(pk=self.item.pk).exists())


class PageTests(ApplicationTestCase):
    def post(self, **changes: object) -> dict[str, object]:
        values: dict[str, object] = {
            "item": self.item.pk,
            "organization": self.beta.pk,
            "applied_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
            "where": "หอผู้ป่วยใน",
            "result": "worked",
            "form_token": "tok-1",
        }
        values.update(changes)
        return values

    def test_the_form_records_once_however_often_it_is_sent(self) -> None:
        self.client.login(username="carol", password=PASSWORD)
        url = reverse("cycle:application_create") + f"?item={self.item.pk}"
        self.assertContains(self.client.get(url), 'name="where"')
        target = reverse("cycle:item_applications", args=[self.item.pk])
        self.assertRedirects(self.client.post(url, self.post()), target)
        self.assertRedirects(self.client.post(url, self.post()), target)
        self.assertEqual(Application.objects.count(), 1)
        page = self.client.get(target)
        self.assertContains(page, "หอผู้ป่วยใน")
        self.assertContains(page, self.beta.name_th)

    def test_a_date_typed_in_the_buddhist_era_is_read_as_such(self) -> None:
        self.client.login(username="carol", password=PASSWORD)
        day = timezone.localdate() - datetime.timedelta(days=2)
        url = reverse("cycle:application_create") + f"?item={self.item.pk}"
        self.client.post(url, self.post(applied_on=day.replace(year=day.year + 543).isoformat()))
        self.assertEqual(Application.objects.get().applied_on, day)

    def test_a_future_date_is_refused_on_the_page_keeping_what_was_typed(self) -> None:
        self.client.login(username="carol", password=PASSWORD)
        url = reverse("cycle:application_create") + f"?item={self.item.pk}"
        future = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
        response = self.client.post(url, self.post(applied_on=future, where="ห้องฉุกเฉิน"))
        self.assertContains(response, "application-errors", status_code=400)
        self.assertContains(response, "ห้องฉุกเฉิน", status_code=400)
        self.assertFalse(Application.objects.exists())

    def test_unverified_knowledge_is_refused_with_the_reason(self) -> None:
        plain = write(self.alice, "เรื่องเล่าธรรมดา")
        self.client.login(username="carol", password=PASSWORD)
        response = self.client.get(reverse("cycle:application_create") + f"?item={plain.pk}")
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "message error", status_code=403)

    def test_the_applied_by_page_says_its_own_organization_is_not_flow(self) -> None:
        do_record_application(self.bob, self.data())
        do_record_application(self.carol, self.data())
        self.assertEqual(self.client.get(reverse("cycle:item_applications", args=[self.item.pk])).status_code, 404)
        self.client.login(username="gail", password=PASSWORD)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("cycle:item_applications", args=[self.item.pk]))
        self.assertEqual(response.context["flow_count"], 1)
        self.assertEqual(len(response.context["applications"]), 2)
        self.assertContains(response, "cycle-application-table")
        # Session, user, the item, its applications (counted, the page, the flow and its organizations), whether
        # gail may record one (permissions twice, her organization, the item readable, its stage), notifications.
        self.assertEqual(len(queries), 13, [q["sql"][:100] for q in queries])


class ApiTests(ApplicationTestCase):
    URL = "/api/v1/cycle/applications"

    def body(self, **changes: object) -> dict[str, object]:
        values: dict[str, object] = {
            "item": self.item.pk,
            "applied_on": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
            "where": "หอผู้ป่วยใน",
            "result": "partly",
        }
        values.update(changes)
        return values

    def test_a_member_records_one_once_and_lists_it(self) -> None:
        self.client.force_login(self.carol)
        headers = {"Idempotency-Key": "a-1"}
        first = self.client.post(self.URL, self.body(), content_type="application/json", headers=headers)
        again = self.client.post(self.URL, self.body(), content_type="application/json", headers=headers)
        self.assertEqual(first.status_code, 201)
        self.assertEqual(first.json()["id"], again.json()["id"])
        self.assertTrue(first.json()["between_organizations"])
        self.assertEqual(first.json()["learned_from"]["code"], "alpha")
        listed = self.client.get(self.URL, {"learned_from": "alpha"}).json()
        self.assertEqual(listed["count"], 1)
        self.assertEqual(self.client.get(self.URL, {"organization": "gamma"}).json()["count"], 0)

    def test_a_future_date_is_a_422_on_applied_on(self) -> None:
        self.client.force_login(self.carol)
        future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
        response = self.client.post(self.URL, self.body(applied_on=future), content_type="application/json")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], "applied_on")

    def test_visitors_list_nothing_of_network_knowledge(self) -> None:
        do_record_application(self.carol, self.data())
        self.assertEqual(self.client.get(self.URL).json()["count"], 0)
