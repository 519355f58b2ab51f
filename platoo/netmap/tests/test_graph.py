"""Building the map: ties, filters, the display budget, cache invalidation and the edge-source registry."""

from collections.abc import Iterator
from unittest import mock

from django.test import override_settings

from platoo.communities.actions import do_join
from platoo.knowledge.models import Topic
from platoo.lib.provinces import provinces_in, region_of
from platoo.netmap import registry
from platoo.netmap.graph import Filters, build, load, scope_for
from platoo.netmap.registry import Edge, EdgeKind
from platoo.netmap.signals import data_version
from platoo.network.models import NetworkLink

from .base import MapTestCase, community, edge_set, link, make_organization, make_person, node_ids


class TiesTests(MapTestCase):
    def test_it_draws_every_kind_of_tie_a_member_may_see(self) -> None:
        body = self.map_json(self.carol)
        alpha, beta = f"organization:{self.alpha.pk}", f"organization:{self.beta.pk}"
        public = f"community:{self.public.pk}"
        self.assertIn((f"person:{self.carol.pk}", beta), edge_set(body, "staff"))
        self.assertIn((f"person:{self.bob.pk}", public), edge_set(body, "member"))
        self.assertIn((alpha, public), edge_set(body, "partner"))
        self.assertIn((alpha, beta), edge_set(body, "link"))
        self.assertIn((alpha, beta), edge_set(body, "coparticipation"))
        link_edge = next(e for e in body["edges"] if e["kind"] == "link")
        self.assertEqual((link_edge["level"], link_edge["directed"]), (3, False))

    def test_a_share_counts_as_reuse_only_across_organizations(self) -> None:
        from platoo.communities.actions import do_share_item

        own = self.alpha_item
        do_share_item(self.bob, self.public, own)  # bob is alpha too: no reuse
        self.assertEqual(edge_set(self.map_json(self.carol), "reuse"), set())
        with self.captureOnCommitCallbacks(execute=True):  # the change replaces the cached map
            do_share_item(self.carol, self.public, own)  # already shared into open-cop: still bob's share
            do_share_item(self.carol, community(self.carol, "carol-cop"), own)
        reuse = [e for e in self.map_json(self.carol)["edges"] if e["kind"] == "reuse"]
        self.assertEqual(len(reuse), 1)
        self.assertEqual(
            (reuse[0]["source"], reuse[0]["target"]), (f"organization:{self.alpha.pk}", f"organization:{self.beta.pk}")
        )
        self.assertTrue(reuse[0]["directed"])

    def test_network_links_at_two_levels_stay_two_ties(self) -> None:
        link(self.admin, self.beta, self.alpha, 5)
        links = [e for e in self.map_json(self.carol)["edges"] if e["kind"] == "link"]
        self.assertEqual(sorted(e["level"] for e in links), [3, 5])

    def test_nodes_link_to_their_pages_and_carry_what_sizes_them(self) -> None:
        body = self.map_json(self.carol)
        nodes = {n["id"]: n for n in body["nodes"]}
        public = nodes[f"community:{self.public.pk}"]
        self.assertEqual((public["url"], public["members"], public["level"]), ("/communities/open-cop/", 3, 2))
        alpha = nodes[f"organization:{self.alpha.pk}"]
        self.assertEqual(
            (alpha["url"], alpha["people"], alpha["sector"], alpha["region"]),
            ("/organizations/alpha/", 2, "government", "north"),
        )
        # alpha: alice and bob, open-cop (partner) and beta (link); co-participation is not a direct tie.
        self.assertEqual(alpha["degree"], 4)

    def test_english_readers_get_english_names_from_the_same_cache(self) -> None:
        label = {}
        for language in ("th", "en"):
            self.client.cookies["django_language"] = language
            body = self.map_json(self.carol)
            label[language] = next(n["label"] for n in body["nodes"] if n["id"] == f"organization:{self.alpha.pk}")
        self.assertEqual(label, {"th": "หน่วยงาน alpha", "en": "Org alpha"})
        api = self.client.get("/api/v1/network/map", headers={"accept-language": "en"}).json()
        self.assertIn("Org alpha", {n["label"] for n in api["nodes"]})


