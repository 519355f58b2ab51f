"""Who knows what: evidence of expertise, the people directory, profiles and the people API, with the
work of the communities in them (WorkTestCase describes the cast)."""

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from platoo.accounts.evidence import EvidenceKind, by_topic, evidence_for, evidence_for_members, shown_topics
from platoo.accounts.models import User
from platoo.accounts.roles import roles_of
from platoo.accounts.tests.helpers import make_person
from platoo.communities import actions
from platoo.knowledge.actions import ItemData, do_update_item
from platoo.network.actions import do_apply_for_membership
from platoo.network.models import Organization
from platoo.search.query import search

from .test_search import update
from .work import WorkTestCase, make_meeting, present, write

PEOPLE = "/api/v1/people"


def titles(pieces: list) -> list[str]:  # type: ignore[type-arg]
    return sorted(piece.label or piece.title for piece in pieces)


class EvidenceTests(WorkTestCase):
    def test_it_lists_what_people_wrote_and_presented_that_the_viewer_may_read(self) -> None:
        people = [self.alice.pk, self.bob.pk, self.carol.pk, self.dave.pk, self.erin.pk]
        seen_by_carol = evidence_for(people, self.carol)  # beta, in no community
        self.assertEqual(titles(seen_by_carol[self.alice.pk]), ["คู่มือสร้างฝายชะลอน้ำ"])  # not alpha's memo
        self.assertEqual(titles(seen_by_carol[self.bob.pk]), ["การเก็บน้ำฝนในโรงเรียน"])
        self.assertEqual(seen_by_carol[self.dave.pk], [])  # presented in the secret CoP only
        # A meeting still to come and a cancelled one show nothing.
        self.assertEqual(titles(seen_by_carol[self.carol.pk]), ["ถอดบทเรียนอาสาสมัครสาธารณสุข"])
        self.assertEqual(seen_by_carol[self.erin.pk], [])

        seen_by_bob = evidence_for(people, self.bob)  # alpha, like alice
        self.assertEqual(titles(seen_by_bob[self.alice.pk]), ["คู่มือสร้างฝายชะลอน้ำ", "บันทึกภายในเรื่องยุงลาย"])
        self.assertEqual(seen_by_bob[self.dave.pk], [])
        seen_by_alice = evidence_for(people, self.alice)  # a member of the secret CoP
        self.assertEqual(titles(seen_by_alice[self.dave.pk]), ["แผนรับมือโรคไข้เลือดออก"])
        self.assertEqual(titles(evidence_for(people, self.admin)[self.dave.pk]), ["แผนรับมือโรคไข้เลือดออก"])

    def test_a_presentation_names_the_meeting_the_agenda_point_and_the_community_topics(self) -> None:
        [piece] = evidence_for([self.bob.pk], self.carol)[self.bob.pk]
        self.assertEqual(piece.kind, EvidenceKind.PRESENTED)
        self.assertEqual((piece.title, piece.label), ("เวทีแลกเปลี่ยนเรื่องน้ำ", "การเก็บน้ำฝนในโรงเรียน"))
        self.assertEqual([t.slug for t in piece.topics], ["water"])
        self.assertEqual(piece.url, self.forum.get_absolute_url())
        self.assertEqual(piece.date, self.forum.starts_at)
        [written] = evidence_for([self.alice.pk], self.carol)[self.alice.pk]
        self.assertEqual((written.kind, written.url), (EvidenceKind.WROTE, self.weir_guide.get_absolute_url()))

    def test_anonymous_viewers_see_public_work_only(self) -> None:
        seen = evidence_for([self.alice.pk, self.bob.pk, self.carol.pk], AnonymousUser())
        self.assertEqual((seen[self.alice.pk], seen[self.bob.pk]), ([], []))
        self.assertEqual(titles(seen[self.carol.pk]), ["ถอดบทเรียนอาสาสมัครสาธารณสุข"])

    def test_what_every_member_reads_leaves_out_organization_and_closed_work(self) -> None:
        closed_meeting = make_meeting(self.closed, "ประชุมกลุ่มปิด")
        present(closed_meeting, self.alice, "เรื่องเฉพาะสมาชิก")
        shown = evidence_for_members([self.alice.pk, self.bob.pk, self.dave.pk])
        self.assertEqual(titles(shown[self.alice.pk]), ["คู่มือสร้างฝายชะลอน้ำ"])
        self.assertEqual(titles(shown[self.bob.pk]), ["การเก็บน้ำฝนในโรงเรียน"])
        self.assertEqual(shown[self.dave.pk], [])

    def test_it_groups_evidence_by_topic_most_evidenced_first_newest_first(self) -> None:
        later = write(self.alice, "ฝายรุ่นที่สอง", [self.irrigation, self.health])
        pieces = evidence_for([self.alice.pk], self.bob)[self.alice.pk]
        self.assertEqual(pieces[0].title, later.title)
        # Ties go by name: ระบบชลประทาน… before สาธารณสุข….
        expected = [("irrigation", 2), ("health", 2)]
        self.assertEqual([(t.slug if t else None, len(p)) for t, p in by_topic(pieces)], expected)
        self.assertEqual([(c.topic.slug, c.count) for c in shown_topics(pieces)], expected)
        write(self.alice, "บันทึกไม่มีหัวข้อ", [])
        groups = by_topic(evidence_for([self.alice.pk], self.bob)[self.alice.pk])
        self.assertEqual([(t.slug if t else None, titles(p)) for t, p in groups][-1], (None, ["บันทึกไม่มีหัวข้อ"]))

    def test_km_roles_held_in_a_secret_cop_show_only_to_those_who_see_it(self) -> None:
        def roles(viewer: object) -> list[tuple[str, str, str]]:
            return [
                (h.role, h.place_kind, h.place_key) for h in roles_of([self.dave.pk, self.bob.pk], viewer)[self.dave.pk]
            ]

        self.assertEqual(roles(self.carol), [])
        self.assertEqual(roles(AnonymousUser()), [])
        self.assertEqual(roles(self.alice), [("coordinator", "community", "secret-cop")])
        self.assertEqual(roles(self.admin), [("coordinator", "community", "secret-cop")])
        bob = roles_of([self.bob.pk], self.carol)[self.bob.pk]
        self.assertEqual(
            [(h.role, h.place_kind, h.place_key) for h in bob],
            [("practitioner", "organization", "alpha"), ("note_taker", "community", "open-cop")],
        )


