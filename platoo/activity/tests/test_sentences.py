from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from platoo.activity import sentences
from platoo.activity.actions import record
from platoo.activity.models import Activity, Notification, NotificationKind, Verb

from .base import ActivityTestCase


class SentenceTests(ActivityTestCase):
    def test_every_verb_and_kind_is_a_whole_sentence_in_thai_and_english(self) -> None:
        for table, members in (
            (sentences.ACTIVITY_SENTENCES, Verb),
            (sentences.NOTIFICATION_SENTENCES, NotificationKind),
        ):
            for member in members:
                with self.subTest(member=member):
                    template = table[member]
                    with translation.override("en"):
                        english = str(template)
                    with translation.override("th"):
                        thai = str(template)
                    if member not in sentences.SYSTEM_KINDS:
                        self.assertIn("%(actor)s", thai)
                    self.assertIn("“%(title)s”", thai)
                    self.assertNotEqual(thai, english)
                    self.assertRegex(thai, "[\u0e00-\u0e7f]")
        self.assertEqual(set(sentences.NOTIFICATION_GROUPS), set(NotificationKind))

    def test_the_html_form_escapes_the_actor_and_the_title_and_links_the_title(self) -> None:
        self.alice.name_th = "<b>อลิซ</b>"
        activity = Activity(actor=self.alice, verb=Verb.REPLIED, title='<img src=x onerror="x">', url="/t/1/")
        html = str(sentences.activity_html(activity))
        self.assertEqual(
            html,
            "<strong>&lt;b&gt;อลิซ&lt;/b&gt;</strong> ตอบในกระทู้ “"
            '<a href="/t/1/">&lt;img src=x onerror=&quot;x&quot;&gt;</a>”',
        )

    def test_a_missing_actor_reads_as_someone(self) -> None:
        notification = Notification(recipient=self.bob, actor=None, kind=NotificationKind.MENTION, title="ก", url="/")
        self.assertEqual(sentences.notification_text(notification), "มีผู้ใช้คนหนึ่ง กล่าวถึงคุณใน “ก”")

    def test_the_activity_list_include_renders_rows_with_buddhist_era_dates(self) -> None:
        row = record(
            self.alice, Verb.ITEM_CREATED, title="บทเรียน", url="/knowledge/1/", audience="network", subjects=[]
        )
        template = Template('{% include "activity/_activity_list.html" with activities=rows %}')
        html = template.render(Context({"rows": [row]}))
        self.assertIn('<strong>อลิซ ใจดี</strong> เขียน “<a href="/knowledge/1/">บทเรียน</a>”', html)
        self.assertIn(str(row.created_at.year + 543), html)
        self.assertIn("ยังไม่มีความเคลื่อนไหว", Template('{% include "activity/_activity_list.html" %}').render(Context()))

    def test_the_follow_button_tag_costs_one_query_or_none(self) -> None:
        request = RequestFactory().get("/people/alice/")
        request.user = self.bob
        template = Template('{% load activity %}{% follow_button "person" pk %}')
        with self.assertNumQueries(1):
            html = template.render(Context({"user": self.bob, "request": request, "pk": self.alice.pk}))
        self.assertIn(f'value="person:{self.alice.pk}"', html)
        self.assertIn('value="/people/alice/"', html)
        template = Template("{% load activity %}{% follow_button key followed=True %}")
        with self.assertNumQueries(0):
            html = template.render(Context({"user": self.bob, "request": request, "key": "topic:1"}))
        self.assertIn("เลิกติดตาม", html)