class FilterTests(MapTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.far = community(cls.carol, "far-cop", level=4)
        cls.health = Topic.objects.create(slug="health", name_th="สุขภาพ", name_en="Health")
        nursing = Topic.objects.create(slug="nursing", name_th="การพยาบาล", name_en="Nursing", parent=cls.health)
        cls.far.topics.set([nursing])

    def ids(self, **params: object) -> set[str]:
        return node_ids(self.map_json(self.carol, **params))

    def keys(self, *objects: object) -> set[str]:
        names = {"Organization": "organization", "Community": "community", "User": "person"}
        return {f"{names[type(o).__name__]}:{o.pk}" for o in objects}  # type: ignore[attr-defined]

    def test_level_keeps_cops_and_links_at_that_level_and_what_hangs_on_them(self) -> None:
        self.assertEqual(self.ids(level=4), self.keys(self.far, self.carol, self.beta))
        body = self.map_json(self.carol, level=3)
        self.assertEqual(node_ids(body), self.keys(self.alpha, self.beta))
        self.assertEqual({e["kind"] for e in body["edges"]}, {"link"})
        body = self.map_json(self.carol, level=2)
        self.assertEqual(
            node_ids(body), self.keys(self.public, self.closed, self.alice, self.bob, self.carol, self.alpha, self.beta)
        )
        self.assertNotIn("link", {e["kind"] for e in body["edges"]})

    def test_sector_keeps_its_organizations_their_people_and_their_cops(self) -> None:
        body = self.map_json(self.carol, sector="academic")
        self.assertEqual(node_ids(body), self.keys(self.beta, self.carol, self.erin, self.public, self.far))
        self.assertNotIn("partner", {e["kind"] for e in body["edges"]})  # alpha's tie to open-cop left with alpha

    def test_region_uses_the_provinces_region(self) -> None:
        self.assertEqual(
            self.ids(region="north"), self.keys(self.alpha, self.alice, self.bob, self.public, self.closed)
        )
        self.assertEqual(self.ids(region="south"), self.keys(self.gamma))  # nothing tied to it: still drawn
        self.assertEqual(region_of("Songkhla"), "south")
        self.assertIn("Chiang Mai", provinces_in("north"))

    def test_topic_includes_the_topics_under_it(self) -> None:
        self.assertEqual(self.ids(topic="health"), self.keys(self.far, self.carol, self.beta))
        self.assertEqual(self.ids(topic="nursing"), self.ids(topic="health"))

    def test_filters_combine(self) -> None:
        self.assertEqual(
            self.ids(sector="government", level=2),
            self.keys(self.alpha, self.alice, self.bob, self.public, self.closed),
        )
        self.assertEqual(self.ids(sector="academic", topic="health"), self.keys(self.beta, self.carol, self.far))
        self.assertEqual(self.ids(region="south", level=2), set())

    def test_coparticipation_follows_the_chosen_cops(self) -> None:
        alpha, beta = f"organization:{self.alpha.pk}", f"organization:{self.beta.pk}"
        self.assertIn((alpha, beta), edge_set(self.map_json(self.carol, level=2), "coparticipation"))
        self.assertEqual(edge_set(self.map_json(self.carol, level=4), "coparticipation"), set())

    def test_the_filters_are_echoed(self) -> None:
        body = self.map_json(self.carol, level=4, topic="health")
        self.assertEqual(body["filters"], {"level": 4, "sector": None, "region": None, "topic": "health", "tie": None})


class BudgetTests(MapTestCase):
    @override_settings(NETMAP_NODE_BUDGET=8)
    def test_above_the_budget_people_fold_into_their_organizations_and_it_says_so(self) -> None:
        body = self.map_json(self.carol)
        self.assertEqual(body["aggregation"]["people_folded"], 4)
        self.assertTrue(body["aggregation"]["applied"])
        self.assertFalse([n for n in body["nodes"] if n["type"] == "person"])
        self.assertEqual(body["summary"]["matched"]["person"], 4)
        alpha = next(n for n in body["nodes"] if n["id"] == f"organization:{self.alpha.pk}")
        self.assertEqual(alpha["people"], 2)
        weights = {(e["source"], e["target"]): e["weight"] for e in body["edges"] if e["kind"] == "member"}
        self.assertEqual(weights[(f"organization:{self.alpha.pk}", f"community:{self.public.pk}")], 2)
        self.assertIn("4", body["aggregation"]["notes"][0])
        self.assertIn("หน่วยงาน", body["aggregation"]["notes"][0])

    @override_settings(NETMAP_NODE_BUDGET=3)
    def test_beyond_that_only_the_most_connected_stay_and_the_rest_are_counted(self) -> None:
        body = self.map_json(self.carol)
        self.assertEqual(
            node_ids(body),
            {f"organization:{self.alpha.pk}", f"organization:{self.beta.pk}", f"community:{self.public.pk}"},
        )
        self.assertEqual(body["aggregation"]["hidden_nodes"], {"community": 1, "organization": 1})
        self.assertTrue(any("ซ่อน" in note for note in body["aggregation"]["notes"]))

    @override_settings(NETMAP_EDGE_BUDGET=2)
    def test_the_weakest_ties_go_first_and_are_counted(self) -> None:
        body = self.map_json(self.carol)
        self.assertEqual(len(body["edges"]), 2)
        self.assertIn("link", {e["kind"] for e in body["edges"]})  # links are kept first
        self.assertEqual(sum(body["aggregation"]["hidden_edges"].values()), len(self.full_edges()) - 2)
        self.assertTrue(body["aggregation"]["applied"])

    def full_edges(self) -> list[Edge]:
        return build(load(scope_for(self.carol)), Filters()).edges

    def test_coparticipation_keeps_each_organizations_strongest_ties_when_it_would_swamp_the_map(self) -> None:
        from platoo.netmap import graph

        orgs = [make_organization(self.admin, f"co{n}") for n in range(5)]
        people = [make_person(self.admin, f"co-person{n}", org) for n, org in enumerate(orgs)]
        first, second = community(people[0], "co-first"), community(people[0], "co-second")
        for person in people[1:]:
            do_join(person, first)
        do_join(people[1], second)  # co0 and co1 share two CoPs: their tie is the strongest
        keys = [f"organization:{o.pk}" for o in orgs]
        with mock.patch.object(graph, "DERIVED_PER_NODE", 1):
            body = self.map_json(self.carol, level=2)
        ties = {(e["source"], e["target"]): e["weight"] for e in body["edges"] if e["kind"] == "coparticipation"}
        self.assertEqual(ties[(keys[0], keys[1])], 2)
        self.assertLessEqual(len(ties), 8)  # one per organization at most (8 organizations here)
        self.assertGreater(body["aggregation"]["hidden_edges"]["coparticipation"], 0)
        self.assertIn("ร่วมกิจกรรม", " ".join(body["aggregation"]["notes"]))
        full = build(load(scope_for(self.carol)), Filters(level=2))  # without a budget, as the downloads
        among = [e for e in full.edges if e.kind == "coparticipation" and e.source in keys and e.target in keys]
        self.assertEqual(len(among), 10)

    def test_within_the_budget_nothing_is_aggregated(self) -> None:
        body = self.map_json(self.carol)
        self.assertFalse(body["aggregation"]["applied"])
        self.assertEqual(body["aggregation"]["notes"], [])
        self.assertEqual(body["aggregation"]["node_budget"], 1500)


class CacheTests(MapTestCase):
    def test_a_committed_change_reaches_the_next_map(self) -> None:
        before = data_version()
        self.map_json(self.carol)
        with self.captureOnCommitCallbacks(execute=True):
            link(self.admin, self.gamma, self.beta, 6)
        self.assertNotEqual(data_version(), before)
        self.assertIn(
            (f"organization:{self.beta.pk}", f"organization:{self.gamma.pk}"),
            edge_set(self.map_json(self.carol), "link"),
        )

    def test_signing_in_does_not_invalidate_the_map(self) -> None:
        with self.captureOnCommitCallbacks() as callbacks:
            self.carol.save(update_fields=["last_login"])
        self.assertEqual(callbacks, [])
        with self.captureOnCommitCallbacks() as callbacks:
            self.public.topics.add(Topic.objects.create(slug="t", name_th="ท", name_en="T"))
        self.assertTrue(callbacks)

    def test_viewers_who_see_the_same_share_a_scope(self) -> None:
        self.assertEqual(scope_for(self.carol).key, scope_for(self.dave).key)
        self.assertNotEqual(scope_for(self.carol).key, scope_for(self.bob).key)  # bob is in secret-cop
        self.assertEqual(scope_for(None).key, "anonymous")


class Applied:
    """A source another app could register: "organization B applied knowledge from A"."""

    kind = EdgeKind("applied", "นำไปประยุกต์ใช้", directed=True, colour="#000000")
    models = (NetworkLink,)

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def edges(self, scope: object) -> Iterator[Edge]:
        for source, target in self.pairs:
            yield Edge(source, target, "applied")


class RegistryTests(MapTestCase):
    def test_other_apps_add_ties_and_the_map_keeps_only_what_the_viewer_sees(self) -> None:
        alpha, gamma = f"organization:{self.alpha.pk}", f"organization:{self.gamma.pk}"
        source = Applied(
            [(alpha, gamma), (alpha, f"community:{self.secret.pk}"), (gamma, f"organization:{self.omega.pk}")]
        )
        with (
            mock.patch.object(registry, "_edge_sources", [*registry.edge_sources(), source]),
            mock.patch.object(registry, "_kinds", {**registry.edge_kinds(), "applied": source.kind}),
        ):
            body = self.map_json(self.carol)
            page = self.client.get("/network/map/")
        self.assertEqual(edge_set(body, "applied"), {(alpha, gamma)})
        self.assertContains(page, "นำไปประยุกต์ใช้")  # in the legend
