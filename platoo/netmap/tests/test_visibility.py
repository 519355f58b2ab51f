"""Secret CoPs and people never reach those who may not see them: data endpoint, API, exports, page, measures."""

import json
from typing import Any

from django.test import override_settings
from django.urls import reverse

from platoo.accounts.models import User
from platoo.netmap.models import MeasureSnapshot

from .base import MapTestCase, edge_set, node_ids

SURFACES = ["data", "api", "nodes_csv", "edges_csv", "graphml", "page"]


class SecretCommunityTests(MapTestCase):
    def fetch(self, surface: str, user: User | None) -> str:
        if user is not None:
            self.client.force_login(user)
        else:
            self.client.logout()
        url = (
            "/api/v1/network/map" if surface == "api" else reverse(f"netmap:{'map' if surface == 'page' else surface}")
        )
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, surface)
        return b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()

    def test_outsiders_never_see_a_secret_cop_on_any_surface(self) -> None:
        secret_key = f"community:{self.secret.pk}"
        for user in (None, self.carol, self.dave):
            for surface in SURFACES:
                with self.subTest(user=str(user), surface=surface):
                    text = self.fetch(surface, user)
                    self.assertNotIn(secret_key, text)
                    self.assertNotIn("secret-cop", text)
                    self.assertIn(f"community:{self.public.pk}" if surface != "page" else "open-cop", text)

    def test_outsiders_see_no_tie_that_only_the_secret_cop_makes(self) -> None:
        # erin (beta) reused alpha's item in secret-cop, where bob (alpha) and erin also met.
        alpha, beta = f"organization:{self.alpha.pk}", f"organization:{self.beta.pk}"
        outsider = self.map_json(self.carol)
        self.assertNotIn((alpha, beta), edge_set(outsider, "reuse"))
        member = self.map_json(self.bob)
        self.assertIn((alpha, beta), edge_set(member, "reuse"))
        weights = {(e["source"], e["target"]): e["weight"] for e in member["edges"] if e["kind"] == "coparticipation"}
        outsider_weights = {
            (e["source"], e["target"]): e["weight"] for e in outsider["edges"] if e["kind"] == "coparticipation"
        }
        # Members: the secret CoP, its meeting and the open-cop meeting; outsiders: the open-cop meeting and CoP.
        self.assertEqual(weights[(alpha, beta)], 4)
        self.assertEqual(outsider_weights[(alpha, beta)], 2)

    def test_outsiders_see_no_membership_edge_to_the_secret_cop_nor_count_it(self) -> None:
        body = self.map_json(self.carol)
        secret_key = f"community:{self.secret.pk}"
        self.assertFalse([e for e in body["edges"] if secret_key in (e["source"], e["target"])])
        self.assertEqual(body["summary"]["matched"]["community"], 2)
        self.assertEqual(self.map_json(self.bob)["summary"]["matched"]["community"], 3)

    def test_members_invitees_and_superusers_see_the_secret_cop(self) -> None:
        from platoo.communities.actions import do_invite

        do_invite(self.alice, self.secret, "carol")  # carol is invited, not yet a member
        secret_key = f"community:{self.secret.pk}"
        for user in (self.alice, self.bob, self.carol, self.admin):
            with self.subTest(user=user.username):
                body = self.map_json(user)
                self.assertIn(secret_key, node_ids(body))
        member_edges = edge_set(self.map_json(self.bob), "member")
        self.assertIn((f"person:{self.bob.pk}", secret_key), member_edges)
        self.assertNotIn((f"person:{self.carol.pk}", secret_key), member_edges)  # invited is not a member

    def test_a_member_of_the_secret_cop_does_not_share_an_outsiders_cached_map(self) -> None:
        self.map_json(self.carol)  # fills the cache for the plain member scope
        self.assertIn(f"community:{self.secret.pk}", node_ids(self.map_json(self.bob)))
        self.assertNotIn(f"community:{self.secret.pk}", node_ids(self.map_json(self.dave)))

    def test_the_measures_never_include_the_secret_cop_even_for_its_members(self) -> None:
        for user in (self.alice, self.bob, None):
            with self.subTest(user=str(user)):
                text = self.fetch("page", user)
                aside = text[text.index('id="measures-heading"') :]
                self.assertNotIn("secret-cop", aside)
        for snapshot in MeasureSnapshot.objects.all():
            self.assertNotIn(f"community:{self.secret.pk}", json.dumps(snapshot.results))
        member = MeasureSnapshot.objects.get(view="member")
        # alice, bob, carol, erin; alpha, beta, gamma; open-cop, closed-cop (dave belongs nowhere).
        self.assertEqual(member.node_count, 9)

    @override_settings(NETMAP_NODE_BUDGET=3)
    def test_aggregated_views_keep_the_secret_out_of_counts_and_ties(self) -> None:
        body = self.map_json(self.carol)
        self.assertTrue(body["aggregation"]["applied"])
        self.assertNotIn("secret", json.dumps(body))
        self.assertEqual(sum(body["aggregation"]["hidden_nodes"].values()) + len(body["nodes"]), 5)


