"""Measures on a small known network; exact or sampled betweenness; the background path; freshness."""

from datetime import timedelta

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from platoo.accounts.tests.helpers import CastTestCase, make_organization, make_person
from platoo.communities.actions import do_join
from platoo.communities.models import CommunityVisibility
from platoo.netmap import measures
from platoo.netmap.models import MeasureSnapshot, MeasureView
from platoo.netmap.tasks import compute_measures
from platoo.network.models import Sector

from .base import community

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


class KnownNetworkTestCase(CastTestCase):
    """Two CoPs joined only by frank (delta): alice and bob (alpha) meet in north-cop, carol (beta) in
    south-cop, frank in both. gamma is a member organization nobody is tied to. A secret CoP of dave's
    would make dave and gamma's person bridges if it counted."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.gamma = make_organization(cls.admin, "gamma", Sector.PRIVATE, "Yala")
        cls.delta = make_organization(cls.admin, "delta", Sector.COMMUNITY, "Nan")
        cls.frank = make_person(cls.admin, "frank", cls.delta, name_th="ฟ้า สะพาน")
        cls.north = community(cls.alice, "north-cop")
        do_join(cls.bob, cls.north)
        do_join(cls.frank, cls.north)
        cls.south = community(cls.carol, "south-cop")
        do_join(cls.frank, cls.south)
        cls.hidden = community(cls.dave, "hidden-cop", visibility=CommunityVisibility.SECRET)

    def setUp(self) -> None:
        super().setUp()
        cache.clear()


class MeasureTests(KnownNetworkTestCase):
    def test_the_bridge_person_has_the_top_betweenness(self) -> None:
        snapshot = measures.compute(MeasureView.MEMBER)
        people = snapshot.results["bridges"]["person"]
        self.assertEqual(people[0][0], f"person:{self.frank.pk}")
        self.assertGreater(people[0][1], people[1][1] if len(people) > 1 else 0)
        self.assertTrue(snapshot.exact)
        self.assertIsNone(snapshot.samples)

    def test_visitors_measures_have_organizations_and_cops_only(self) -> None:
        snapshot = measures.compute(MeasureView.ANONYMOUS)
        self.assertEqual(snapshot.results["bridges"]["person"], [])
        self.assertEqual(snapshot.results["bridges"]["organization"][0][0], f"organization:{self.delta.pk}")
        self.assertEqual(snapshot.node_count, 6)  # alpha, beta, gamma, delta, north-cop, south-cop
        self.assertNotIn("person:", str(snapshot.results))

    def test_an_isolated_member_organization_is_listed(self) -> None:
        for view in MeasureView.values:
            with self.subTest(view=view):
                self.assertEqual(measures.compute(view).results["isolated"], [f"organization:{self.gamma.pk}"])

    def test_degree_components_and_clusters(self) -> None:
        results = measures.compute(MeasureView.MEMBER).results
        # north-cop: alice, bob, frank; frank: delta, north-cop, south-cop.
        self.assertEqual(results["degree"]["community"][0], [f"community:{self.north.pk}", 3])
        self.assertEqual(results["degree"]["person"][0], [f"person:{self.frank.pk}", 3])
        self.assertEqual(results["components"], {"count": 2, "sizes": [9, 1]})  # everything, and gamma alone
        self.assertGreaterEqual(results["clusters"]["count"], 2)

    def test_the_secret_cop_counts_for_no_one(self) -> None:
        for view in MeasureView.values:
            snapshot = measures.compute(view)
            self.assertNotIn(f"community:{self.hidden.pk}", str(snapshot.results))
        self.client.force_login(self.dave)  # the secret CoP's own admin
        response = self.client.get(reverse("netmap:map"))
        aside = response.content.decode().split('id="measures-heading"')[1]
        self.assertNotIn("hidden-cop", aside)
        self.assertIn("hidden-cop", response.content.decode())  # while the map itself shows dave his CoP

    @override_settings(NETMAP_EXACT_BETWEENNESS_NODES=5, NETMAP_BETWEENNESS_SAMPLES=4)
    def test_above_the_exact_limit_betweenness_is_sampled_and_the_page_says_so(self) -> None:
        snapshot = measures.compute(MeasureView.MEMBER)
        self.assertFalse(snapshot.exact)
        self.assertEqual(snapshot.samples, 4)
        self.client.force_login(self.carol)
        self.assertContains(self.client.get(reverse("netmap:map")), "สุ่ม")

    def test_the_page_lists_the_measures_with_links(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("netmap:map"))
        self.assertContains(response, f'<a href="{reverse("accounts:profile", args=["frank"])}">ฟ้า สะพาน</a>')
        self.assertContains(response, reverse("network:organization", args=["gamma"]))
        self.assertContains(response, 'id="isolated-list"')
        self.assertIsNotNone(MeasureSnapshot.objects.filter(view=MeasureView.MEMBER).first())

    def test_visitors_are_shown_the_visitors_measures(self) -> None:
        response = self.client.get(reverse("netmap:map"))
        self.assertNotContains(response, "ฟ้า สะพาน")
        self.assertTrue(MeasureSnapshot.objects.filter(view=MeasureView.ANONYMOUS).exists())
        self.assertFalse(MeasureSnapshot.objects.filter(view=MeasureView.MEMBER).exists())


class FreshnessTests(KnownNetworkTestCase):
    def test_a_fresh_snapshot_is_reused_and_a_change_makes_it_stale(self) -> None:
        first = measures.current(self.carol).snapshot
        assert first is not None
        again = measures.current(self.carol).snapshot
        assert again is not None
        self.assertEqual(again.computed_at, first.computed_at)
        with self.captureOnCommitCallbacks(execute=True):
            do_join(self.carol, self.north)
        self.assertTrue(measures.is_stale(first))
        latest = measures.current(self.carol).snapshot
        assert latest is not None
        self.assertGreater(latest.computed_at, first.computed_at)

    @override_settings(NETMAP_MEASURES_MAX_AGE_MINUTES=30)
    def test_an_old_snapshot_is_stale_whatever_the_version(self) -> None:
        snapshot = measures.compute(MeasureView.MEMBER)
        self.assertFalse(measures.is_stale(snapshot))
        MeasureSnapshot.objects.filter(pk=snapshot.pk).update(computed_at=timezone.now() - timedelta(minutes=31))
        snapshot.refresh_from_db()
        self.assertTrue(measures.is_stale(snapshot))

    def test_the_cost_estimate_grows_with_the_graph_and_sampling_caps_it(self) -> None:
        small, large = measures.estimate_seconds(300, 900), measures.estimate_seconds(20_000, 65_000)
        self.assertLess(small, 1)
        self.assertGreater(large, 1)
        with override_settings(NETMAP_EXACT_BETWEENNESS_NODES=100_000):
            self.assertGreater(measures.estimate_seconds(20_000, 65_000), 50 * large)


@override_settings(NETMAP_MEASURES_SYNC_MS=0, TASKS=DUMMY_TASKS)
class BackgroundTests(KnownNetworkTestCase):
    def setUp(self) -> None:
        super().setUp()
        default_task_backend.clear()  # type: ignore[attr-defined]

    def test_above_the_threshold_the_measures_are_queued_once_and_the_page_says_so(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("netmap:map"))
        self.assertContains(response, 'id="measures-stale"')
        self.assertContains(response, "ครั้งแรก")
        self.client.get(reverse("netmap:map"))
        queued = [r for r in default_task_backend.results if r.task.name == compute_measures.name]  # type: ignore[attr-defined]
        self.assertEqual(len(queued), 1)
        self.assertEqual(list(queued[0].args), [MeasureView.MEMBER])
        self.assertFalse(MeasureSnapshot.objects.exists())

        compute_measures.call(MeasureView.MEMBER)  # what the worker does
        self.assertIsNone(cache.get(measures.lock_key(MeasureView.MEMBER)))
        response = self.client.get(reverse("netmap:map"))
        self.assertNotContains(response, 'id="measures-stale"')
        self.assertContains(response, "ฟ้า สะพาน")

    def test_a_stale_snapshot_is_shown_with_its_date_while_it_is_recomputed(self) -> None:
        compute_measures.call(MeasureView.MEMBER)
        with self.captureOnCommitCallbacks(execute=True):
            do_join(self.carol, self.north)
        self.client.force_login(self.carol)
        response = self.client.get(reverse("netmap:map"))
        self.assertContains(response, "กำลังคำนวณใหม่")
        self.assertContains(response, "ฟ้า สะพาน")  # the last snapshot is still listed
        self.assertEqual(len(default_task_backend.results), 1)

    def test_with_the_immediate_backend_the_queued_work_is_done_before_the_page_renders(self) -> None:
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
            self.client.force_login(self.carol)
            response = self.client.get(reverse("netmap:map"))
        self.assertNotContains(response, 'id="measures-stale"')
        self.assertTrue(MeasureSnapshot.objects.filter(view=MeasureView.MEMBER).exists())
