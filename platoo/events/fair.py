"""The annual fair's gate: a network holds its fair (มหกรรม) once it has run two years and gathered
enough verified stories. Both thresholds are settings; the fair page shows each check with real numbers."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from platoo.knowledge import verification
from platoo.knowledge.models import Kind, KnowledgeItem
from platoo.network.models import NetworkProfile


@dataclass(frozen=True)
class Check:
    label: str
    met: bool
    have: int
    need: int
    missing: str  # what is still missing, in words; "" when met


@dataclass(frozen=True)
class Readiness:
    checks: list[Check]
    stories: int  # every story the network holds, verified or not
    verification_available: bool

    @property
    def ready(self) -> bool:
        return all(check.met for check in self.checks)


def readiness(today: date | None = None) -> Readiness:
    today = today or timezone.localdate()
    need_years = settings.FAIR_MIN_NETWORK_YEARS
    age = NetworkProfile.load().age(today)
    months = age[0] * 12 + age[1] if age else 0
    need_months = need_years * 12
    if age is None:
        missing_age = _("The network's start date is not set on its profile.")
    elif months < need_months:
        missing_age = _("%(months)d more months of running.") % {"months": need_months - months}
    else:
        missing_age = ""
    need_stories = settings.FAIR_MIN_VERIFIED_STORIES
    verified = verification.verified_items().filter(kind=Kind.STORY).distinct().count()
    if not verification.is_available():
        missing_stories = _("Stories are verified by the expert panels, which the network has not set up yet.")
    elif verified < need_stories:
        missing_stories = _("%(count)d more verified stories.") % {"count": need_stories - verified}
    else:
        missing_stories = ""
    checks = [
        Check(_("The network has run two years (months)"), not missing_age, months, need_months, missing_age),
        Check(_("Verified stories"), not missing_stories, verified, need_stories, missing_stories),
    ]
    stories = KnowledgeItem.objects.filter(kind=Kind.STORY).count()
    return Readiness(checks, stories, verification.is_available())


def require_ready() -> None:
    """Refuse to schedule the fair until the network is ready, saying what is missing."""
    state = readiness()
    if not state.ready:
        missing = " ".join(check.missing for check in state.checks if not check.met)
        raise ValidationError(
            {"kind": _("The annual fair cannot be scheduled yet: %(missing)s") % {"missing": missing}}
        )