class DirectoryTests(WorkTestCase):
    @classmethod
    def build(cls) -> None:
        super().build()
        cls.frank = make_person(cls.admin, "frank", cls.beta, name_th="ฟ้า ใสสะอาด", expertise=["Water Management"])
        cls.gina = make_person(cls.admin, "gina", cls.alpha, name_th="จินา", expertise=["การวิเคราะห์ข้อมูลเชิงพื้นที่"])
        cls.applicant = Organization(name_th="มูลนิธิรอพิจารณา", code="pending", sector="civil_society")
        do_apply_for_membership(cls.frank, cls.applicant, "ขอเข้าร่วม")
        cls.hana = make_person(cls.admin, "hana", cls.applicant)

    def setUp(self) -> None:
        self.client.force_login(self.carol)

    def names(self, **params: str) -> list[str]:
        response = self.client.get(reverse("people:list"), params)
        self.assertEqual(response.status_code, 200)
        return sorted(card.person.username for card in response.context["cards"])

    def test_words_find_people_by_a_thai_word_from_the_middle_of_their_expertise(self) -> None:
        self.assertEqual(self.names(q="วิเคราะห์ข้อมูล"), ["gina"])
        self.assertEqual(self.names(q="เชิงพื้นที่"), ["gina"])

    def test_words_find_people_by_a_thai_word_from_the_middle_of_a_topic_their_work_shows(self) -> None:
        self.assertEqual(self.names(q="ชลประทาน"), ["alice"])  # ระบบชลประทานขนาดเล็ก, from her network item
        self.assertEqual(self.names(q="จัดการน้ำ"), ["bob"])  # การบริหารจัดการน้ำชุมชน, the CoP he presented to

    def test_words_find_people_by_name_position_organization_and_role(self) -> None:
        self.assertEqual(self.names(q="ใสสะอาด"), ["frank"])
        self.assertEqual(self.names(q="ลิขิต"), ["carol", "erin"])
        self.assertIn("alice", self.names(q=self.alpha.name_th))

    def test_the_search_entry_carries_only_topics_every_member_may_read(self) -> None:
        # Alice's memo on health is alpha's only, dave's presentation on it in the secret CoP: neither is
        # in their entries, which every member reads, not even for a reader allowed to see the work.
        self.client.force_login(self.alice)
        self.assertEqual(self.names(q="สาธารณสุข"), ["carol"])

    def test_words_that_cannot_be_searched_say_why(self) -> None:
        response = self.client.get(reverse("people:list"), {"q": "!!!"})
        self.assertEqual(response.context["cards"], [])
        self.assertContains(response, "เครื่องหมายวรรคตอน")

    def test_words_combine_with_filters(self) -> None:
        self.assertEqual(self.names(q="ลิขิต", org="beta", role="facilitator"), ["carol"])
        self.assertEqual(self.names(q="ลิขิต", region="north"), [])

    def test_it_filters_by_declared_expertise(self) -> None:
        self.assertEqual(self.names(expertise="water management"), ["frank"])

    def test_a_topic_finds_work_on_it_and_its_sub_topics_and_expertise_of_its_name(self) -> None:
        # Alice wrote on irrigation (under water), bob presented to the water CoP, frank declares it.
        self.assertEqual(self.names(topic="water"), ["alice", "bob", "frank"])
        self.assertEqual(self.names(topic="irrigation"), ["alice"])

    def test_a_topic_counts_only_work_the_viewer_may_read(self) -> None:
        self.assertEqual(self.names(topic="health"), ["carol"])
        self.client.force_login(self.alice)  # reads her alpha memo and the secret CoP's meeting
        self.assertEqual(self.names(topic="health"), ["alice", "carol", "dave"])
        self.assertEqual(self.names(topic="no-such-topic"), [])

    def test_it_filters_by_member_organization_only(self) -> None:
        self.assertEqual(self.names(org="beta"), ["carol", "erin", "frank"])
        self.assertEqual(self.names(org="pending"), [])
        response = self.client.get(reverse("people:list"))
        self.assertContains(response, 'value="beta"')
        self.assertNotContains(response, 'value="pending"')

    def test_a_km_role_is_held_in_an_organization_or_a_cop_the_viewer_sees(self) -> None:
        self.assertEqual(self.names(role="note_taker"), ["bob", "carol", "erin"])  # bob: in the public CoP
        self.assertEqual(self.names(role="coordinator"), [])  # dave holds it in the secret CoP
        self.client.force_login(self.alice)
        self.assertEqual(self.names(role="coordinator"), ["dave"])

    def test_a_role_counts_only_through_an_active_membership(self) -> None:
        invited = actions.do_invite(self.alice, self.closed, "gina")
        actions.do_set_km_role(self.alice, invited, "sponsor")
        self.client.force_login(self.alice)
        self.assertEqual(self.names(role="sponsor"), [])
        actions.do_answer_invitation(self.gina, self.closed, accept=True)
        self.assertEqual(self.names(role="sponsor"), ["gina"])

    def test_it_filters_by_province_and_region(self) -> None:
        self.assertEqual(self.names(province="Khon Kaen"), ["carol", "erin", "frank"])
        self.assertEqual(self.names(region="north"), ["alice", "bob", "gina"])
        self.assertEqual(self.names(region="south"), [])
        everyone = self.names()
        self.assertEqual(self.names(region="atlantis"), everyone)  # an unknown region is ignored
        response = self.client.get(reverse("people:list"))
        self.assertContains(response, 'value="northeast"')
        self.assertNotContains(response, 'value="south"')  # no member organization there

    def test_each_card_shows_declared_and_shown_expertise(self) -> None:
        response = self.client.get(reverse("people:list"), {"q": "อลิซ"})
        [card] = response.context["cards"]
        self.assertEqual([(c.topic.slug, c.count) for c in card.shown], [("irrigation", 1)])
        self.assertContains(response, "ถอดบทเรียน")  # declared
        self.assertContains(response, "ระบบชลประทานขนาดเล็ก</a> <span")
        self.assertContains(response, "(1)")
        self.assertContains(response, "&amp;topic=irrigation")  # the directory narrowed to the topic

    def test_a_role_in_a_secret_cop_is_not_on_an_outsiders_page(self) -> None:
        response = self.client.get(reverse("people:list"), {"q": "Dave"})
        [card] = response.context["cards"]
        self.assertEqual((card.person, card.roles), (self.dave, []))
        self.assertNotContains(response, self.secret.name)
        self.client.force_login(self.alice)
        response = self.client.get(reverse("people:list"), {"q": "Dave"})
        [card] = response.context["cards"]
        self.assertEqual([(h.role, h.place_key) for h in card.roles], [("coordinator", "secret-cop")])
        self.assertContains(response, f"ในชุมชน {self.secret.name}")

    def test_a_busy_page_runs_a_fixed_number_of_queries(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            for n in range(16):
                person = make_person(
                    self.admin, f"farmer{n}", self.beta, km_roles=["practitioner"], expertise=[f"เกษตรอินทรีย์ {n}"]
                )
                write(person, f"เรื่องที่ {n}", [self.water, self.health], "public")
                present(self.forum, person, f"หัวข้อที่ {n}")
        # session, user, unread badge; count, page, expertise; written and their topics; presented and their
        # CoPs' topics; roles in organizations and in CoPs; then the filters' organizations, topics, expertise names.
        with self.assertNumQueries(16):
            response = self.client.get(reverse("people:list"))
        self.assertEqual(len(response.context["cards"]), 24)
        self.assertTrue(all(card.shown for card in response.context["cards"] if card.person.username[:6] == "farmer"))
        # Words add the searcher's community audiences, the index's statistics and the ranked ids; the ids
        # the filters keep stand for the count.
        with self.assertNumQueries(19):
            response = self.client.get(reverse("people:list"), {"q": "อินทรีย์", "role": "practitioner"})
        self.assertEqual(len(response.context["cards"]), 16)


class ProfileTests(WorkTestCase):
    def profile(self, person: User, viewer: User) -> object:
        self.client.force_login(viewer)
        response = self.client.get(person.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        return response

    def test_it_shows_km_roles_with_where_they_are_held(self) -> None:
        response = self.profile(self.bob, self.carol)
        self.assertContains(response, "คุณกิจ")
        self.assertContains(response, f'<a href="{self.alpha.get_absolute_url()}">{self.alpha.name_th}</a>')
        self.assertContains(response, "คุณลิขิต")
        self.assertContains(response, f'<a href="{self.public.get_absolute_url()}">{self.public.name}</a>')

    def test_a_role_in_a_secret_cop_shows_only_to_those_who_see_it(self) -> None:
        response = self.profile(self.dave, self.carol)
        self.assertNotContains(response, "คุณประสาน")
        self.assertNotContains(response, self.secret.name)
        response = self.profile(self.dave, self.alice)
        self.assertContains(response, "คุณประสาน")
        self.assertContains(response, self.secret.name)

    def test_it_lists_the_evidence_by_topic_with_links_and_buddhist_era_dates(self) -> None:
        response = self.profile(self.bob, self.carol)
        groups = response.context["evidence_groups"]  # type: ignore[attr-defined]
        self.assertEqual([(topic.slug, total) for topic, _pieces, total, _more in groups], [("water", 1)])
        self.assertContains(response, "การบริหารจัดการน้ำชุมชน")
        self.assertContains(response, f'href="{self.forum.get_absolute_url()}"')
        self.assertContains(response, "การเก็บน้ำฝนในโรงเรียน")
        self.assertContains(response, "นำเสนอ")
        self.assertContains(response, str(timezone.localtime(self.forum.starts_at).year + 543))

    def test_it_lists_only_evidence_the_viewer_may_read(self) -> None:
        response = self.profile(self.alice, self.carol)
        self.assertContains(response, "คู่มือสร้างฝายชะลอน้ำ")
        self.assertNotContains(response, "บันทึกภายในเรื่องยุงลาย")  # alpha's only
        self.assertContains(self.profile(self.alice, self.bob), "บันทึกภายในเรื่องยุงลาย")
        self.assertNotContains(self.profile(self.dave, self.carol), "แผนรับมือโรคไข้เลือดออก")  # the secret CoP's
        self.assertNotContains(self.profile(self.dave, self.bob), "แผนรับมือโรคไข้เลือดออก")
        self.assertContains(self.profile(self.dave, self.alice), "แผนรับมือโรคไข้เลือดออก")

    def test_a_long_list_under_a_topic_is_cut_with_a_count(self) -> None:
        for n in range(12):
            write(self.alice, f"ฝายแห่งที่ {n}", [self.irrigation])
        response = self.profile(self.alice, self.carol)
        [(topic, pieces, total, more)] = response.context["evidence_groups"]  # type: ignore[attr-defined]
        self.assertEqual((topic.slug, len(pieces), total, more), ("irrigation", 10, 13, 3))
        self.assertContains(response, "และอีก 3 รายการ")

    def test_the_profile_runs_a_fixed_number_of_queries(self) -> None:
        for n in range(8):
            write(self.bob, f"เรื่องของบ๊อบ {n}", [self.water, self.health])
            present(make_meeting(self.public, f"เวทีที่ {n}"), self.bob, f"หัวข้อ {n}")
        self.client.force_login(self.carol)
        # session, user, unread badge, person, expertise; knowledge count and page; written and their topics;
        # presented and their CoPs' topics; roles in organizations and in CoPs; the follow button.
        with self.assertNumQueries(15):
            self.client.get(self.bob.get_absolute_url())


class PeopleApiTests(WorkTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.carol)

    def get(self, url: str, **params: str) -> dict:  # type: ignore[type-arg]
        response = self.client.get(url, params)
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def usernames(self, **params: str) -> list[str]:
        return [p["username"] for p in self.get(PEOPLE, **params)["items"]]

    def test_it_finds_people_by_words_best_first_and_by_the_directory_filters(self) -> None:
        self.assertEqual(self.usernames(q="ชลประทาน"), ["alice"])
        self.assertEqual(sorted(self.usernames(q="ลิขิต", org="beta")), ["carol", "erin"])
        self.assertEqual(sorted(self.usernames(topic="water")), ["alice", "bob"])
        self.assertEqual(self.usernames(region="north", role="facilitator"), ["alice"])
        self.assertEqual(self.usernames(province="Khon Kaen", expertise="nothing"), [])
        first, second = (self.get(PEOPLE, q="ลิขิต", limit="1", offset=offset) for offset in ("0", "1"))
        self.assertEqual((first["count"], second["count"]), (2, 2))
        self.assertEqual({p["username"] for p in first["items"] + second["items"]}, {"carol", "erin"})

    def test_it_refuses_unknown_regions_and_provinces_by_name(self) -> None:
        response = self.client.get(PEOPLE, {"region": "atlantis", "province": "Gotham"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual({e["field"] for e in response.json()["errors"]}, {"region", "province"})

    def test_a_role_in_a_secret_cop_is_hidden_from_outsiders(self) -> None:
        self.assertEqual(self.usernames(role="coordinator"), [])
        dave = self.get(f"{PEOPLE}/dave")
        self.assertEqual(dave["km_roles"], [])
        self.assertNotIn("secret-cop", str(self.get(PEOPLE)))
        self.client.force_login(self.alice)
        self.assertEqual(self.usernames(role="coordinator"), ["dave"])
        self.assertEqual(
            self.get(f"{PEOPLE}/dave")["km_roles"],
            [{"role": "coordinator", "organization": None, "community": "secret-cop", "since": None}],
        )

    def test_a_person_carries_the_topics_their_work_shows_the_caller(self) -> None:
        alice = self.get(f"{PEOPLE}/alice")
        self.assertEqual(
            alice["shown_expertise"],
            [{"slug": "irrigation", "name_th": "ระบบชลประทานขนาดเล็ก", "name_en": "Small irrigation", "count": 1}],
        )
        self.client.force_login(self.bob)
        self.assertEqual(len(self.get(f"{PEOPLE}/alice")["shown_expertise"]), 2)

    def test_it_lists_a_persons_evidence_that_the_caller_may_read(self) -> None:
        data = self.get(f"{PEOPLE}/bob/evidence")
        self.assertEqual(data["count"], 1)
        [piece] = data["items"]
        self.assertEqual((piece["kind"], piece["title"]), ("presented", "เวทีแลกเปลี่ยนเรื่องน้ำ"))
        self.assertEqual(piece["label"], "การเก็บน้ำฝนในโรงเรียน")
        self.assertEqual(
            piece["topics"], [{"slug": "water", "name_th": "การบริหารจัดการน้ำชุมชน", "name_en": "Water management"}]
        )
        self.assertTrue(piece["url"].startswith("http://testserver/communities/open-cop/"))
        self.assertTrue(piece["date"].endswith("Z"))
        self.assertEqual(self.get(f"{PEOPLE}/dave/evidence")["count"], 0)
        self.assertEqual(self.get(f"{PEOPLE}/alice/evidence")["count"], 1)
        self.client.force_login(self.alice)
        self.assertEqual(self.get(f"{PEOPLE}/dave/evidence")["items"][0]["label"], "แผนรับมือโรคไข้เลือดออก")
        self.assertEqual(self.get(f"{PEOPLE}/alice/evidence", kind="presented")["count"], 0)
        self.assertEqual(self.get(f"{PEOPLE}/alice/evidence", kind="wrote")["count"], 2)

    def test_evidence_is_for_signed_in_callers_of_active_people(self) -> None:
        User.objects.filter(pk=self.erin.pk).update(is_active=False)
        self.assertEqual(self.client.get(f"{PEOPLE}/erin/evidence").status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(f"{PEOPLE}/bob/evidence").status_code, 401)

    def test_the_list_runs_a_fixed_number_of_queries(self) -> None:
        for n in range(6):
            person = make_person(self.admin, f"writer{n}", self.beta, km_roles=["practitioner"])
            write(person, f"เรื่องที่ {n}", [self.water], "public")
        # session, user; count, people, expertise; written and their topics; presented and their
        # CoPs' topics; roles in organizations and in CoPs.
        with self.assertNumQueries(12):
            self.assertEqual(len(self.usernames()), 12)


class SearchEntryTests(WorkTestCase):
    """The person's search entry follows the work that shows their expertise."""

    def found(self, q: str) -> list[str]:
        return [hit.obj.username for hit in search(self.carol, q, types=["person"]).hits]

    def test_writing_on_a_topic_and_changing_it_reindexes_the_authors(self) -> None:
        self.assertEqual(self.found("สาธารณสุขมูลฐาน"), ["carol"])
        with self.captureOnCommitCallbacks(execute=True):
            item = write(self.bob, "บทเรียนจากหมอชุมชน", [self.health])
        self.assertEqual(sorted(self.found("สาธารณสุขมูลฐาน")), ["bob", "carol"])
        data = ItemData(title=item.title, visibility="network", topic_ids=[self.water.pk], author_ids=[self.erin.pk])
        with self.captureOnCommitCallbacks(execute=True):
            item = do_update_item(self.bob, item, data, base_version=item.version)
        self.assertEqual(self.found("สาธารณสุขมูลฐาน"), ["carol"])  # bob no longer an author, health gone
        self.assertEqual(sorted(self.found("บริหารจัดการน้ำ")), ["bob", "erin"])  # bob presented there; erin wrote
        data.visibility = "private"
        with self.captureOnCommitCallbacks(execute=True):
            do_update_item(self.erin, item, data, base_version=item.version)
        self.assertEqual(self.found("บริหารจัดการน้ำ"), ["bob"])

    def test_presenting_reindexes_the_presenter_and_a_new_presenter_replaces_the_old(self) -> None:
        self.assertEqual(self.found("จัดการน้ำ"), ["bob"])
        with self.captureOnCommitCallbacks(execute=True):
            self.rainwater.presenter = self.erin
            self.rainwater.save()
        self.assertEqual(self.found("จัดการน้ำ"), ["erin"])
        with self.captureOnCommitCallbacks(execute=True):
            self.rainwater.delete()
        self.assertEqual(self.found("จัดการน้ำ"), [])

    def test_a_community_going_closed_takes_its_presentations_out_of_the_entries(self) -> None:
        self.assertEqual(self.found("จัดการน้ำ"), ["bob"])
        with self.captureOnCommitCallbacks(execute=True):
            update(self.public, visibility="closed")
        self.assertEqual(self.found("จัดการน้ำ"), [])
