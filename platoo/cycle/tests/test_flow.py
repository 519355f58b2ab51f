"""The knowledge flow read back: per organization, across the network, and on the network map; only
applications of items the reader may read count, and one's own knowledge is not flow."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from platoo.accounts.tests.helpers import PASSWORD
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.visibility import Visibility
from platoo.netmap.graph import Filters, map_payload

from ..actions import ApplicationData, do_record_application
from ..flow import FlowFilter, network_flow, organization_flow, sankey
from ..models import ApplicationResult
from .flowcast import FlowTestCase, verified_item


def applied(case: FlowTestCase, who: object, item: KnowledgeItem, days_ago: int = 1, **extra: object) -> None:
    data = ApplicationData(
        item_id=item.pk,
        applied_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        where="หน่วยงานทดลอง",
        result=extra.pop("result", ApplicationResult.WORKED),  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )
    do_record_application(who, data)  # type: ignore[arg-type]


class FlowCase(FlowTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        written = timezone.now() - datetime.timedelta(days=800)
        cls.sbar = verified_item(cls, cls.alice, "การส่งเวรแบบ SBAR")  # alpha's
        cls.bedside = verified_item(cls, cls.carol, "การส่งเวรข้างเตียง")  # beta's
        cls.inside = verified_item(cls, cls.alice, "เรื่องภายในของอัลฟา", visibility=Visibility.ORGANIZATION)
        KnowledgeItem.objects.filter(pk__in=[cls.sbar.pk, cls.bedside.pk, cls.inside.pk]).update(created_at=written)
        applied(cls, cls.carol, cls.sbar)  # beta learned from alpha
        applied(cls, cls.gail, cls.sbar, days_ago=400)  # gamma learned from alpha, a year before
        applied(cls, cls.gail, cls.bedside, result=ApplicationResult.PARTLY)  # gamma learned from beta
        applied(cls, cls.bob, cls.sbar)  # alpha's own: not flow
        # An organization-only item applied on its organization's behalf by the hub (a superuser reads it).
        applied(cls, cls.admin, cls.inside, organization_id=cls.gamma.pk)


class NetworkFlowTests(FlowCase):
    def test_it_counts_flow_between_organizations_and_leaves_out_ones_own(self) -> None:
        flow = network_flow(self.carol, FlowFilter())
        pairs = {(f.source.code, f.target.code): f.count for f in flow.flows if f.source and f.target}
        self.assertEqual(pairs, {("alpha", "beta"): 1, ("alpha", "gamma"): 1, ("beta", "gamma"): 1})
        self.assertEqual((flow.total, flow.pairs, flow.own), (3, 3, 1))

    def test_it_counts_only_what_the_reader_may_read(self) -> None:
        # gamma's person reads network items only; alpha's people read alpha's own item too.
        self.assertEqual(network_flow(self.gail, FlowFilter()).total, 3)
        self.assertEqual(network_flow(self.bob, FlowFilter()).total, 4)
        self.assertEqual(network_flow(self.admin, FlowFilter()).total, 4)

    def test_it_filters_by_year_and_topic(self) -> None:
        last_year = (timezone.localdate() - datetime.timedelta(days=400)).year
        self.assertEqual(network_flow(self.carol, FlowFilter.of(year=last_year)).total, 1)
        self.assertEqual(network_flow(self.carol, FlowFilter.of(topic=self.topic)).total, 3)
        by_topic = network_flow(self.carol, FlowFilter()).by_topic
        self.assertEqual([(t.pk if t else None, n) for t, n in by_topic], [(self.topic.pk, 3)])

    def test_the_drawing_has_one_band_per_flow_as_thick_as_its_count(self) -> None:
        drawing = network_flow(self.carol, FlowFilter()).drawing
        self.assertEqual(len(drawing.bands), 3)
        self.assertEqual({box.label for box in drawing.left}, {self.alpha.display_name, self.beta.display_name})
        self.assertEqual(sankey([]).bands, [])


class OrganizationFlowTests(FlowCase):
    def test_it_lists_what_it_learned_from_whom_and_who_learned_from_it(self) -> None:
        gamma = organization_flow(self.carol, self.gamma)
        self.assertEqual(
            [(p.organization.code, p.count) for p in gamma.learned_from if p.organization], [("alpha", 1), ("beta", 1)]
        )
        self.assertEqual(gamma.learned_by, [])
        alpha = organization_flow(self.carol, self.alpha)
        self.assertEqual(
            sorted((p.organization.code, p.count) for p in alpha.learned_by if p.organization),
            [("beta", 1), ("gamma", 1)],
        )
        self.assertEqual((alpha.taught_total, alpha.own), (2, 1))


class PageTests(FlowCase):
    def test_the_network_flow_page_shows_the_table_and_the_drawing_in_few_queries(self) -> None:
        self.client.login(username="carol", password=PASSWORD)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("cycle:flow"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<svg", count=1)
        self.assertContains(response, self.alpha.name_th)
        # Session, user, the flows, their organizations, by topic, the topics, by year, one's own, the years,
        # notifications, the topic filter.
        self.assertEqual(len(queries), 11, [q["sql"][:150] for q in queries])

    def test_the_year_filter_takes_the_buddhist_year(self) -> None:
        self.client.login(username="carol", password=PASSWORD)
        last_year = (timezone.localdate() - datetime.timedelta(days=400)).year
        response = self.client.get(reverse("cycle:flow"), {"year": last_year + 543})
        self.assertEqual(response.context["flow"].total, 1)

    def test_the_organization_page_in_few_queries(self) -> None:
        self.client.login(username="carol", password=PASSWORD)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("cycle:organization_flow", args=["alpha"]))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, self.gamma.name_th)
        # Session, user, two of permissions, the organization, two tables with their organizations, one's own,
        # the latest both ways, notifications.
        self.assertEqual(len(queries), 12, [q["sql"][:150] for q in queries])

    def test_visitors_see_only_public_knowledge_in_the_flow(self) -> None:
        response = self.client.get(reverse("cycle:flow"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.context["flow"].total, 0)


class NetworkMapTests(FlowCase):
    def setUp(self) -> None:
        super().setUp()
        cache.clear()

    def ties(self, user: object) -> dict[tuple[str, str], float]:
        payload = map_payload(user, Filters())
        return {(e["source"], e["target"]): e["weight"] for e in payload["edges"] if e["kind"] == "applied"}

    def test_the_map_draws_applied_knowledge_between_organizations(self) -> None:
        ties = self.ties(self.carol)
        alpha, beta, gamma = (f"organization:{o.pk}" for o in (self.alpha, self.beta, self.gamma))
        self.assertEqual(ties, {(alpha, beta): 1, (alpha, gamma): 1, (beta, gamma): 1})

    def test_organization_only_knowledge_never_reaches_the_shared_map_but_a_superuser_sees_it(self) -> None:
        alpha, gamma = f"organization:{self.alpha.pk}", f"organization:{self.gamma.pk}"
        self.assertEqual(self.ties(self.bob)[(alpha, gamma)], 1)
        self.assertEqual(self.ties(self.admin)[(alpha, gamma)], 2)

    def test_visitors_see_ties_of_public_knowledge_only(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        self.assertEqual(self.ties(AnonymousUser()), {})
        KnowledgeItem.objects.filter(pk=self.bedside.pk).update(visibility=Visibility.PUBLIC)
        cache.clear()
        beta, gamma = f"organization:{self.beta.pk}", f"organization:{self.gamma.pk}"
        self.assertEqual(self.ties(AnonymousUser()), {(beta, gamma): 1})

    def test_the_map_shows_applied_knowledge_alone_with_its_tie_filter(self) -> None:
        self.client.force_login(self.carol)
        body = self.client.get(reverse("netmap:data"), {"tie": "applied"}).json()
        self.assertEqual({e["kind"] for e in body["edges"]}, {"applied"})
        alpha, beta, gamma = (f"organization:{o.pk}" for o in (self.alpha, self.beta, self.gamma))
        self.assertEqual({n["id"] for n in body["nodes"]}, {alpha, beta, gamma})  # no delta, no people
        self.assertEqual(body["filters"]["tie"], "applied")
        page = self.client.get(reverse("netmap:map"), {"tie": "applied"})
        self.assertContains(page, '<option value="applied" selected>')
        api = self.client.get("/api/v1/network/map", {"tie": "nonsense"})
        self.assertEqual(api.status_code, 422)
