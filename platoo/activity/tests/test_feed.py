from django.core.exceptions import ValidationError

from platoo.activity.actions import activities_about, do_follow, do_unfollow, feed_for, followed_keys, record
from platoo.activity.models import Activity, ActivitySubject, Follow, Verb
from platoo.communities import actions as cop
from platoo.knowledge.actions import ItemData, do_delete_item, do_update_item
from platoo.knowledge.models import KnowledgeItem
from platoo.lib.visibility import NETWORK_AUDIENCE, community_audience

from .base import ActivityTestCase, write_item

# What these tests make happen. The communities code also records that CoPs started and people
# joined when the cast is built; those rows are theirs to test.
VERBS = {Verb.ITEM_CREATED, Verb.THREAD_STARTED, Verb.ITEM_SHARED}


def titles(rows: object) -> list[str]:
    return [a.title for a in rows if a.verb in VERBS]  # type: ignore[attr-defined]


def edit(item: KnowledgeItem, **changes: object) -> KnowledgeItem:
    data = ItemData(
        title=item.title,
        body=item.body,
        visibility=item.visibility,
        organization_id=item.organization_id,
        author_ids=list(item.authors.values_list("pk", flat=True)),
    )
    for name, value in changes.items():
        setattr(data, name, value)
    author = item.authors.first()
    assert author is not None
    return do_update_item(author, item, data, base_version=item.version)


class FeedTests(ActivityTestCase):
    def secret_thread(self, title: str = "ความลับของวง") -> Activity:
        """What the communities code records for a discussion in the secret CoP."""
        return record(
            self.alice,
            Verb.THREAD_STARTED,
            title=title,
            url="/communities/secret-cop/",
            audience=community_audience(self.secret.pk),
            subjects=[f"community:{self.secret.pk}", f"person:{self.alice.pk}"],
            target="thread:1",
        )

    def test_the_feed_shows_followed_subjects_only(self) -> None:
        do_follow(self.bob, f"person:{self.alice.pk}")
        write_item(self.alice, "เรื่องของอลิซ")
        write_item(self.carol, "เรื่องของแครอล")
        self.assertEqual(titles(feed_for(self.bob)), ["เรื่องของอลิซ"])
        self.assertEqual(titles(feed_for(self.dave)), [])
        do_unfollow(self.bob, f"person:{self.alice.pk}")
        self.assertEqual(titles(feed_for(self.bob)), [])

    def test_a_secret_cops_activity_never_reaches_an_outsider_who_follows_its_author(self) -> None:
        for outsider in (self.bob, self.carol):
            do_follow(outsider, f"person:{self.alice.pk}")
        self.secret_thread()
        self.assertEqual(titles(feed_for(self.bob)), [])
        self.assertEqual(titles(feed_for(self.carol)), [])
        self.assertEqual(titles(activities_about(self.carol, f"person:{self.alice.pk}")), [])
        # once bob is a member he reads it
        cop.do_invite(self.alice, self.secret, "bob")
        self.assertEqual(titles(feed_for(self.bob)), [])  # invited is not yet a member
        cop.do_answer_invitation(self.bob, self.secret, accept=True)
        self.assertEqual(titles(feed_for(self.bob)), ["ความลับของวง"])
        self.assertEqual(titles(feed_for(self.carol)), [])

    def test_following_a_secret_cop_you_cannot_see_is_refused(self) -> None:
        key = f"community:{self.secret.pk}"
        with self.assertRaises(ValidationError):
            do_follow(self.carol, key)
        self.assertFalse(Follow.objects.filter(key=key, user=self.carol).exists())
        self.assertEqual(do_follow(self.alice, key)[1], True)
        self.assertEqual(do_follow(self.alice, key)[1], False)  # following twice is harmless
        self.assertEqual(do_follow(self.carol, f"community:{self.public.pk}")[1], True)

    def test_unknown_or_malformed_keys_and_yourself_are_refused(self) -> None:
        for key in ("community:999999", "planet:1", "person:", "person:abc", "", f"person:{self.carol.pk}"):
            with self.subTest(key=key), self.assertRaises(ValidationError):
                do_follow(self.carol, key)

    def test_activities_about_a_community_are_for_those_who_may_see_it(self) -> None:
        key = f"community:{self.secret.pk}"
        self.secret_thread()
        record(
            self.alice,
            Verb.ITEM_SHARED,
            title="เรื่องที่ทุกคนอ่านได้",
            url="/",
            audience=NETWORK_AUDIENCE,
            subjects=[key],
        )
        self.assertEqual(titles(activities_about(self.alice, key)), ["เรื่องที่ทุกคนอ่านได้", "ความลับของวง"])
        # an outsider gets nothing about a CoP they may not see, whatever its rows' audiences
        self.assertEqual(activities_about(self.carol, key), [])
        self.assertEqual(activities_about(None, key), [])
        self.assertEqual(titles(activities_about(self.alice, key, limit=1)), ["เรื่องที่ทุกคนอ่านได้"])

    def test_followed_keys_answers_for_many_buttons_in_one_query(self) -> None:
        do_follow(self.bob, f"person:{self.alice.pk}")
        keys = [f"person:{self.alice.pk}", f"person:{self.carol.pk}", f"topic:{self.health.pk}"]
        with self.assertNumQueries(1):
            self.assertEqual(followed_keys(self.bob, keys), {f"person:{self.alice.pk}"})
        with self.assertNumQueries(0):
            self.assertEqual(followed_keys(None, keys), set())


