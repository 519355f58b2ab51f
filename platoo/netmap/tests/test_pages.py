"""The page, the data endpoint, API v1 and the exports: what they answer, how they refuse, how many queries."""

import csv
import io
import json

import networkx as nx
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from platoo.accounts.models import User
from platoo.communities.actions import do_join
from platoo.netmap import measures

from .base import MapTestCase, community, link, make_organization, make_person, node_ids


def table(response: object) -> str:
    """The page's table of nodes (the measures beside it cover the whole network)."""
    html = content(response)
    return html[html.index('id="netmap-rows"') : html.index("</tbody>")]


def content(response: object) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return response.content.decode()  # type: ignore[attr-defined]


class PageTests(MapTestCase):
    def test_the_page_draws_lists_and_explains_the_map(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("netmap:map"))
        self.assertContains(response, "<h1>แผนที่เครือข่าย</h1>", html=True)
        self.assertContains(response, 'id="netmap-canvas"')
        self.assertContains(response, "vendor/cytoscape/cytoscape-3.35.0.min.js")
        self.assertContains(response, "js/netmap.js")
        self.assertContains(response, '<a href="/organizations/alpha/">หน่วยงาน alpha</a>', html=True)
        self.assertContains(response, "ความร่วมมือในเครือข่าย")  # the legend names the kinds of ties
        self.assertContains(response, "ค่าชี้วัดเครือข่าย")
        self.assertContains(response, 'id="netmap-legend"')

    def test_the_filters_work_without_javascript_and_reach_the_downloads(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("netmap:map"), {"sector": "academic"})
        self.assertContains(response, '<option value="academic" selected>', html=False)
        self.assertNotIn("/organizations/alpha/", table(response))
        self.assertIn("/organizations/beta/", table(response))
        self.assertContains(response, f"{reverse('netmap:graphml')}?sector=academic")
        self.assertContains(response, f"{reverse('netmap:nodes_csv')}?sector=academic")

    def test_bad_filters_are_explained_in_thai_and_lose_the_rest(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("netmap:data"), {"level": "9", "sector": "academic", "topic": "nope"})
        self.assertEqual(response.status_code, 400)
        body = response.json()
        self.assertEqual({e["field"] for e in body["errors"]}, {"level", "topic"})
        self.assertIn("ตัวกรอง", body["detail"])
        page = self.client.get(reverse("netmap:map"), {"level": "9", "sector": "academic"})
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, 'class="errorlist"')
        self.assertContains(page, '<option value="academic" selected>', html=False)
        self.assertNotIn("/organizations/alpha/", table(page))  # the valid filter still applies

    def test_the_main_navigation_and_the_network_profile_link_to_the_map(self) -> None:
        for url in (reverse("home"), reverse("network_profile:profile")):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), f'href="{reverse("netmap:map")}"')
        self.assertEqual(reverse("netmap:map"), "/network/map/")
        self.assertEqual(self.client.get("/network/map/").status_code, 200)
        self.assertEqual(self.client.get("/network/").status_code, 200)  # the profile is still there

    def test_the_table_says_when_the_map_is_empty(self) -> None:
        response = self.client.get(reverse("netmap:map"), {"region": "west"})
        self.assertContains(response, "ไม่มีส่วนใดของเครือข่ายตรงกับตัวกรองนี้")


