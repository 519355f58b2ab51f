"""Search behaviour on whichever database the suite runs on (it runs once on SQLite, once on PostgreSQL)."""

import io
import math
from unittest import mock

from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from platoo.accounts.models import User
from platoo.knowledge.actions import ItemData, do_create_item, do_delete_item, do_update_item
from platoo.knowledge.models import Topic
from platoo.lib import thai
from platoo.network.models import Organization
from platoo.search import backends, query, registry
from platoo.search.models import SearchDocument
from platoo.search.query import search


def pks(results: query.SearchResults) -> list[int]:
    return [hit.obj.pk for hit in results.hits]


class SearchBackendTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.org = Organization.objects.create(name_th="กรมส่งเสริมการเรียนรู้", code="dol", sector="government")
        cls.other_org = Organization.objects.create(name_th="บริษัท ตัวอย่าง", code="acme", sector="private")
        cls.author = User.objects.create_user(
            "somchai", "somchai@example.org", password="pw-somchai-42", organization=cls.org
        )
        cls.colleague = User.objects.create_user(
            "malee", "malee@example.org", password="pw-malee-42", organization=cls.org
        )
        cls.outsider = User.objects.create_user(
            "john", "john@example.org", password="pw-john-42", organization=cls.other_org
        )
        cls.topic = Topic.objects.create(slug="change", name_th="การจัดการการเปลี่ยนแปลง", name_en="Leading change")
        with cls.captureOnCommitCallbacks(execute=True):
            cls.budget = cls.item(
                "การจัดสรรงบประมาณแผ่นดินประจำปี",
                "รัฐบาลเสนอร่างพระราชบัญญัติงบประมาณแผ่นดินต่อสภาเพื่อพิจารณาในวาระแรก",
                kind="lesson",
                tag_names=["การคลัง"],
                topic_ids=[cls.topic.pk],
            )
            cls.cop = cls.item(
                "ชุมชนแนวปฏิบัติของครูวิทยาศาสตร์",
                "ทุกเดือนคุณอำนวยชวนสมาชิกมาถอดบทเรียนจากห้องเรียนจริงแล้วบันทึกลงคลังความรู้",
                kind="story",
            )
            cls.digits = cls.item("รายงานประจำปี ๒๕๖๘", "ผลการดำเนินงานปีงบประมาณ ๒๕๖๘ สรุปเป็นตัวเลข", kind="note")
            cls.english = cls.item(
                "Knowledge management at the district office",
                "Managing tacit knowledge needs trust; the team manages a shared library.",
                kind="practice",
            )
            cls.water = cls.item("น้ำท่วมภาคเหนือ", "บทเรียนจากการรับมือน้ำท่วมของชุมชนริมแม่น้ำ", kind="lesson")
            cls.network_only = cls.item("เครือข่ายเกษตรอินทรีย์", "การตลาดผักอินทรีย์", visibility="network")
            cls.org_only = cls.item("ความลับงบประมาณของกรม", "ตัวเลขภายใน", visibility="organization")
            cls.private = cls.item("ร่างบันทึกส่วนตัว งบประมาณ", "ยังไม่เสร็จ", visibility="private")

    @classmethod
    def item(cls, title: str, body: str, visibility: str = "public", **fields: object):  # type: ignore[no-untyped-def]
        return do_create_item(cls.author, ItemData(title=title, body=body, visibility=visibility, **fields))  # type: ignore[arg-type]

    def test_it_finds_a_thai_word_in_the_middle_of_a_sentence(self) -> None:
        results = search(None, "พระราชบัญญัติ")
        self.assertEqual(pks(results), [self.budget.pk])
        self.assertIn("<mark>พระราชบัญญัติ</mark>", results.hits[0].snippet_html)

    def test_it_finds_a_word_inside_a_compound(self) -> None:
        # ICU cuts งบประมาณแผ่นดิน differently in different sentences; the substring index finds it anyway.
        results = search(None, "งบประมาณ")
        self.assertCountEqual(pks(results), [self.budget.pk, self.digits.pk])
        self.assertIn("<mark>งบประมาณ</mark>แผ่นดิน", results.hits[0].title_html + results.hits[1].title_html)

    def test_it_finds_domain_words_and_ranks_the_passage_using_them_first(self) -> None:
        for word in ["ชุมชนแนวปฏิบัติ", "คุณอำนวย", "ถอดบทเรียน", "คลังความรู้"]:
            with self.subTest(word=word):
                self.assertEqual(pks(search(None, word))[:1], [self.cop.pk])
        self.assertIn("ถอดบทเรียน", thai.tokens(thai.fold("มาถอดบทเรียนกัน")))

    def test_it_matches_thai_digits_with_arabic_digits_both_ways(self) -> None:
        self.assertEqual(pks(search(None, "2568")), [self.digits.pk])
        self.assertEqual(pks(search(None, "๒๕๖๘")), [self.digits.pk])
        self.assertIn("<mark>๒๕๖๘</mark>", search(None, "2568").hits[0].title_html)

    def test_it_ignores_zero_width_characters_and_mark_order(self) -> None:
        self.assertEqual(pks(search(None, "พระราช\u200bบัญญัติ")), [self.budget.pk])
        self.assertEqual(thai.fold("น\u0e49\u0e33"), thai.fold("น\u0e4d\u0e49\u0e32"))  # tone then nikhahit + aa
        self.assertEqual(thai.fold("ท\u0e48\u0e35"), thai.fold("ท\u0e35\u0e48"))  # tone typed before the vowel
        self.assertEqual(thai.fold("ท\u0e35\u0e35\u0e48"), "ท\u0e35\u0e48")  # doubled vowel
        self.assertEqual(thai.fold("เเม่"), "แม่")
        misordered = "น\u0e33\u0e49ท\u0e48วม"  # sara am before the tone mark, tone before vowel
        self.assertEqual(pks(search(None, misordered))[:1], [self.water.pk])

    def test_it_stems_and_prefix_matches_english(self) -> None:
        for q in ["manage", "MANAGING", "knowledge managers", "librar"]:
            with self.subTest(q=q):
                self.assertEqual(pks(search(None, q)), [self.english.pk])
        self.assertIn("<mark>Managing</mark>", search(None, "managed").hits[0].snippet_html)

    def test_it_answers_a_natural_language_question_with_or_semantics(self) -> None:
        results = search(None, "ชุมชนริมแม่น้ำรับมือน้ำท่วมอย่างไร")
        self.assertEqual(pks(results)[:1], [self.water.pk])

    def test_it_applies_filters(self) -> None:
        self.assertEqual(pks(search(None, "งบประมาณ", params={"kind": "lesson"})), [self.budget.pk])
        self.assertEqual(pks(search(None, "งบประมาณ", params={"topic": "change"})), [self.budget.pk])
        self.assertEqual(pks(search(None, "งบประมาณ", params={"tag": "การคลัง"})), [self.budget.pk])
        self.assertEqual(len(pks(search(None, "งบประมาณ", params={"org": "dol"}))), 2)
        this_year = self.budget.created_at.year
        for year in (this_year, this_year + 543):
            self.assertEqual(len(pks(search(None, "งบประมาณ", params={"year": str(year)}))), 2)
        self.assertEqual(search(None, "งบประมาณ", params={"year": str(this_year - 3)}).total, 0)
        self.assertEqual(search(None, "งบประมาณ", params={"topic": "no-such-topic"}).total, 0)

    def test_it_never_shows_items_the_searcher_may_not_read_not_even_in_counts(self) -> None:
        anonymous = search(None, "งบประมาณ")
        self.assertNotIn(self.private.pk, pks(anonymous))
        self.assertNotIn(self.org_only.pk, pks(anonymous))
        self.assertEqual((anonymous.total, anonymous.counts["knowledge"]), (2, 2))
        self.assertEqual(search(None, "เกษตรอินทรีย์").total, 0)
        self.assertEqual(pks(search(self.outsider, "เกษตรอินทรีย์")), [self.network_only.pk])
        outsider = search(self.outsider, "งบประมาณ")
        self.assertEqual((outsider.total, sorted(pks(outsider))), (2, sorted([self.budget.pk, self.digits.pk])))
        colleague = search(self.colleague, "งบประมาณ")
        self.assertEqual((colleague.total, colleague.counts["knowledge"]), (3, 3))
        self.assertIn(self.org_only.pk, pks(colleague))
        self.assertEqual(search(self.author, "งบประมาณ").total, 4)

    def test_audiences_and_grants_admit_exactly_what_the_permission_doorway_admits(self) -> None:
        """Unfiltered search admits documents of the audiences a searcher holds, and the objects granted to
        them alone, instead of asking visible() row by row: the two must say the same."""
        inactive = User.objects.create_user("gone", "gone@example.org", password="pw-gone-42", is_active=False)
        staff = User.objects.create_superuser("root", "root@example.org", password="pw-root-42")
        with self.captureOnCommitCallbacks(execute=True):
            self.org_only.authors.add(self.outsider)
        documents = list(SearchDocument.objects.all())
        self.assertEqual({d.audience for d in documents}, {"public", "network", f"organization:{self.org.pk}", ""})
        for user in (None, self.author, self.colleague, self.outsider, inactive, staff):
            for label, adapter in registry.adapters().items():
                visible = set(adapter.visible(user).values_list("pk", flat=True))
                held = set(adapter.audiences(user))
                granted = adapter.granted(user)
                admitted = {d.object_id for d in documents if d.label == label and d.audience in held}
                admitted |= set(granted.values_list("pk", flat=True)) if granted is not None else set()
                indexed = {d.object_id for d in documents if d.label == label}
                with self.subTest(user=user, label=label):
                    self.assertEqual(admitted & indexed, visible & indexed)

    def test_a_coauthor_outside_the_organization_finds_its_organization_only_item(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.org_only.authors.add(self.outsider)
        self.assertIn(self.org_only.pk, pks(search(self.outsider, "งบประมาณ")))

    def test_it_follows_create_edit_visibility_change_and_delete(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            item = self.item("ตลาดนัดความรู้ครั้งแรก", "สมาชิกแลกเปลี่ยนกัน")
        self.assertEqual(pks(search(None, "ตลาดนัด")), [item.pk])
        data = ItemData(title="ตลาดนัดความรู้ครั้งที่สอง", body="วงสนทนาเรื่องปลาทู", visibility="public")
        with self.captureOnCommitCallbacks(execute=True):
            item = do_update_item(self.author, item, data, base_version=item.version)
        self.assertEqual(pks(search(None, "ปลาทู")), [item.pk])
        self.assertEqual(search(None, "แลกเปลี่ยน").total, 0)
        data.visibility = "private"
        with self.captureOnCommitCallbacks(execute=True):
            item = do_update_item(self.author, item, data, base_version=item.version)
        self.assertEqual(search(None, "ปลาทู").total, 0)
        self.assertEqual(pks(search(self.author, "ปลาทู")), [item.pk])
        with self.captureOnCommitCallbacks(execute=True):
            do_delete_item(self.author, item)
        self.assertEqual(search(self.author, "ปลาทู").total, 0)
        self.assertFalse(SearchDocument.objects.filter(label="knowledge", object_id=item.pk).exists())

    def test_it_leaves_the_index_alone_when_a_save_rolls_back(self) -> None:
        with (
            self.captureOnCommitCallbacks(execute=True),
            self.assertRaises(ValueError),
            mock.patch("platoo.knowledge.actions._record_revision", side_effect=ValueError),
        ):
            self.item("ห้ามปรากฏในดัชนี", "ข้อความ")
        self.assertEqual(search(self.author, "ห้ามปรากฏ").total, 0)

    def test_it_rebuilds_the_index_with_the_command(self) -> None:
        SearchDocument.objects.all().delete()
        backends.backend().clear()
        self.assertEqual(search(None, "งบประมาณ").total, 0)
        out = io.StringIO()
        call_command("rebuild_index", "--batch-size", "3", stdout=out, stderr=out)
        self.assertEqual(search(None, "งบประมาณ").total, 2)
        self.assertEqual(SearchDocument.objects.filter(label="knowledge").count(), 8)

    def test_it_answers_bad_queries_sanely(self) -> None:
        punctuation = search(None, "!!! ??? ... ---")
        self.assertEqual((punctuation.total, punctuation.hits), (0, []))
        self.assertTrue(punctuation.message)
        self.assertTrue(search(None, "   ").message)
        long = search(None, "งบประมาณ " * 600)
        self.assertEqual(long.total, 2)
        self.assertLessEqual(len(long.query), query.MAX_QUERY_LENGTH)
        for q in ['"', "AND OR NOT", "งบ* NEAR(a b)", "title:x", "'; DROP TABLE x; --", "a\\", "%_%", "^ - + ( ) { }"]:
            with self.subTest(q=q):
                self.assertLessEqual(set(pks(search(None, q))), {self.english.pk, self.budget.pk, self.digits.pk})
        self.assertEqual(search(None, "งบประมาณ", offset=-5, limit=10_000).total, 2)

    def test_it_escapes_html_in_titles_and_snippets(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            self.item("<script>alert(1)</script> สคริปต์", "<img src=x onerror=alert(1)> สคริปต์")
        hit = search(None, "สคริปต์").hits[0]
        self.assertNotIn("<script>", hit.title_html)
        self.assertIn("&lt;script&gt;", hit.title_html)
        self.assertNotIn("<img", hit.snippet_html)

    def test_it_pages_and_counts(self) -> None:
        first = search(self.author, "งบประมาณ", limit=2)
        second = search(self.author, "งบประมาณ", offset=2, limit=2)
        self.assertEqual((first.total, len(first.hits), len(second.hits)), (4, 2, 2))
        self.assertFalse(set(pks(first)) & set(pks(second)))
        self.assertEqual(search(self.author, "งบประมาณ", types=["person"]).total, 0)

    RANKED_QUERY = "งบประมาณแผ่นดิน ปี 2568 คุณอำนวย"

    def test_it_ranks_exactly_by_the_reference_bm25(self) -> None:
        """The backend's scores equal FTS5's BM25 formula computed here in Python; since the suite runs
        on both databases, both backends rank the same corpus in the same order with the same scores."""
        lookups = self.assert_ranks_by_reference_bm25(self.RANKED_QUERY)
        self.assertTrue(lookups.terms and lookups.runs and lookups.pairs)
        self.assertFalse(lookups.common)

    def test_common_words_count_only_where_a_rarer_word_is_found(self) -> None:
        with mock.patch.multiple(query, COMMON_TERM_SHARE=0.25, COMMON_TERM_MIN_DOCUMENTS=0):
            lookups = self.assert_ranks_by_reference_bm25(self.RANKED_QUERY)
        self.assertTrue(lookups.terms and lookups.common and self.confined_words)

    def test_common_words_alone_are_scored_where_all_are_found(self) -> None:
        with mock.patch.multiple(query, COMMON_TERM_SHARE=0, COMMON_TERM_MIN_DOCUMENTS=0):
            lookups = self.assert_ranks_by_reference_bm25(self.RANKED_QUERY)
        self.assertTrue(lookups.common and self.confined_words)
        self.assertFalse(lookups.terms)

    def assert_ranks_by_reference_bm25(self, q: str) -> backends.Lookups:
        self.confined_words = 0  # documents holding a common word that is not scored there
        results = search(self.author, q)
        parsed = query.parse(q)
        engine = backends.backend()
        lookups = query._weighted(parsed, engine.stats(parsed.terms, parsed.runs, parsed.pairs))
        docs = list(SearchDocument.objects.filter(label="knowledge"))
        prepared = {
            d.object_id: backends.Prepared.from_entry(backends.IndexEntry(d.title, d.keywords, d.body, d.url))
            for d in docs
        }
        n = len(prepared)
        avgdl = sum(p.length for p in prepared.values()) / n
        expected = {}
        for pk, p in prepared.items():
            score = 0.0
            words = {*p.title, *p.keywords, *p.body}
            scored = any(t in words for t in lookups.terms) if lookups.terms else set(lookups.common) <= words
            self.confined_words += not scored and any(t in words for t in lookups.common)
            for term in lookups.words if scored else []:
                df = sum(term in (*o.title, *o.keywords, *o.body) for o in prepared.values())
                tf = sum(
                    w * f.count(term) for w, f in zip(backends.WEIGHTS, (p.title, p.keywords, p.body), strict=True)
                )
                score += (
                    backends.idf(df, n)
                    * tf
                    * (backends.K1 + 1)
                    / (tf + backends.K1 * (1 - backends.B + backends.B * p.length / avgdl))
                )
            score += sum(bonus for run, bonus in lookups.runs if run in p.text)
            score += sum(bonus for pair, bonus in lookups.pairs if pair in p.pairs)
            if score > 0:
                expected[pk] = score
        self.assertEqual(pks(results), sorted(expected, key=lambda pk: -expected[pk]))
        for hit in results.hits:
            self.assertTrue(math.isclose(hit.score, expected[hit.obj.pk], rel_tol=1e-6), (hit.obj, connection.vendor))
        return lookups