class KnowledgeActivityTests(ActivityTestCase):
    def test_a_new_item_is_about_its_authors_and_topics_with_the_topics_above_them(self) -> None:
        item = write_item(self.alice, "การส่งเวร", author_ids=[self.alice.pk, self.bob.pk], topic_ids=[self.nursing.pk])
        activity = Activity.objects.get(target=f"item:{item.pk}")
        self.assertEqual(activity.verb, Verb.ITEM_CREATED)
        self.assertEqual(activity.audience, NETWORK_AUDIENCE)
        self.assertEqual(activity.url, item.get_absolute_url())
        self.assertEqual(
            set(ActivitySubject.objects.filter(activity=activity).values_list("key", flat=True)),
            {f"person:{self.alice.pk}", f"person:{self.bob.pk}", f"topic:{self.nursing.pk}", f"topic:{self.health.pk}"},
        )
        do_follow(self.carol, f"topic:{self.health.pk}")
        self.assertEqual(titles(feed_for(self.carol)), ["การส่งเวร"])

    def test_a_private_item_never_reaches_a_feed(self) -> None:
        do_follow(self.bob, f"person:{self.alice.pk}")
        write_item(self.alice, "ร่างส่วนตัว", visibility="private")
        self.assertEqual(titles(feed_for(self.bob)), [])

    def test_an_organization_item_reaches_its_organization_only(self) -> None:
        do_follow(self.bob, f"person:{self.alice.pk}")
        do_follow(self.carol, f"person:{self.alice.pk}")
        write_item(self.alice, "ในหน่วยงาน", visibility="organization")
        self.assertEqual(titles(feed_for(self.bob)), ["ในหน่วยงาน"])  # alpha, like alice
        self.assertEqual(titles(feed_for(self.carol)), [])  # beta

    def test_switching_public_to_private_hides_it_and_back_shows_it(self) -> None:
        do_follow(self.carol, f"person:{self.alice.pk}")
        item = write_item(self.alice, "เปลี่ยนใจ", visibility="public")
        self.assertEqual(titles(feed_for(self.carol)), ["เปลี่ยนใจ"])
        item = edit(item, visibility="private")
        self.assertEqual(titles(feed_for(self.carol)), [])
        item = edit(item, visibility="organization", organization_id=self.beta.pk)
        self.assertEqual(titles(feed_for(self.carol)), ["เปลี่ยนใจ"])  # now read by beta, carol's
        edit(item, organization_id=self.alpha.pk)
        self.assertEqual(titles(feed_for(self.carol)), [])

    def test_restoring_an_old_revision_restores_its_audience(self) -> None:
        from platoo.knowledge.actions import do_restore_revision

        do_follow(self.carol, f"person:{self.alice.pk}")
        item = write_item(self.alice, "ย้อนกลับ", visibility="private")
        first = item.revisions.get(number=1)
        item = edit(item, visibility="network")
        self.assertEqual(titles(feed_for(self.carol)), ["ย้อนกลับ"])
        do_restore_revision(self.alice, item, first)
        self.assertEqual(titles(feed_for(self.carol)), [])

    def test_an_edit_in_the_admin_moves_the_audience_too(self) -> None:
        from platoo.knowledge.actions import do_record_admin_edit

        do_follow(self.carol, f"person:{self.alice.pk}")
        item = write_item(self.alice, "แก้ในแอดมิน", visibility="public")
        KnowledgeItem.objects.filter(pk=item.pk).update(visibility="private")  # what the admin form saves
        item.refresh_from_db()
        do_record_admin_edit(self.admin, item, created=False)
        self.assertEqual(titles(feed_for(self.carol)), [])

    def test_a_deleted_item_leaves_no_activity(self) -> None:
        item = write_item(self.alice, "จะลบ")
        target = f"item:{item.pk}"
        self.assertTrue(Activity.objects.filter(target=target).exists())
        do_delete_item(self.alice, item)
        self.assertFalse(Activity.objects.filter(target=target).exists())
        self.assertFalse(ActivitySubject.objects.filter(activity__title="จะลบ").exists())

    def test_a_repeated_submit_records_one_activity(self) -> None:
        from platoo.knowledge.actions import do_create_item

        for _ in range(2):
            do_create_item(self.alice, ItemData(title="ครั้งเดียว"), idempotency_key="k-1")
        self.assertEqual(Activity.objects.filter(title="ครั้งเดียว").count(), 1)