class ExportTests(MapTestCase):
    def test_csv_downloads_list_nodes_and_ties_for_spreadsheets(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("netmap:nodes_csv"))
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn('attachment; filename="platoo-network-nodes.csv"', response["Content-Disposition"])
        text = content(response)
        self.assertTrue(text.startswith("\ufeff"))
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
        alpha = next(r for r in rows if r["id"] == f"organization:{self.alpha.pk}")
        self.assertEqual(
            (alpha["label"], alpha["sector"], alpha["region"], alpha["people"]),
            ("หน่วยงาน alpha", "government", "north", "2"),
        )
        edges = list(
            csv.DictReader(io.StringIO(content(self.client.get(reverse("netmap:edges_csv"))).lstrip("\ufeff")))
        )
        link_row = next(r for r in edges if r["kind"] == "link")
        self.assertEqual(
            (link_row["level"], link_row["label"], link_row["directed"]), ("3", "ความร่วมมือในเครือข่าย", "False")
        )

    def test_graphml_opens_in_networkx_with_its_attributes(self) -> None:
        self.client.force_login(self.carol)
        response = self.client.get(reverse("netmap:graphml"), {"level": "2"})
        self.assertIn("graphml", response["Content-Type"])
        g = nx.read_graphml(io.BytesIO(content(response).encode()))
        self.assertEqual(set(g.nodes), node_ids(self.map_json(self.carol, level=2)))
        public = g.nodes[f"community:{self.public.pk}"]
        self.assertEqual((public["type"], public["level"], public["url"]), ("community", 2, "/communities/open-cop/"))
        kinds = {data["kind"] for _s, _t, data in g.edges(data=True)}
        self.assertEqual(kinds, {"staff", "member", "partner", "coparticipation"})
        self.assertEqual(g.graph["filters"], "level=2")

    @override_settings(NETMAP_NODE_BUDGET=3, NETMAP_EDGE_BUDGET=2)
    def test_downloads_hold_the_whole_filtered_view_without_the_budget(self) -> None:
        self.client.force_login(self.carol)
        rows = list(csv.DictReader(io.StringIO(content(self.client.get(reverse("netmap:nodes_csv"))).lstrip("\ufeff"))))
        self.assertEqual(len(rows), 9)  # alpha, beta, gamma, open-cop, closed-cop, alice, bob, carol, erin
        self.assertEqual(len(self.map_json(self.carol)["nodes"]), 3)

    def test_bad_filters_refuse_the_download(self) -> None:
        response = self.client.get(reverse("netmap:nodes_csv"), {"sector": "martian"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"][0]["field"], "sector")


class ApiTests(MapTestCase):
    def test_it_answers_like_the_data_endpoint(self) -> None:
        self.client.force_login(self.carol)
        api = self.client.get("/api/v1/network/map", {"sector": "academic", "topic": ""})
        self.assertEqual(api.status_code, 200)
        self.assertEqual(api["Content-Type"], "application/json")
        self.assertEqual(api.json(), self.map_json(self.carol, sector="academic"))

    def test_its_answer_fits_the_documented_schema(self) -> None:
        from platoo.netmap.api import MapOut

        self.client.force_login(self.carol)
        MapOut.model_validate(self.client.get("/api/v1/network/map").json())
        self.client.logout()
        MapOut.model_validate(self.client.get("/api/v1/network/map", {"level": "3"}).json())

    def test_visitors_may_call_it_without_credentials(self) -> None:
        body = self.client.get("/api/v1/network/map", {"region": "north"}).json()
        self.assertEqual(
            node_ids(body),
            {f"organization:{self.alpha.pk}", f"community:{self.public.pk}", f"community:{self.closed.pk}"},
        )
        self.assertFalse(body["people_shown"])

    def test_it_refuses_bad_filters(self) -> None:
        self.assertEqual(self.client.get("/api/v1/network/map", {"level": "7"}).status_code, 422)
        self.assertEqual(self.client.get("/api/v1/network/map", {"region": "mars"}).status_code, 422)
        response = self.client.get("/api/v1/network/map", {"topic": "no-such-topic"})
        self.assertEqual(response.status_code, 404)

    def test_tokens_see_what_their_person_sees(self) -> None:
        from platoo.accounts.models import ApiToken

        _token, raw = ApiToken.issue(self.bob, "script")
        self.client.logout()
        body = self.client.get("/api/v1/network/map", headers={"authorization": f"Bearer {raw}"}).json()
        self.assertIn(f"community:{self.secret.pk}", node_ids(body))


class QueryCountTests(MapTestCase):
    """The endpoint and the page read a handful of lists whatever the network's size (no N+1)."""

    def grow(self) -> None:
        orgs = [make_organization(self.admin, f"org{n}") for n in range(6)]
        cops = [community(self.alice, f"grown-{n}", level=1 + n % 6) for n in range(4)]
        for n in range(12):
            person = make_person(self.admin, f"person{n}", orgs[n % 6])
            do_join(person, cops[n % 4])
            do_join(person, self.public)
        link(self.admin, orgs[0], orgs[1], 2)

    def counts(self, user: User | None) -> list[int]:
        """Queries of the data endpoint, cold (empty cache) then warm, and of the page with fresh measures."""
        self.client.logout()
        if user is not None:
            self.client.force_login(user)
        cache.clear()
        found = []
        for _state in ("cold", "warm"):
            with CaptureQueriesContext(connection) as queries:
                self.client.get(reverse("netmap:data"))
            found.append(len(queries))
        measures.compute(measures.view_for(user))  # the page then finds its measures fresh
        with CaptureQueriesContext(connection) as queries:
            self.client.get(reverse("netmap:map"))
        return [*found, len(queries)]

    def test_the_data_endpoint_and_the_page_take_a_fixed_number_of_queries(self) -> None:
        # Cold, a visitor's 9 lists: organizations, CoP topics, CoPs, people, memberships, partners,
        # links, shares, applied knowledge (cycle) (visitors read no meetings). A member adds their session, user and scope, the
        # permissions check (2) and meeting attendance; warm, the cache answers all but the first three.
        # The page adds the snapshot, the names in it (organizations, CoPs, people) and the topics.
        self.assertEqual(self.counts(None), [9, 0, 4])
        self.assertEqual(self.counts(self.carol), [15, 3, 11])  # the page: + the unread notifications
        with self.assertNumQueries(3):
            self.client.get(reverse("netmap:data"), {"level": 2, "sector": "academic"})

    def test_a_bigger_network_takes_the_same_queries(self) -> None:
        before = [self.counts(None), self.counts(self.carol)]
        self.grow()
        self.assertEqual([self.counts(None), self.counts(self.carol)], before)

    def test_the_json_is_compact_utf8(self) -> None:
        response = self.client.get(reverse("netmap:data"))
        self.assertIn("หน่วยงาน alpha", response.content.decode())
        self.assertEqual(response["Cache-Control"], "private, no-cache")
        json.loads(response.content)
