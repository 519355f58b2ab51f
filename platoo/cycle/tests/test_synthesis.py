"""Syntheses: several verified items drawn into core principles, conditions and failures, each claim resting
on its sources; the synthesis itself enters the cycle, and its sources move on to "synthesized"."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from platoo.accounts.tests.helpers import PASSWORD
from platoo.knowledge.actions import EditConflict, do_delete_item
from platoo.knowledge.models import Kind, KnowledgeItem
from platoo.knowledge.provenance import links_of
from platoo.lib.visibility import Visibility

from ..actions import ClaimData, SynthesisData, do_create_synthesis, do_update_synthesis
from ..models import Claim, ClaimKind, CriticalKnowledge, Stage, Synthesis, Transition
from .flowcast import FlowTestCase, verified_item, write


class SynthesisTestCase(FlowTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.one = verified_item(cls, cls.alice, "การส่งเวรแบบ SBAR ที่หอผู้ป่วยใน")
        cls.two = verified_item(cls, cls.carol, "การส่งเวรข้างเตียงร่วมกับญาติ")
        cls.three = verified_item(cls, cls.gail, "แบบฟอร์มส่งเวรที่ล้มเหลว")

    def data(self, **changes: object) -> SynthesisData:
        values: dict[str, object] = {
            "title": "แก่นความรู้ของการส่งเวร",
            "summary": "สิ่งที่สามหน่วยงานเรียนรู้ร่วมกัน",
            "source_ids": [self.one.pk, self.two.pk, self.three.pk],
            "claims": [
                ClaimData("ใช้โครงสร้างเดียวกันทุกเวร", [self.one.pk, self.two.pk], ClaimKind.PRINCIPLE),
                ClaimData("หัวหน้าเวรต้องอยู่ด้วย", [self.two.pk], ClaimKind.CONDITION),
                ClaimData("แบบฟอร์มยาวเกินไปทำให้ไม่มีใครกรอก", [self.three.pk], ClaimKind.FAILURE),
            ],
        }
        values.update(changes)
        return SynthesisData(**values)  # type: ignore[arg-type]


class CreatingTests(SynthesisTestCase):
    def test_it_creates_the_item_the_synthesis_its_sources_and_claims_in_one_go(self) -> None:
        synthesis = do_create_synthesis(self.expert, self.data())
        item = synthesis.item
        self.assertEqual(item.kind, Kind.NOTE)
        self.assertEqual(item.title, "แก่นความรู้ของการส่งเวร")
        self.assertEqual(
            list(synthesis.sources.values_list("item_id", flat=True)), [self.one.pk, self.two.pk, self.three.pk]
        )
        principle = synthesis.claims.get(kind=ClaimKind.PRINCIPLE)
        self.assertEqual(sorted(principle.sources.values_list("item_id", flat=True)), [self.one.pk, self.two.pk])
        self.assertEqual(synthesis.claims.count(), 3)
        # The body is rendered from the claims, with numbered references and no source titles.
        self.assertIn("ใช้โครงสร้างเดียวกันทุกเวร [1, 2]", item.body)
        self.assertIn("แบบฟอร์มยาวเกินไปทำให้ไม่มีใครกรอก [3]", item.body)
        self.assertNotIn(self.one.title, item.body)
        self.assertEqual(item.revisions.get().data["body"], item.body)
        self.assertEqual(list(item.topics.all()), [self.topic])

    def test_it_enters_the_cycle_as_captured_with_its_sources_topic(self) -> None:
        synthesis = do_create_synthesis(self.expert, self.data())
        critical = CriticalKnowledge.objects.get(item=synthesis.item)
        self.assertEqual(critical.stage, Stage.CAPTURED)
        self.assertEqual(critical.topic, self.topic)
        self.assertEqual(critical.panel, self.panel)
        self.assertEqual(critical.owner, self.delta)

    def test_it_moves_its_sources_on_to_synthesized_naming_the_synthesis(self) -> None:
        synthesis = do_create_synthesis(self.expert, self.data())
        for item in (self.one, self.two, self.three):
            critical = CriticalKnowledge.objects.get(item=item)
            self.assertEqual(critical.stage, Stage.SYNTHESIZED)
            move = Transition.objects.filter(critical=critical).last()
            assert move is not None
            self.assertEqual(
                (move.from_stage, move.to_stage, move.actor), (Stage.VERIFIED, Stage.SYNTHESIZED, self.expert)
            )
            self.assertIn(synthesis.item.title, move.reason)

    def test_it_never_moves_a_source_backwards(self) -> None:
        CriticalKnowledge.objects.filter(item=self.one).update(stage=Stage.STANDARDIZED)
        do_create_synthesis(self.expert, self.data())
        self.assertEqual(CriticalKnowledge.objects.get(item=self.one).stage, Stage.STANDARDIZED)

    def test_the_hub_may_write_one_and_an_ordinary_member_may_not(self) -> None:
        self.assertTrue(do_create_synthesis(self.manager, self.data()).pk)
        with self.assertRaises(PermissionDenied):
            do_create_synthesis(self.bob, self.data(title="อีกชิ้น"))

    def test_a_double_submit_with_the_same_token_makes_one_synthesis(self) -> None:
        first = do_create_synthesis(self.expert, self.data(), idempotency_key="token-1")
        second = do_create_synthesis(self.expert, self.data(), idempotency_key="token-1")
        self.assertEqual(first.pk, second.pk)
        self.assertEqual(Synthesis.objects.count(), 1)
        self.assertEqual(Claim.objects.count(), 3)


class RefusingTests(SynthesisTestCase):
    def refusal(self, data: SynthesisData) -> dict[str, list[str]]:
        before = KnowledgeItem.objects.count()
        with self.assertRaises(ValidationError) as caught:
            do_create_synthesis(self.expert, data)
        self.assertEqual(KnowledgeItem.objects.count(), before)
        self.assertFalse(Synthesis.objects.exists())
        return caught.exception.message_dict

    def test_it_refuses_fewer_than_two_sources(self) -> None:
        errors = self.refusal(self.data(source_ids=[self.one.pk], claims=[ClaimData("ข้อเดียว", [self.one.pk])]))
        self.assertIn("at least 2", errors["sources"][0])

    def test_it_refuses_the_same_source_twice_as_two(self) -> None:
        errors = self.refusal(self.data(source_ids=[self.one.pk, self.one.pk], claims=[ClaimData("ข้อ", [self.one.pk])]))
        self.assertIn("you chose 1", errors["sources"][0])

    def test_it_refuses_a_claim_without_a_source(self) -> None:
        claims = [ClaimData("ใช้โครงสร้างเดียวกัน", [self.one.pk]), ClaimData("ข้อที่ไม่มีที่มา", [])]
        errors = self.refusal(self.data(claims=claims))
        self.assertIn("Statement 2", errors["claims"][0])
        self.assertIn("rests on no source", errors["claims"][0])

    def test_it_refuses_a_claim_citing_an_item_outside_the_sources(self) -> None:
        other = verified_item(self, self.alice, "อีกเรื่อง")
        claims = [ClaimData("ข้อ", [self.one.pk, other.pk])]
        errors = self.refusal(self.data(source_ids=[self.one.pk, self.two.pk], claims=claims))
        self.assertIn(f"#{other.pk}", errors["claims"][0])

    def test_it_refuses_a_synthesis_without_a_core_principle(self) -> None:
        errors = self.refusal(self.data(claims=[ClaimData("เงื่อนไข", [self.one.pk], ClaimKind.CONDITION)]))
        self.assertIn("core principle", errors["claims"][0])

    def test_it_refuses_unverified_sources_saying_where_they_stand(self) -> None:
        draft = write(self.alice, "เรื่องที่ยังไม่ตรวจ", self.topic)
        errors = self.refusal(self.data(source_ids=[self.one.pk, draft.pk], claims=[ClaimData("ข้อ", [self.one.pk])]))
        self.assertIn("not critical knowledge", errors["sources"][0])
        from ..actions import do_mark_critical

        do_mark_critical(self.alice, draft)
        errors = self.refusal(self.data(source_ids=[self.one.pk, draft.pk], claims=[ClaimData("ข้อ", [self.one.pk])]))
        self.assertIn("“Captured”", errors["sources"][0])

    def test_it_refuses_a_source_the_author_cannot_read_without_naming_it(self) -> None:
        secret = verified_item(self, self.alice, "เรื่องภายในหน่วยงาน", visibility=Visibility.ORGANIZATION)
        # The expert (delta) cannot read alpha's organization-only item.
        self.assertFalse(KnowledgeItem.objects.visible_to(self.expert).filter(pk=secret.pk).exists())
        errors = self.refusal(self.data(source_ids=[self.one.pk, secret.pk], claims=[ClaimData("ข้อ", [self.one.pk])]))
        self.assertIn(f"cannot read item #{secret.pk}", errors["sources"][0])
        self.assertNotIn(secret.title, " ".join(errors["sources"]))

    def test_it_refuses_an_empty_title(self) -> None:
        self.assertIn("title", self.refusal(self.data(title="   ")))


class EditingTests(SynthesisTestCase):
    def test_it_changes_claims_and_sources_from_the_version_read(self) -> None:
        synthesis = do_create_synthesis(
            self.expert, self.data(source_ids=[self.one.pk, self.two.pk], claims=[ClaimData("ข้อ", [self.one.pk])])
        )
        version = synthesis.item.version
        changed = self.data(
            claims=[ClaimData("ข้อใหม่", [self.three.pk]), ClaimData("เงื่อนไข", [self.two.pk], ClaimKind.CONDITION)]
        )
        do_update_synthesis(self.expert, synthesis, changed, base_version=version)
        synthesis.refresh_from_db()
        self.assertEqual(synthesis.sources.count(), 3)
        self.assertEqual(sorted(synthesis.claims.values_list("text", flat=True)), ["ข้อใหม่", "เงื่อนไข"])
        self.assertIn("ข้อใหม่ [3]", KnowledgeItem.objects.get(pk=synthesis.pk).body)
        # The source it added moved on too.
        self.assertEqual(CriticalKnowledge.objects.get(item=self.three).stage, Stage.SYNTHESIZED)

    def test_a_stale_edit_is_refused_and_changes_nothing(self) -> None:
        synthesis = do_create_synthesis(self.expert, self.data())
        version = synthesis.item.version
        do_update_synthesis(self.expert, synthesis, self.data(title="ชื่อใหม่"), base_version=version)
        with self.assertRaises(EditConflict):
            do_update_synthesis(
                self.expert,
                synthesis,
                self.data(title="ชื่อเก่ากว่า", claims=[ClaimData("x", [self.one.pk])]),
                base_version=version,
            )
        self.assertEqual(KnowledgeItem.objects.get(pk=synthesis.pk).title, "ชื่อใหม่")
        self.assertEqual(synthesis.claims.count(), 3)

    def test_only_its_authors_may_edit_it(self) -> None:
        synthesis = do_create_synthesis(self.expert, self.data())
        with self.assertRaises(PermissionDenied):
            do_update_synthesis(self.experts[2], synthesis, self.data(), base_version=synthesis.item.version)

    def test_an_edit_may_keep_a_source_that_is_back_in_review(self) -> None:
        synthesis = do_create_synthesis(self.expert, self.data())
        CriticalKnowledge.objects.filter(item=self.one).update(stage=Stage.IN_REVIEW)
        do_update_synthesis(self.expert, synthesis, self.data(summary="ปรับ"), base_version=synthesis.item.version)
        self.assertEqual(synthesis.sources.count(), 3)


class DeletingTests(SynthesisTestCase):
    def test_deleting_an_item_a_synthesis_cites_is_refused(self) -> None:
        do_create_synthesis(self.expert, self.data())
        with self.assertRaises(ValidationError) as caught:
            do_delete_item(self.alice, KnowledgeItem.objects.get(pk=self.one.pk))
        self.assertIn("แก่นความรู้ของการส่งเวร", " ".join(caught.exception.messages))  # it names what cites it
        self.assertTrue(KnowledgeItem.objects.filter(pk=self.one.pk).exists())

    def test_a_synthesis_nobody_cites_can_be_deleted_with_its_claims_and_sources(self) -> None:
        synthesis = do_create_synthesis(self.expert, self.data())
        do_delete_item(self.expert, KnowledgeItem.objects.get(pk=synthesis.pk))
        self.assertFalse(Synthesis.objects.exists())
        self.assertFalse(Claim.objects.exists())
        self.assertTrue(KnowledgeItem.objects.filter(pk=self.one.pk).exists())

    def test_a_synthesis_another_synthesis_draws_on_cannot_be_deleted(self) -> None:
        first = do_create_synthesis(self.expert, self.data())
        CriticalKnowledge.objects.filter(item_id=first.pk).update(stage=Stage.VERIFIED)
        claims = [ClaimData("ต่อยอด", [first.pk, self.one.pk])]
        do_create_synthesis(self.expert, self.data(title="ชั้นที่สอง", source_ids=[first.pk, self.one.pk], claims=claims))
        with self.assertRaises(ValidationError):  # named: what cites it
            do_delete_item(self.expert, KnowledgeItem.objects.get(pk=first.pk))
        # The first one's provenance graph shows the synthesis that draws on it.
        self.client.login(username="bob", password=PASSWORD)
        response = self.client.get(first.get_absolute_url())
        self.assertContains(response, 'class="node node-citing"')
        self.assertContains(response, "ชั้นที่สอง")


class ProvenanceLinkTests(SynthesisTestCase):
    def test_a_source_shows_synthesized_into_and_the_synthesis_draws_on_its_sources(self) -> None:
        synthesis = do_create_synthesis(self.expert, self.data())
        relations = [(link.relation, link.label) for link in links_of(self.bob, self.one)]
        self.assertIn(("Synthesized into", synthesis.item.title), relations)
        drawn = [link.label for link in links_of(self.bob, synthesis.item) if link.relation == "Draws on"]
        self.assertEqual(drawn, [self.one.title, self.two.title, self.three.title])

    def test_a_source_the_reader_cannot_read_is_counted_never_titled(self) -> None:
        secret = verified_item(self, self.gail, "เรื่องภายในของแกมมา", visibility=Visibility.ORGANIZATION)
        synthesis = do_create_synthesis(
            self.admin,
            self.data(source_ids=[self.one.pk, secret.pk], claims=[ClaimData("ข้อ", [self.one.pk, secret.pk])]),
        )
        labels = [link.label for link in links_of(self.bob, synthesis.item)]
        self.assertIn(self.one.title, labels)
        self.assertNotIn(secret.title, labels)
        self.assertIn("1 source you cannot read", labels)


class PageTests(SynthesisTestCase):
    def form(self, **changes: object) -> dict[str, object]:
        post: dict[str, object] = {
            "title": "แก่นความรู้ของการส่งเวร",
            "summary": "",
            "visibility": "network",
            "source": [self.one.pk, self.two.pk],
            "rows": 3,
            "claim-0-kind": "principle",
            "claim-0-text": "ใช้โครงสร้างเดียวกันทุกเวร",
            "claim-0-sources": [self.one.pk, self.two.pk],
            "claim-1-kind": "failure",
            "claim-1-text": "แบบฟอร์มยาวเกินไป",
            "claim-1-sources": [self.two.pk],
            "claim-2-kind": "principle",
            "claim-2-text": "",
            "form_token": "one-time-token",
        }
        post.update(changes)
        return post

    def test_choosing_sources_lists_the_verified_knowledge_the_writer_reads(self) -> None:
        self.client.login(username="ex2", password=PASSWORD)
        draft = write(self.alice, "เรื่องที่ยังไม่ตรวจ", self.topic)
        response = self.client.get(reverse("cycle:synthesis_create"))
        self.assertContains(response, self.one.title)
        self.assertNotContains(response, draft.title)
        response = self.client.get(reverse("cycle:synthesis_create"), {"source": [self.one.pk, self.two.pk]})
        self.assertContains(response, 'name="claim-0-text"')

    def test_an_ordinary_member_may_not_open_the_editor(self) -> None:
        self.client.login(username="bob", password=PASSWORD)
        self.assertEqual(self.client.get(reverse("cycle:synthesis_create")).status_code, 403)

    def test_the_form_saves_once_however_often_it_is_sent(self) -> None:
        self.client.login(username="ex2", password=PASSWORD)
        first = self.client.post(reverse("cycle:synthesis_create"), self.form())
        synthesis = Synthesis.objects.get()
        self.assertRedirects(first, synthesis.get_absolute_url())
        again = self.client.post(reverse("cycle:synthesis_create"), self.form())
        self.assertRedirects(again, synthesis.get_absolute_url())
        self.assertEqual(Synthesis.objects.count(), 1)
        self.assertEqual(sorted(synthesis.claims.values_list("kind", flat=True)), ["failure", "principle"])

    def test_a_claim_without_a_source_is_refused_and_what_was_typed_is_kept(self) -> None:
        self.client.login(username="ex2", password=PASSWORD)
        response = self.client.post(reverse("cycle:synthesis_create"), self.form(**{"claim-1-sources": []}))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "synthesis-errors", status_code=400)
        self.assertContains(response, "แบบฟอร์มยาวเกินไป", status_code=400)
        self.assertFalse(Synthesis.objects.exists())

    def test_a_stale_edit_is_refused_on_the_page_keeping_the_text(self) -> None:
        synthesis = do_create_synthesis(self.expert, self.data())
        self.client.login(username="ex2", password=PASSWORD)
        url = reverse("cycle:synthesis_edit", args=[synthesis.pk])
        self.assertContains(self.client.get(url), "ใช้โครงสร้างเดียวกันทุกเวร")
        stale = self.form(version=synthesis.item.version - 1, title="ชื่อที่พิมพ์ไว้")
        response = self.client.post(url, stale)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "ชื่อที่พิมพ์ไว้", status_code=400)
        self.assertEqual(KnowledgeItem.objects.get(pk=synthesis.pk).title, "แก่นความรู้ของการส่งเวร")

    def test_the_page_groups_claims_by_kind_hides_unreadable_sources_and_draws_the_provenance(self) -> None:
        secret = verified_item(self, self.gail, "เรื่องภายในของแกมมา", visibility=Visibility.ORGANIZATION)
        data = self.data(source_ids=[self.one.pk, self.two.pk, secret.pk])
        data.claims = [*data.claims[:2], ClaimData("ข้อจากเรื่องภายใน", [secret.pk], ClaimKind.FAILURE)]
        synthesis = do_create_synthesis(self.admin, data)
        self.client.login(username="bob", password=PASSWORD)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(synthesis.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertIn("ข้อจากเรื่องภายใน", body)
        self.assertNotIn(secret.title, body)
        self.assertIn("แหล่งที่คุณอ่านไม่ได้", body)  # "a source you cannot read"
        self.assertLess(body.index("claims-principle"), body.index("claims-condition"))
        self.assertLess(body.index("claims-condition"), body.index("claims-failure"))
        self.assertIn('class="cycle-provenance"', body)
        # Session, user; the synthesis, its sources (with their items and organizations), which the reader
        # reads, its claims and their sources; who applied it, the syntheses citing it, the manuals using it,
        # its stage; whether the reader may edit it (authorship) and record an application (permissions twice,
        # their organization, the item readable, its stage); its authors; the unread notifications.
        self.assertEqual(len(queries), 19, [q["sql"][:120] for q in queries])

    def test_the_page_is_a_404_for_who_cannot_read_the_synthesis(self) -> None:
        synthesis = do_create_synthesis(self.expert, self.data(visibility=Visibility.ORGANIZATION))
        self.client.login(username="carol", password=PASSWORD)
        self.assertEqual(self.client.get(synthesis.get_absolute_url()).status_code, 404)
        self.client.login(username="ex3", password=PASSWORD)
        self.assertEqual(self.client.get(synthesis.get_absolute_url()).status_code, 200)

    def test_the_list_names_the_syntheses(self) -> None:
        synthesis = do_create_synthesis(self.expert, self.data())
        self.assertContains(self.client.get(reverse("cycle:syntheses")), "cycle-synthesis-list")
        self.client.login(username="bob", password=PASSWORD)
        self.assertContains(self.client.get(reverse("cycle:syntheses")), synthesis.item.title)


class ApiTests(SynthesisTestCase):
    URL = "/api/v1/cycle/syntheses"

    def body(self) -> dict[str, object]:
        return {
            "title": "แก่นความรู้ของการส่งเวร",
            "sources": [self.one.pk, self.two.pk],
            "claims": [
                {"kind": "principle", "text": "ใช้โครงสร้างเดียวกัน", "sources": [self.one.pk, self.two.pk]},
                {"kind": "failure", "text": "แบบฟอร์มยาว", "sources": [self.two.pk]},
            ],
        }

    def test_an_expert_writes_one_and_a_repeated_request_makes_one(self) -> None:
        self.client.force_login(self.expert)
        headers = {"Idempotency-Key": "api-1"}
        first = self.client.post(self.URL, self.body(), content_type="application/json", headers=headers)
        again = self.client.post(self.URL, self.body(), content_type="application/json", headers=headers)
        self.assertEqual(first.status_code, 201)
        self.assertEqual(first.json()["id"], again.json()["id"])
        self.assertEqual(first.json()["stage"], "captured")
        self.assertEqual(first.json()["claims"][0]["sources"], [1, 2])
        self.assertEqual(Synthesis.objects.count(), 1)

    def test_bad_input_is_a_422_naming_the_field(self) -> None:
        self.client.force_login(self.expert)
        body = self.body() | {"sources": [self.one.pk]}
        response = self.client.post(self.URL, body, content_type="application/json")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["field"], "sources")
        self.client.force_login(self.bob)
        self.assertEqual(self.client.post(self.URL, self.body(), content_type="application/json").status_code, 403)

    def test_a_reader_sees_an_unreadable_source_without_its_title_or_id(self) -> None:
        secret = verified_item(self, self.gail, "เรื่องภายในของแกมมา", visibility=Visibility.ORGANIZATION)
        synthesis = do_create_synthesis(
            self.admin, self.data(source_ids=[self.one.pk, secret.pk], claims=[ClaimData("ข้อ", [secret.pk])])
        )
        self.client.force_login(self.bob)
        found = self.client.get(f"{self.URL}/{synthesis.pk}").json()
        self.assertEqual(
            found["sources"][1], {"number": 2, "readable": False, "item_id": None, "title": None, "url": None}
        )
        self.assertNotIn(secret.title, str(found))
        self.assertEqual(self.client.get(self.URL).json()["count"], 1)
        self.client.logout()
        self.assertEqual(self.client.get(f"{self.URL}/{synthesis.pk}").status_code, 404)
