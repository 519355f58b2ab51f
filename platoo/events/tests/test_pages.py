from django.urls import reverse

from platoo.accounts.tests.helpers import make_person
from platoo.events import actions
from platoo.events.models import Event, EventItem, Registration
from platoo.events.views.registration import ticket_token
from platoo.knowledge.models import KnowledgeItem

from .base import EventTestCase, make_event


class OrganizeTests(EventTestCase):
    def test_the_form_keeps_input_explains_a_backwards_event_and_saves_a_draft_once(self) -> None:
        self.client.force_login(self.alice)
        url = reverse("events:create")
        form = {
            "kind": "visit",
            "title": "เยือนโรงพยาบาลนาแก้ว",
            "starts_at": "2570-03-10T09:00",
            "ends_at": "2570-03-10T08:00",
            "visibility": "network",
            "host": self.alpha.pk,
            "capacity": "40",
            "form_token": "once",
            "sessions-TOTAL_FORMS": "1",
            "sessions-INITIAL_FORMS": "0",
            "sessions-0-title": "เล่าเรื่องการส่งเวร",
            "sessions-0-speakers": "bob, carol",
        }
        response = self.client.post(url, form)
        self.assertContains(response, "เยือนโรงพยาบาลนาแก้ว", status_code=400)
        self.assertFalse(Event.objects.exists())
        form["ends_at"] = "2570-03-10T16:00"
        first = self.client.post(url, form)
        second = self.client.post(url, form)
        event = Event.objects.get()
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual((event.status, event.starts_at.year), ("draft", 2027))
        self.assertEqual(set(event.sessions.get().speakers.values_list("username", flat=True)), {"bob", "carol"})
        self.client.post(reverse("events:publish", args=[event.pk]))
        page = self.client.get(event.get_absolute_url())
        self.assertContains(page, "2570")
        self.assertContains(page, "09:00")

    def test_an_unknown_speaker_is_named(self) -> None:
        self.client.force_login(self.alice)
        response = self.client.post(
            reverse("events:create"),
            {
                "kind": "workshop",
                "title": "อบรม",
                "starts_at": "2027-03-10T09:00",
                "ends_at": "2027-03-10T12:00",
                "visibility": "network",
                "sessions-TOTAL_FORMS": "1",
                "sessions-INITIAL_FORMS": "0",
                "sessions-0-title": "ช่วงเช้า",
                "sessions-0-speakers": "nobody-here",
            },
        )
        self.assertContains(response, "nobody-here", status_code=400)

    def test_drafts_answer_not_found_to_others_and_only_organizers_edit(self) -> None:
        draft = make_event(self.alice, publish=False)
        self.client.force_login(self.bob)
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 404)
        event = make_event(self.alice)
        self.assertEqual(self.client.get(reverse("events:edit", args=[event.pk])).status_code, 403)
        self.client.force_login(self.manager)
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 200)