class PeopleTests(MapTestCase):
    def people(self, body: dict[str, Any]) -> list[str]:
        return [n for n in node_ids(body) if n.startswith("person:")]

    def test_visitors_never_see_people_or_their_numbers(self) -> None:
        body = self.map_json()
        self.assertEqual(self.people(body), [])
        self.assertFalse(body["people_shown"])
        self.assertNotIn("person", body["summary"]["matched"])
        self.assertFalse([e for e in body["edges"] if e["kind"] == "staff" or "person:" in e["source"]])
        self.assertFalse([n for n in body["nodes"] if "people" in n])
        for surface in ("nodes_csv", "edges_csv", "graphml", "api"):
            self.client.logout()
            url = "/api/v1/network/map" if surface == "api" else reverse(f"netmap:{surface}")
            response = self.client.get(url)
            text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
            with self.subTest(surface=surface):
                self.assertNotIn("person:", text)
                self.assertNotIn("/people/", text)
                self.assertNotIn("อลิซ", text)

    def test_visitors_see_that_people_are_counted_not_shown(self) -> None:
        body = self.map_json()
        self.assertIn("ลงชื่อเข้าใช้", body["aggregation"]["notes"][0])
        # alice and bob (alpha) are open-cop's members: the visitor sees alpha's tie to it, weight 2.
        weights = {(e["source"], e["target"]): e["weight"] for e in body["edges"] if e["kind"] == "member"}
        self.assertEqual(weights[(f"organization:{self.alpha.pk}", f"community:{self.public.pk}")], 2)

    def test_signed_in_members_see_people_with_their_pages(self) -> None:
        body = self.map_json(self.dave)
        alice = next(n for n in body["nodes"] if n["id"] == f"person:{self.alice.pk}")
        self.assertEqual(alice["label"], "อลิซ ใจดี")
        self.assertEqual(alice["url"], reverse("accounts:profile", args=["alice"]))
        self.assertIn((f"person:{self.alice.pk}", f"organization:{self.alpha.pk}"), edge_set(body, "staff"))
        # dave has no organization and no CoP: nothing to hang on, so not drawn.
        self.assertNotIn(f"person:{self.dave.pk}", node_ids(body))

    def test_only_member_organizations_are_drawn(self) -> None:
        for user in (None, self.dave, self.admin):  # dave is omega's contact person; admin manages the network
            with self.subTest(user=str(user)):
                ids = node_ids(self.map_json(user))
                self.assertNotIn(f"organization:{self.omega.pk}", ids)
                self.assertIn(f"organization:{self.gamma.pk}", ids)

    def test_inactive_people_drop_out(self) -> None:
        User.objects.filter(pk=self.bob.pk).update(is_active=False)
        self.assertNotIn(f"person:{self.bob.pk}", node_ids(self.map_json(self.carol)))
