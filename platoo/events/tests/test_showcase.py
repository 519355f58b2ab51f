from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from platoo.accounts.tests.helpers import make_item, make_organization, make_person
from platoo.activity.models import Notification
from platoo.events import actions, showcase
from platoo.events.models import Event, EventKind, Submission, Vote
from platoo.network.models import Sector

from .base import EventTestCase, make_event


def the_day_comes(event: Event, *, ended_days_ago: float | None = None) -> Event:
    """Move the event to now (it started an hour ago), or to `ended_days_ago` days in the past."""
    now = timezone.now()
    if ended_days_ago is None:
        starts, ends = now - timedelta(hours=1), now + timedelta(hours=5)
    else:
        ends = now - timedelta(days=ended_days_ago)
        starts = ends - timedelta(hours=6)
    Event.objects.filter(pk=event.pk).update(starts_at=starts, ends_at=ends)
    return Event.objects.get(pk=event.pk)


class ShowcaseTestCase(EventTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.gamma = make_organization(cls.admin, "gamma", Sector.PRIVATE)
        cls.gina = make_person(cls.admin, "gina", cls.gamma)
        slots = [actions.SessionData(title="ช่วงเช้า: นวัตกรรม"), actions.SessionData(title="ช่วงบ่าย: แนวปฏิบัติที่ดี")]
        cls.event = make_event(cls.alice, "วันแบ่งปันนวัตกรรม", kind=EventKind.SHARE_SHOW, sessions=slots)
        cls.morning, cls.afternoon = list(cls.event.sessions.order_by("position"))
        cls.bob_item = make_item(cls.bob, "เครื่องวัดความดันแบบพกพา")
        cls.alpha_item = make_item(cls.alice, "แนวปฏิบัติของอัลฟา", "organization", cls.alpha)
        cls.carol_item = make_item(cls.carol, "ระบบคิวออนไลน์")
        for person in (cls.bob, cls.carol, cls.erin):
            actions.do_register(person, cls.event)


class SubmitTests(ShowcaseTestCase):
    def test_members_put_forward_their_own_or_their_organizations_items(self) -> None:
        own = showcase.do_submit(self.bob, self.event, self.bob_item, "", "จะสาธิตการใช้งานจริง")
        self.assertEqual((own.status, own.organization, own.title), ("submitted", self.alpha, self.bob_item.title))
        organizations = showcase.do_submit(self.bob, self.event, self.alpha_item, "แนวปฏิบัติของหน่วยงาน")
        self.assertEqual(organizations.title, "แนวปฏิบัติของหน่วยงาน")
        with self.assertRaises(ValidationError) as caught:
            showcase.do_submit(self.bob, self.event, self.carol_item)  # readable, but neither his nor alpha's
        self.assertIn("item", caught.exception.error_dict)

    def test_the_same_item_twice_is_refused_and_a_withdrawn_one_may_come_back(self) -> None:
        first = showcase.do_submit(self.bob, self.event, self.bob_item)
        with self.assertRaises(ValidationError):
            showcase.do_submit(self.bob, self.event, self.bob_item, "อีกครั้ง")
        showcase.do_submit(self.alice, self.event, self.alpha_item)
        with self.assertRaises(ValidationError):  # alpha's item, put forward by someone else of alpha
            showcase.do_submit(self.bob, self.event, self.alpha_item)
        showcase.do_withdraw(self.bob, first)
        again = showcase.do_submit(self.bob, self.event, self.bob_item, "กลับมาแล้ว")
        self.assertEqual((again.pk, again.status, again.title), (first.pk, "submitted", "กลับมาแล้ว"))
        self.assertEqual(Submission.objects.filter(event=self.event, item=self.bob_item).count(), 1)

    def test_only_the_submitter_withdraws_and_only_before_the_day(self) -> None:
        submission = showcase.do_submit(self.bob, self.event, self.bob_item)
        with self.assertRaises(PermissionDenied):
            showcase.do_withdraw(self.carol, submission)
        the_day_comes(self.event)
        with self.assertRaises(ValidationError):
            showcase.do_withdraw(self.bob, submission)

    def test_submissions_close_when_the_event_starts_and_other_kinds_take_none(self) -> None:
        the_day_comes(self.event)
        with self.assertRaises(ValidationError):
            showcase.do_submit(self.bob, Event.objects.get(pk=self.event.pk), self.bob_item)
        visit = make_event(self.alice, "เยี่ยมเยือน")
        with self.assertRaises(ValidationError):
            showcase.do_submit(self.bob, visit, self.bob_item)
        self.assertIsNone(showcase.panel(visit, self.bob))


class DecideTests(ShowcaseTestCase):
    def test_organizers_accept_into_a_slot_or_decline_and_the_submitter_is_told(self) -> None:
        submission = showcase.do_submit(self.bob, self.event, self.bob_item)
        showcase.do_decide(self.alice, submission, True, self.morning)
        submission.refresh_from_db()
        self.assertEqual((submission.status, submission.session), ("accepted", self.morning))

        def told() -> list[str]:
            return list(
                Notification.objects.filter(recipient=self.bob, kind="submission_decided").values_list("url", flat=True)
            )

        self.assertEqual(told(), [reverse("events:showcase", args=[self.event.pk])])
        showcase.do_decide(self.alice, submission, True, self.morning)  # the same decision again: no news
        self.assertEqual(len(told()), 1)
        showcase.do_decide(self.manager, submission, False)
        submission.refresh_from_db()
        self.assertEqual((submission.status, submission.session, len(told())), ("declined", None, 2))

    def test_a_slot_of_another_event_or_no_slot_is_refused_and_so_are_other_people(self) -> None:
        submission = showcase.do_submit(self.bob, self.event, self.bob_item)
        other = make_event(
            self.alice, "อีกงาน", kind=EventKind.SHARE_SHOW, sessions=[actions.SessionData(title="ช่วงเดียว")]
        )
        for session in (None, other.sessions.get()):
            with self.subTest(session=session), self.assertRaises(ValidationError):
                showcase.do_decide(self.alice, submission, True, session)
        with self.assertRaises(PermissionDenied):
            showcase.do_decide(self.carol, submission, True, self.morning)
        showcase.do_withdraw(self.bob, submission)
        with self.assertRaises(ValidationError):
            showcase.do_decide(self.alice, submission, True, self.morning)


class VoteTests(ShowcaseTestCase):
    def setUp(self) -> None:
        self.shown = showcase.do_submit(self.bob, self.event, self.bob_item, "", "สาธิตเครื่องวัด")
        showcase.do_decide(self.alice, self.shown, True, self.morning)
        self.declined = showcase.do_submit(self.carol, self.event, self.carol_item)
        showcase.do_decide(self.alice, self.declined, False)
        self.event = the_day_comes(self.event)
        actions.do_check_in(self.alice, self.event, self.carol)

    def test_an_attendee_votes_once_and_voting_again_changes_the_vote(self) -> None:
        showcase.do_vote(self.carol, self.shown, "4", "ใช้ได้จริง")
        showcase.do_vote(self.carol, self.shown, 2, "")
        vote = Vote.objects.get(submission=self.shown)
        self.assertEqual((vote.user, vote.score, vote.comment), (self.carol, 2, ""))

    def test_scores_outside_one_to_five_are_refused(self) -> None:
        for score in (0, 6, "", "abc", "3.5", None, True):
            with self.subTest(score=score), self.assertRaises(ValidationError):
                showcase.do_vote(self.carol, self.shown, score)
        self.assertFalse(Vote.objects.exists())

    def test_declined_and_withdrawn_submissions_take_no_vote(self) -> None:
        with self.assertRaises(ValidationError):
            showcase.do_vote(self.carol, self.declined, 5)
        Submission.objects.filter(pk=self.shown.pk).update(status=Submission.Status.WITHDRAWN)
        with self.assertRaises(ValidationError):
            showcase.do_vote(self.carol, self.shown, 5)
        self.assertFalse(Vote.objects.exists())

    def test_registered_people_vote_while_it_runs_and_only_those_checked_in_after(self) -> None:
        self.assertTrue(showcase.can_vote(self.event, self.erin))  # registered, not (yet) checked in
        self.assertFalse(showcase.can_vote(self.event, self.gina))  # not registered
        with self.assertRaises(ValidationError):
            showcase.do_vote(self.bob, self.shown, 5)  # his own
        ended = the_day_comes(self.event, ended_days_ago=2)
        self.assertFalse(showcase.can_vote(ended, self.erin))
        self.assertTrue(showcase.can_vote(ended, self.carol))
        with self.assertRaises(PermissionDenied):
            showcase.do_vote(self.erin, self.shown, 5)
        long_ago = the_day_comes(self.event, ended_days_ago=showcase.VOTING_DAYS + 1)
        self.assertFalse(showcase.can_vote(long_ago, self.carol))

    def test_the_results_show_scores_to_all_and_feedback_to_the_submitter_and_organizers(self) -> None:
        showcase.do_vote(self.carol, self.shown, 5, "ราคาถูกและใช้ง่าย")
        showcase.do_vote(self.erin, self.shown, 4, "")
        url = reverse("events:results", args=[self.event.pk])
        self.client.force_login(self.erin)
        # Session, user, the event, the accepted submissions with their votes, the readable items, the
        # hub's permissions (two), the organizer check, the notifications badge.
        with self.assertNumQueries(9):
            response = self.client.get(url)
        self.assertContains(response, "<strong>4.50</strong> / 5")
        self.assertContains(response, "ช่วงเช้า: นวัตกรรม")
        self.assertNotContains(response, "ราคาถูกและใช้ง่าย")
        self.assertNotContains(response, self.carol_item.title)  # declined: not shown
        for reader in (self.bob, self.alice):
            self.client.force_login(reader)
            self.assertContains(self.client.get(url), "ราคาถูกและใช้ง่าย")
        for n in range(10):
            person = make_person(self.admin, f"voter{n}", self.gamma)
            actions.do_check_in(self.alice, self.event, person)
            showcase.do_vote(person, self.shown, 3, "ดี")
        self.client.force_login(self.erin)
        with self.assertNumQueries(9):
            self.client.get(url)


class ShowcasePageTests(ShowcaseTestCase):
    def test_a_bad_submission_keeps_what_was_typed_and_says_why(self) -> None:
        self.client.force_login(self.bob)
        url = reverse("events:showcase_submit", args=[self.event.pk])
        response = self.client.post(url, {"item": self.carol_item.pk, "summary": "สาธิตหน้างาน"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "สาธิตหน้างาน", status_code=400)
        response = self.client.post(url, {"item": self.bob_item.pk, "summary": "สาธิตหน้างาน"})
        self.assertRedirects(response, reverse("events:showcase", args=[self.event.pk]) + "#mine")
        self.assertEqual(Submission.objects.get().summary, "สาธิตหน้างาน")

    def test_organizers_decide_from_the_page_and_a_vote_out_of_range_is_refused_there(self) -> None:
        submission = showcase.do_submit(self.bob, self.event, self.bob_item)
        self.client.force_login(self.alice)
        page = self.client.get(reverse("events:showcase", args=[self.event.pk]))
        self.assertContains(page, "ช่วงบ่าย: แนวปฏิบัติที่ดี")
        decide = reverse("events:showcase_decide", args=[self.event.pk, submission.pk])
        response = self.client.post(decide, {"decision": "accept", "session": "ช่วงบ่าย"}, follow=True)
        self.assertContains(response, "ช่วงนำเสนอ")  # a slot that is no session: asked to choose one
        self.client.post(decide, {"decision": "accept", "session": self.afternoon.pk})
        submission.refresh_from_db()
        self.assertEqual(submission.session, self.afternoon)
        self.event = the_day_comes(self.event)
        self.client.force_login(self.carol)
        vote = reverse("events:showcase_vote", args=[self.event.pk, submission.pk])
        response = self.client.post(vote, {"score": "9", "next": "https://evil.example/"}, follow=True)
        self.assertEqual(response.redirect_chain[-1][0], reverse("events:showcase", args=[self.event.pk]))
        self.assertContains(response, "1 ถึง 5")
        self.assertFalse(Vote.objects.exists())

    def test_the_panel_on_the_event_page_offers_the_vote_to_attendees(self) -> None:
        submission = showcase.do_submit(self.bob, self.event, self.bob_item)
        showcase.do_decide(self.alice, submission, True, self.morning)
        event = the_day_comes(self.event)
        request = RequestFactory().get(event.get_absolute_url())
        html = render_to_string(
            "events/_showcase_panel.html", {"showcase": showcase.panel(event, self.carol), "request": request}
        )
        self.assertIn(reverse("events:showcase_vote", args=[event.pk, submission.pk]), html)
        html = render_to_string(
            "events/_showcase_panel.html", {"showcase": showcase.panel(event, self.gina), "request": request}
        )
        self.assertIn(submission.title, html)
        self.assertNotIn(reverse("events:showcase_vote", args=[event.pk, submission.pk]), html)
