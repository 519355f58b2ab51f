"""A secret community and everything in it stay invisible to outsiders, on every surface.

One secret CoP, named and filled with a word nobody else uses (มะขามป้อม), is checked against each
place something could leak: pages, lists and counts, search with its counts per type, feeds and
notifications, the people directory and profiles, knowledge pages, and API v1. Its members see it,
so each check also proves it is not merely missing.
"""

import json

from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from platoo.activity.actions import do_follow, feed_for
from platoo.activity.models import Notification
from platoo.communities import actions
from platoo.communities.models import CommunityVisibility, Meeting, Thread
from platoo.communities.tests.base import CoPTestCase, make_community, make_item, schedule
from platoo.netmap.graph import COMMUNITY, node_key
from platoo.netmap.measures import current
from platoo.search.query import search

WORD = "มะขามป้อม"


class SecretCommunityTests(CoPTestCase):
    """carol is a member of the network outside the CoP; bob is in it; dave follows bob."""

    @classmethod
    def setUpTestData(cls) -> None:
        with cls.captureOnCommitCallbacks(execute=True):  # the search index is written on commit
            super().setUpTestData()
            cls.hidden = make_community(
                cls.alice, "hidden-cop", CommunityVisibility.SECRET, name=f"วง{WORD}", purpose=f"เรื่อง{WORD}"
            )
            actions.do_invite(cls.alice, cls.hidden, "bob")
            actions.do_answer_invitation(cls.bob, cls.hidden, accept=True)
            membership = cls.hidden.memberships.get(user=cls.bob)
            actions.do_set_km_role(cls.alice, membership, "coordinator")
            do_follow(cls.dave, f"person:{cls.bob.pk}")
            cls.thread = actions.do_start_thread(
                cls.bob, cls.hidden, f"กระทู้{WORD}", f"ถาม @carol และ @dave เรื่องแปรรูป{WORD}"
            )
            actions.do_reply(cls.alice, cls.thread, f"ตอบเรื่อง{WORD}แช่อิ่ม")
            cls.meeting = schedule(cls.alice, cls.hidden, f"ประชุม{WORD}", days=-1, presenter=cls.bob)
            actions.do_write_minutes(cls.alice, cls.meeting, f"สรุป{WORD}", {}, cls.meeting.version)
            cls.item = make_item(cls.bob, "เรื่องเปิดเผยทั่วไป", visibility="public")
            actions.do_share_item(cls.bob, cls.hidden, cls.item)

    def outsiders(self) -> list[tuple[str, Client]]:
        anonymous, carol = Client(), Client()
        carol.force_login(self.carol)
        return [("anonymous", anonymous), ("carol", carol)]

    def test_its_pages_answer_not_found(self) -> None:
        urls = [
            self.hidden.get_absolute_url(),
            reverse("communities:meetings", args=["hidden-cop"]),
            reverse("communities:threads", args=["hidden-cop"]),
            self.meeting.get_absolute_url(),
            self.thread.get_absolute_url(),
        ]
        for who, client in self.outsiders():
            for url in urls:
                with self.subTest(who=who, url=url):
                    status = client.get(url).status_code
                    self.assertIn(status, (302, 404) if who == "anonymous" else (404,))
        member = Client()
        member.force_login(self.bob)
        for url in urls:
            self.assertEqual(member.get(url).status_code, 200, url)

    def test_lists_and_counts_leave_it_out(self) -> None:
        for who, client in self.outsiders():
            with self.subTest(who=who):
                page = client.get(reverse("communities:list"))
                self.assertNotContains(page, WORD)
                self.assertEqual(page.context["page"].paginator.count, 2)
                self.assertNotContains(client.get(self.item.get_absolute_url()), WORD)  # "shared in" links
                self.assertNotContains(client.get(reverse("knowledge:list")), WORD)

    def test_search_finds_nothing_and_counts_nothing(self) -> None:
        for user in (AnonymousUser(), self.carol):
            results = search(user, WORD)
            self.assertEqual((results.total, results.hits), (0, []), user)
            self.assertEqual(sum(results.counts.values()), 0)
        member = search(self.bob, WORD)
        self.assertEqual({hit.label for hit in member.hits}, {"community", "thread", "meeting"})

    def test_feeds_and_notifications_say_nothing_to_outsiders(self) -> None:
        self.assertFalse([a for a in feed_for(self.dave) if WORD in a.title])  # dave follows bob
        self.assertFalse(Notification.objects.filter(recipient__in=[self.carol, self.dave]).exists())
        self.assertTrue(Notification.objects.filter(recipient=self.bob, kind="reply").exists())
        client = Client()
        client.force_login(self.dave)
        self.assertNotContains(client.get(reverse("activity:feed")), WORD)
        self.assertNotContains(client.get("/api/v1/feed"), WORD)

    def test_the_people_directory_and_profiles_keep_the_role_and_the_presentation_hidden(self) -> None:
        _anonymous, carol = self.outsiders()[1]
        profile = carol.get(self.bob.get_absolute_url())
        self.assertNotContains(profile, WORD)
        self.assertNotContains(carol.get(reverse("people:list") + "?role=coordinator"), "Bob")
        self.assertNotContains(carol.get(f"/api/v1/people/{self.bob.username}/evidence"), WORD)
        self.assertNotContains(carol.get(f"/api/v1/people/{self.bob.username}"), "hidden-cop")
        member = Client()
        member.force_login(self.alice)
        self.assertContains(member.get(self.bob.get_absolute_url()), WORD)

    def test_the_api_answers_not_found_and_counts_nothing(self) -> None:
        paths = [
            "/api/v1/communities/hidden-cop",
            "/api/v1/communities/hidden-cop/members",
            "/api/v1/communities/hidden-cop/threads",
            f"/api/v1/communities/hidden-cop/threads/{self.thread.pk}",
            "/api/v1/communities/hidden-cop/meetings",
            f"/api/v1/communities/hidden-cop/meetings/{self.meeting.pk}",
            "/api/v1/communities/hidden-cop/health",
        ]
        for who, client in self.outsiders():
            with self.subTest(who=who):
                listed = client.get("/api/v1/communities").json()
                self.assertEqual(listed["count"], 2)
                self.assertNotIn(WORD, str(listed))
                self.assertEqual(client.get("/api/v1/search", {"q": WORD}).json()["total"], 0)
                for path in paths:
                    self.assertIn(client.get(path).status_code, (401, 404), path)
        self.assertEqual(Thread.objects.count(), 1)
        self.assertEqual(Meeting.objects.count(), 1)

    def test_the_network_map_its_exports_and_measures_leave_it_out(self) -> None:

        for who, client in self.outsiders():
            for name in ("netmap:map", "netmap:data", "netmap:nodes_csv", "netmap:edges_csv", "netmap:graphml"):
                with self.subTest(who=who, surface=name):
                    response = client.get(reverse(name))
                    body = b"".join(response.streaming_content) if response.streaming else response.content
                    self.assertEqual(response.status_code, 200)
                    self.assertNotIn(WORD, body.decode())
                    self.assertNotIn(b"hidden-cop", body)
            self.assertNotIn(WORD, client.get("/api/v1/network/map").content.decode())
        member = Client()
        member.force_login(self.bob)
        self.assertIn(WORD, member.get(reverse("netmap:data")).content.decode())
        hidden = node_key(COMMUNITY, self.hidden.pk)
        for user in (AnonymousUser(), self.carol, self.bob):  # measures leave secret CoPs out for everyone
            snapshot = current(user).snapshot
            assert snapshot is not None
            self.assertNotIn(hidden, json.dumps(snapshot.results))

    def test_a_public_community_turned_secret_takes_its_content_with_it(self) -> None:
        open_ = make_community(self.alice, "was-open", name="วงเปิดเดิม")
        with self.captureOnCommitCallbacks(execute=True):
            thread = actions.do_start_thread(self.alice, open_, "กระทู้ส้มโอ", "เรื่องส้มโอ")
        do_follow(self.carol, f"community:{open_.pk}")
        self.assertTrue([a for a in feed_for(self.carol) if a.title == "กระทู้ส้มโอ"])
        with self.captureOnCommitCallbacks(execute=True):
            data = actions.CommunityData(
                name=open_.name, slug=open_.slug, domain=open_.domain, level=open_.level, visibility="secret"
            )
            actions.do_update_community(self.alice, open_, data)
        self.assertFalse([a for a in feed_for(self.carol) if a.title == "กระทู้ส้มโอ"])
        self.assertEqual(search(self.carol, "ส้มโอ").total, 0)
        client = Client()
        client.force_login(self.carol)
        self.assertEqual(client.get(thread.get_absolute_url()).status_code, 404)