class RegistrationPageTests(EventTestCase):
    def test_registering_with_a_before_action_review_and_the_waitlist_message(self) -> None:
        event = make_event(self.alice, capacity=1)
        self.client.force_login(self.bob)
        self.client.post(
            reverse("events:register", args=[event.pk]), {"bar_learn": "การส่งเวร", "bar_from_whom": "พยาบาล"}
        )
        self.assertEqual(Registration.objects.get(event=event, user=self.bob).bar_learn, "การส่งเวร")
        self.assertContains(self.client.get(reverse("events:ticket", args=[event.pk])), "<svg")
        self.client.force_login(self.carol)
        response = self.client.post(reverse("events:register", args=[event.pk]), follow=True)
        self.assertContains(response, "รายชื่อสำรอง")
        self.assertEqual(Registration.objects.get(event=event, user=self.carol).status, "waitlisted")

    def test_a_scanned_ticket_checks_its_person_in_and_a_forged_one_is_refused(self) -> None:
        event = make_event(self.alice, days=0.05)
        registration = actions.do_register(self.bob, event)
        url = reverse("events:check_in_ticket", args=[event.pk, ticket_token(registration)])
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(url).status_code, 403)  # only organizers check people in
        self.client.force_login(self.alice)
        self.assertContains(self.client.get(url), "Bob")
        self.client.post(url)
        self.assertIsNotNone(Registration.objects.get(pk=registration.pk).checked_in_at)
        forged = url.replace(ticket_token(registration)[:8], "AAAAAAAA")
        self.assertEqual(self.client.get(forged).status_code, 404)

    def test_the_door_list_checks_in_a_walk_in_by_username(self) -> None:
        event = make_event(self.alice, days=0.05)
        self.client.force_login(self.alice)
        response = self.client.post(reverse("events:check_in", args=[event.pk]), {"username": "dave"}, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(Registration.objects.get(event=event, user=self.dave).walk_in)

    def test_the_event_page_stays_a_fixed_number_of_queries_with_many_registrants(self) -> None:
        event = make_event(self.alice, capacity=30)
        people = [make_person(self.admin, f"guest{n}", self.beta) for n in range(40)]
        for person in people:
            actions.do_register(person, event, "อยากเรียนรู้")
        self.client.force_login(people[-1])
        self.client.get(event.get_absolute_url())
        # session, user, their permissions (2: is the hub's draft visible?), unread badge; event, topics,
        # organizers, sessions and their speakers; counts, mine, organizing, waitlist position, whether they may
        # read the report, captured knowledge
        with self.assertNumQueries(15):
            response = self.client.get(event.get_absolute_url())
        self.assertContains(response, "สำรอง")


class ReviewTests(EventTestCase):
    def test_participants_review_and_the_note_taker_consolidates_without_losing_a_concurrent_save(self) -> None:
        event = make_event(self.alice, days=-0.01)
        actions.do_check_in(self.alice, event, self.bob)
        self.client.force_login(self.carol)
        self.assertEqual(self.client.get(reverse("events:review", args=[event.pk])).status_code, 403)
        self.client.force_login(self.bob)
        self.client.post(reverse("events:review", args=[event.pk]), {"happened": "ได้เห็นการส่งเวรจริง"})
        self.assertEqual(event.reviews.get().happened, "ได้เห็นการส่งเวรจริง")
        self.client.force_login(self.alice)
        page = self.client.get(reverse("events:aar", args=[event.pk]))
        self.assertContains(page, "ได้เห็นการส่งเวรจริง")
        version = page.context["form"].initial["version"]
        actions.do_write_consolidated_aar(self.alice, event, {"aar_expected": "ก่อนหน้า"}, version)
        response = self.client.post(
            reverse("events:aar", args=[event.pk]), {"aar_next_time": "ข้อความของฉัน", "version": version}
        )
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "ข้อความของฉัน", status_code=409)
        self.assertContains(response, "ก่อนหน้า", status_code=409)


class CaptureTests(EventTestCase):
    def test_knowledge_captured_at_an_event_names_its_speakers_and_links_back(self) -> None:
        data = actions.SessionData(title="เล่าเรื่อง", speaker_ids=[self.carol.pk])
        event = make_event(self.alice, days=-1, sessions=[data])
        self.client.force_login(self.alice)
        editor = self.client.get(reverse("knowledge:create") + f"?from=event:{event.pk}")
        self.assertEqual(set(editor.context["form"].initial["authors"]), {self.alice.pk, self.carol.pk})
        self.client.post(
            reverse("knowledge:create"),
            {
                "kind": "story",
                "title": "เรื่องเล่าจากการเยือน",
                "license": "cc-by-4.0",
                "visibility": "network",
                "authors": [self.alice.pk, self.carol.pk],
                "source": f"event:{event.pk}",
            },
        )
        item = KnowledgeItem.objects.get(title="เรื่องเล่าจากการเยือน")
        self.assertTrue(EventItem.objects.filter(event=event, item=item).exists())
        self.assertContains(self.client.get(item.get_absolute_url()), event.title)
        self.assertContains(self.client.get(event.get_absolute_url()), "เรื่องเล่าจากการเยือน")
        self.client.force_login(self.dave)  # neither organizer, speaker nor participant
        editor = self.client.get(reverse("knowledge:create") + f"?from=event:{event.pk}")
        self.assertIsNone(editor.context["capture"])
