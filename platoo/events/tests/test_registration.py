from django.core.exceptions import PermissionDenied, ValidationError

from platoo.activity.models import Notification
from platoo.events import actions
from platoo.events.models import Event, Registration

from .base import EventTestCase, make_event


class RegistrationTests(EventTestCase):
    def test_past_capacity_people_wait_in_line_and_a_cancellation_promotes_the_first(self) -> None:
        event = make_event(self.alice, capacity=2)
        statuses = [actions.do_register(p, event).status for p in (self.bob, self.carol, self.dave, self.erin)]
        self.assertEqual(statuses, ["registered", "registered", "waitlisted", "waitlisted"])
        promoted = actions.do_cancel_registration(self.bob, event)
        self.assertEqual([r.user for r in promoted], [self.dave])
        self.assertTrue(Notification.objects.filter(recipient=self.dave, kind="waitlist_promoted").exists())
        self.assertEqual(Registration.objects.filter(event=event, status="registered").count(), 2)

    def test_registering_twice_keeps_one_place_and_updates_the_before_action_review(self) -> None:
        event = make_event(self.alice)
        actions.do_register(self.bob, event, "อยากรู้วิธีส่งเวร")
        actions.do_register(self.bob, event, "อยากรู้วิธีส่งเวรแบบ SBAR", "พยาบาลเวรดึก")
        registration = Registration.objects.get(event=event, user=self.bob)
        self.assertEqual((registration.bar_learn, registration.bar_from_whom), ("อยากรู้วิธีส่งเวรแบบ SBAR", "พยาบาลเวรดึก"))

    def test_a_larger_room_moves_the_waitlist_up(self) -> None:
        event = make_event(self.alice, capacity=1)
        actions.do_register(self.bob, event)
        actions.do_register(self.carol, event)
        actions.do_set_capacity(self.alice, event, 2)
        self.assertEqual(Registration.objects.get(event=event, user=self.carol).status, "registered")

    def test_drafts_and_past_events_take_no_registration(self) -> None:
        with self.assertRaises(ValidationError):
            actions.do_register(self.bob, make_event(self.alice, publish=False))
        with self.assertRaises(ValidationError):
            actions.do_register(self.bob, make_event(self.alice, days=-3))

    def test_the_door_checks_in_someone_not_registered_as_a_walk_in(self) -> None:
        event = make_event(self.alice, days=0.05)
        actions.do_register(self.bob, event)
        registration, created = actions.do_check_in(self.alice, event, self.bob)
        self.assertTrue(created and not registration.walk_in)
        _again, created = actions.do_check_in(self.alice, event, self.bob)
        self.assertFalse(created)
        walk_in, _created = actions.do_check_in(self.alice, event, self.carol)
        self.assertTrue(walk_in.walk_in)
        self.assertEqual(walk_in.organization, self.beta)
        with self.assertRaises(PermissionDenied):
            actions.do_check_in(self.bob, event, self.dave)


class EventRulesTests(EventTestCase):
    def test_an_event_ending_before_it_starts_is_refused(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            make_event(self.alice, hours=-1)
        self.assertIn("ends_at", caught.exception.error_dict)
        self.assertFalse(Event.objects.exists())

    def test_drafts_are_seen_by_organizers_and_the_hub_only(self) -> None:
        draft = make_event(self.alice, publish=False)
        self.assertTrue(Event.objects.visible_to(self.alice).filter(pk=draft.pk).exists())
        self.assertTrue(Event.objects.visible_to(self.manager).filter(pk=draft.pk).exists())
        self.assertFalse(Event.objects.visible_to(self.bob).filter(pk=draft.pk).exists())
        self.assertFalse(Event.objects.visible_to(None).filter(pk=draft.pk).exists())

    def test_an_organization_only_event_reads_to_its_host_people(self) -> None:
        inside = make_event(self.alice, visibility="organization", host_id=self.alpha.pk)
        self.assertTrue(Event.objects.visible_to(self.bob).filter(pk=inside.pk).exists())
        self.assertFalse(Event.objects.visible_to(self.carol).filter(pk=inside.pk).exists())

    def test_a_new_time_tells_the_registrants(self) -> None:
        event = make_event(self.alice)
        actions.do_register(self.bob, event)
        data = actions.EventData(title=event.title, kind=event.kind, starts_at=event.starts_at, ends_at=event.ends_at)
        data.place = "ห้องประชุมใหญ่"
        actions.do_update_event(self.alice, event, data, event.version)
        self.assertTrue(Notification.objects.filter(recipient=self.bob, kind="event_changed").exists())
        with self.assertRaises(actions.EventConflict):
            actions.do_update_event(self.alice, event, data, 1)


class FairGateTests(EventTestCase):
    def test_the_fair_waits_for_a_network_of_two_years_with_verified_stories(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            make_event(self.manager, kind="fair")
        self.assertIn("kind", caught.exception.error_dict)


class SessionEditTests(EventTestCase):
    def test_editing_an_event_keeps_its_sessions_rows_and_what_hangs_on_them(self) -> None:
        first = actions.SessionData(title="ช่วงเช้า", speaker_ids=[self.bob.pk])
        event = make_event(self.alice, sessions=[first, actions.SessionData(title="ช่วงบ่าย")])
        morning = event.sessions.get(title="ช่วงเช้า")
        data = actions.EventData(title=event.title, kind=event.kind, starts_at=event.starts_at, ends_at=event.ends_at)
        data.sessions = [actions.SessionData(title="ช่วงเช้า (ปรับ)", speaker_ids=[self.bob.pk, self.carol.pk])]
        actions.do_update_event(self.alice, event, data, event.version)
        [kept] = event.sessions.all()
        self.assertEqual((kept.pk, kept.title), (morning.pk, "ช่วงเช้า (ปรับ)"))
        self.assertEqual(set(kept.speakers.values_list("username", flat=True)), {"bob", "carol"})
