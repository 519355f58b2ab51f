"""The demo's programmes of visits: last year's and this year's published (with visits already past),
next year's a draft, all planned by the planner for the demo organizations."""

import shutil
import tempfile
from io import StringIO

from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from platoo.events import demo
from platoo.events.models import Event, EventStatus, Programme
from platoo.network.demo.people import ORGANIZATIONS


class EventsDemoTests(TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        media = tempfile.mkdtemp(prefix="platoo-demo-")
        cls.addClassCleanup(shutil.rmtree, media, True)
        cls.enterClassContext(override_settings(MEDIA_ROOT=media))
        super().setUpClass()

    @classmethod
    def setUpTestData(cls) -> None:
        with cls.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", stdout=StringIO())

    def test_it_publishes_this_years_programme_with_past_visits_by_demo_organizations(self) -> None:
        year = timezone.localdate().year
        this_year = Programme.objects.get(year=year)
        last_year = Programme.objects.get(year=year - 1)
        self.assertEqual((this_year.status, last_year.status), ("published", "published"))
        visits = Event.objects.filter(programme__in=[this_year, last_year])
        self.assertEqual(visits.count(), 12)
        self.assertFalse(visits.exclude(status=EventStatus.PUBLISHED).exists())
        codes = {spec.code for spec in ORGANIZATIONS}
        self.assertTrue(all(v.host is not None and v.host.code in codes for v in visits))
        past = demo.programme_visits()
        self.assertGreaterEqual(len(past), 6)
        self.assertTrue(all(v.ends_at < timezone.now() for v in past))
        self.assertTrue(all(v.published_at < v.starts_at for v in visits), "published before the year began")

    def test_it_rotates_hosts_across_the_years_and_drafts_next_year(self) -> None:
        year = timezone.localdate().year
        draft = Programme.objects.get(year=year + 1)
        self.assertEqual(draft.status, Programme.Status.DRAFT)

        def hosts(programme_year: int) -> list[str]:
            visits = Event.objects.filter(programme__year=programme_year).select_related("host")
            return [v.host.code for v in visits.order_by("starts_at") if v.host]

        self.assertEqual(len(set(hosts(year - 1))), 6)
        self.assertNotIn("chf", hosts(year), "it declined this year")
        self.assertNotIn("andaman-food", hosts(year + 1), "it declined next year")
        every = hosts(year - 1) + hosts(year) + hosts(year + 1)
        self.assertEqual(len(every), 18)
        self.assertEqual(max(every.count(code) for code in every), 2, "twelve organizations, eighteen visits")
        for step in draft.explanation["visits"]:
            self.assertTrue(step["why_host"] and step["why_date"], step)

    def test_loading_again_adds_nothing_and_removing_takes_the_programmes_away(self) -> None:
        self.assertEqual(demo.load(), 3)
        self.assertEqual(Programme.objects.count(), 3)
        demo.remove()
        self.assertFalse(Programme.objects.exists())
        self.assertFalse(Event.objects.filter(kind="visit").exists())

    def test_past_visits_have_people_reviews_an_aar_and_captured_knowledge(self) -> None:
        from platoo.events.models import EventItem, FollowUp, ParticipantReview, Registration

        past = demo.programme_visits()[-10:]
        self.assertTrue(past)
        for visit in past:
            with self.subTest(visit=visit.title):
                attended = Registration.objects.filter(event=visit, checked_in_at__isnull=False)
                self.assertGreaterEqual(attended.count(), 5)
                self.assertGreater(len({r.organization_id for r in attended}), 2)
                self.assertTrue(ParticipantReview.objects.filter(event=visit).exists())
                self.assertTrue(Event.objects.get(pk=visit.pk).has_aar)
                self.assertTrue(EventItem.objects.filter(event=visit).exists())
                self.assertEqual(FollowUp.objects.filter(event=visit).count(), 2)

    def test_a_share_and_show_day_is_coming_with_submissions_in_slots(self) -> None:
        from platoo.events.models import EventKind, Submission

        day = Event.objects.get(kind=EventKind.SHARE_SHOW)
        self.assertGreater(day.starts_at, timezone.now())
        self.assertEqual(Submission.objects.filter(event=day, status="accepted", session__isnull=False).count(), 3)
        self.assertEqual(Submission.objects.filter(event=day, status="submitted").count(), 1)
        self.assertGreaterEqual(day.registrations.count(), 10)

    def test_the_fairs_readiness_shows_real_numbers(self) -> None:
        from platoo.events.fair import readiness

        state = readiness()
        age, stories = state.checks
        self.assertTrue(age.met)  # the demo network started more than two years ago
        self.assertGreater(age.have, 24)
        self.assertFalse(stories.met)  # nothing verifies stories yet: the expert panels come later
        self.assertGreater(state.stories, 0)
