from io import StringIO

from django.core.management import call_command
from django.test import TestCase

from platoo.cycle import demo
from platoo.cycle.models import (
    Application,
    BuildStatus,
    CriticalKnowledge,
    Manual,
    Panel,
    Release,
    Stage,
    Synthesis,
    Transition,
)


class CycleDemoTests(TestCase):
    def test_the_demo_walks_items_through_every_stage_with_dated_timelines(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):  # the releases' files are built once the load commits
            call_command("load_demo", stdout=StringIO())
        self.assertEqual(demo.demo_panels().count(), 3)
        self.assertTrue(all(panel.members.count() >= 5 for panel in Panel.objects.all()))
        stages = set(CriticalKnowledge.objects.values_list("stage", flat=True))
        self.assertEqual(stages, set(Stage.values))  # every stage on show
        self.assertTrue(Synthesis.objects.exists() and Application.objects.exists())
        self.assertTrue(CriticalKnowledge.objects.due().exists())
        self.assertTrue(CriticalKnowledge.objects.current().exists())
        # Timelines were spread over months, in order.
        for critical in CriticalKnowledge.objects.all():
            moments = list(critical.transitions.order_by("pk").values_list("at", flat=True))
            self.assertEqual(moments, sorted(moments))
        first, last = Transition.objects.order_by("at").first(), Transition.objects.order_by("at").last()
        assert first is not None and last is not None
        self.assertGreater((last.at - first.at).days, 60)
        # A manual released twice and a curriculum, their files built.
        releases = Release.objects.order_by("manual__kind", "number")
        self.assertEqual(
            [(r.manual.kind, r.version_label) for r in releases],
            [("curriculum", "1.0"), ("manual", "1.0"), ("manual", "1.1")],
        )
        self.assertTrue(all(r.pdf_status == r.epub_status == BuildStatus.DONE for r in releases))
        # Loading again changes nothing; removing takes it all away.
        before = CriticalKnowledge.objects.count()
        self.assertEqual(demo.load(), before)
        demo.remove()
        self.assertFalse(CriticalKnowledge.objects.exists() or demo.demo_panels().exists() or Manual.objects.exists())
        self.assertFalse(Application.objects.exists() or Synthesis.objects.exists())
        call_command("load_demo", "--reset", stdout=StringIO())  # and the whole demo reloads over it
        self.assertEqual(set(CriticalKnowledge.objects.values_list("stage", flat=True)), set(Stage.values))
