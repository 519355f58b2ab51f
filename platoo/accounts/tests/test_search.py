from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from platoo.accounts.models import User
from platoo.search.registry import adapter_for, adapters

from .helpers import CastTestCase


class PersonSearchAdapterTests(CastTestCase):
    def setUp(self) -> None:
        self.adapter = adapters()["person"]

    def test_it_is_registered_for_users(self) -> None:
        self.assertIs(adapter_for(self.alice), self.adapter)

    def test_it_indexes_names_expertise_roles_position_and_organization(self) -> None:
        with translation.override("en"):
            entry = self.adapter.entry(self.adapter.indexable().get(pk=self.alice.pk))
        assert entry is not None
        self.assertEqual(entry.title, "อลิซ ใจดี Alice")
        for word in ("ถอดบทเรียน", "คุณอำนวย", "Facilitator", self.alpha.name_th, self.alpha.name_en):
            self.assertIn(word, entry.keywords)
        self.assertEqual(entry.url, self.alice.get_absolute_url())

    def test_it_leaves_inactive_people_out(self) -> None:
        self.alice.is_active = False
        self.assertIsNone(self.adapter.entry(self.alice))
        User.objects.filter(pk=self.alice.pk).update(is_active=False)
        self.assertNotIn(self.alice, self.adapter.visible(self.bob))

    def test_it_shows_people_to_signed_in_users_only(self) -> None:
        self.assertFalse(self.adapter.visible(AnonymousUser()).exists())
        self.assertIn(self.carol, self.adapter.visible(self.bob))

    def test_it_narrows_by_organization_and_drops_out_for_knowledge_filters(self) -> None:
        everyone = self.adapter.visible(self.bob)
        narrowed = self.adapter.narrow(everyone, {"org": "beta"})
        assert narrowed is not None
        self.assertEqual(list(narrowed), [self.carol])
        self.assertEqual(self.adapter.narrow(everyone, {"org": ""}).count(), everyone.count())
        for name in ("kind", "topic", "tag", "year"):
            self.assertIsNone(self.adapter.narrow(everyone, {name: "x"}))

    def test_it_loads_people_by_key_in_one_query(self) -> None:
        with self.assertNumQueries(1):
            loaded = self.adapter.load([self.alice.pk, self.carol.pk])
            self.assertEqual(loaded[self.carol.pk].organization, self.beta)
