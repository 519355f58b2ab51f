"""Analysis and synthesis: several verified items drawn together into core principles (แก่นความรู้),
conditions for success and contexts where it failed, each statement resting on its source items.

A synthesis is itself a knowledge item, of kind "note": the repository, search, comments, history and
the cycle treat it like any other. Its claims are the structured truth; the item's body is rendered from
them (Markdown, with numbered references to the sources and no source titles, since a reader may not be
allowed to see every source), so search finds what it says and the item page reads well. Editing the
synthesis saves the item again from `base_version` (EditConflict when someone saved since), so verified
syntheses go back to their panel like any edited knowledge.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platoo.accounts.models import User
from platoo.knowledge.actions import ItemData, do_create_item, do_update_item, snapshot
from platoo.knowledge.models import Kind, KnowledgeItem, Revision
from platoo.lib.text import clean_line, clean_text
from platoo.lib.visibility import Visibility

from ..access import is_expert, is_hub
from ..models import VERIFIED_STAGES, Claim, ClaimKind, CriticalKnowledge, Stage, Synthesis, SynthesisSource
from .stages import Categories, advance_to, do_mark_critical

MIN_SOURCES = 2
MAX_SOURCES = 50
MAX_CLAIMS = 60
MAX_CLAIM_LENGTH = 4000
KIND_HEADINGS = {
    ClaimKind.PRINCIPLE: gettext_lazy("Core principles"),
    ClaimKind.CONDITION: gettext_lazy("Conditions for success"),
    ClaimKind.FAILURE: gettext_lazy("Where it failed"),
}


@dataclass
class ClaimData:
    text: str
    source_ids: Sequence[int]  # knowledge item ids, each one of the synthesis's sources
    kind: str = ClaimKind.PRINCIPLE


@dataclass
class SynthesisData:
    title: str
    source_ids: Sequence[int]  # the knowledge assets (ขุมความรู้), in order
    claims: Sequence[ClaimData] = ()
    summary: str = ""
    conditions: str = ""  # an overview above the conditions, optional
    failures: str = ""  # an overview above the failures, optional
    visibility: str = Visibility.NETWORK
    tag_names: Sequence[str] = field(default_factory=list)


def can_synthesize(user: object) -> bool:
    """The expert panels' members and the hub write syntheses."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)) and (
        is_expert(user) or is_hub(user)
    )


def _check_sources(actor: User, ids: Sequence[int], kept: set[int]) -> list[KnowledgeItem]:
    """The source items in order, each readable by `actor` and verified (sources already in the synthesis,
    `kept`, need only still exist: they were checked when they were added)."""
    ordered = list(dict.fromkeys(int(pk) for pk in ids))
    if len(ordered) < MIN_SOURCES:
        raise ValidationError(
            {
                "sources": _("A synthesis draws on at least %(min)d verified items; you chose %(count)d.")
                % {"min": MIN_SOURCES, "count": len(ordered)}
            }
        )
    if len(ordered) > MAX_SOURCES:
        raise ValidationError({"sources": _("At most %(max)d sources, please.") % {"max": MAX_SOURCES}})
    readable = KnowledgeItem.objects.visible_to(actor).filter(pk__in=ordered).in_bulk()
    existing = KnowledgeItem.objects.filter(pk__in=[pk for pk in ordered if pk in kept]).in_bulk()
    stages = dict(CriticalKnowledge.objects.filter(item_id__in=ordered).values_list("item_id", "stage"))
    problems: list[str] = []
    items: list[KnowledgeItem] = []
    for pk in ordered:
        item = readable.get(pk) or existing.get(pk)
        if item is None:
            # Never say more about an item the author may not read than that they cannot use it.
            problems.append(_("You cannot read item #%(id)d, so it cannot be a source.") % {"id": pk})
            continue
        if pk not in kept:
            stage = stages.get(pk)
            if stage is None:
                problems.append(
                    _("“%(title)s” is not critical knowledge: only verified critical knowledge can be a source.")
                    % {"title": item.title}
                )
                continue
            if stage not in VERIFIED_STAGES:
                problems.append(
                    _("“%(title)s” is “%(stage)s”: only knowledge the panel has verified can be a source.")
                    % {"title": item.title, "stage": Stage(stage).label}
                )
                continue
        items.append(item)
    if problems:
        raise ValidationError({"sources": problems})
    return items


def _check_claims(claims: Sequence[ClaimData], source_ids: set[int]) -> list[tuple[str, str, list[int]]]:
    cleaned: list[tuple[str, str, list[int]]] = []
    problems: list[str] = []
    for number, claim in enumerate(claims, start=1):
        text = clean_text(claim.text).strip()
        cited = list(dict.fromkeys(int(pk) for pk in claim.source_ids))
        if not text and not cited:
            continue  # an empty row of the form
        if claim.kind not in ClaimKind.values:
            problems.append(_("Statement %(n)d: choose what kind of statement it is.") % {"n": number})
        elif not text:
            problems.append(_("Statement %(n)d has sources but no text.") % {"n": number})
        elif len(text) > MAX_CLAIM_LENGTH:
            problems.append(
                _("Statement %(n)d is longer than %(max)d characters.") % {"n": number, "max": MAX_CLAIM_LENGTH}
            )
        elif not cited:
            problems.append(
                _("Statement %(n)d (“%(start)s”) rests on no source: link it to at least one of the items.")
                % {"n": number, "start": text[:40]}
            )
        elif unknown := [pk for pk in cited if pk not in source_ids]:
            problems.append(
                _("Statement %(n)d cites items that are not among the synthesis's sources (%(ids)s).")
                % {"n": number, "ids": ", ".join(f"#{pk}" for pk in unknown)}
            )
        else:
            cleaned.append((claim.kind, text, cited))
    if not problems and not any(kind == ClaimKind.PRINCIPLE for kind, _text, _cited in cleaned):
        problems.append(_("Write at least one core principle, with the items it rests on."))
    if len(cleaned) > MAX_CLAIMS:
        problems.append(_("At most %(max)d statements, please.") % {"max": MAX_CLAIMS})
    if problems:
        raise ValidationError({"claims": problems})
    return cleaned


def render_body(synthesis_url: str, claims: Sequence[tuple[str, str, list[int]]], order: Sequence[int]) -> str:
    """The item's Markdown body: the statements by kind with numbered references to the sources. Titles are
    left out on purpose: the synthesis page names the sources each reader may see."""
    number = {pk: position for position, pk in enumerate(order, start=1)}
    parts: list[str] = []
    for kind in ClaimKind.values:
        rows = [(text, cited) for claim_kind, text, cited in claims if claim_kind == kind]
        if not rows:
            continue
        parts.append(f"## {KIND_HEADINGS[ClaimKind(kind)]}\n")
        for text, cited in rows:
            refs = ", ".join(str(number[pk]) for pk in cited)
            parts.append(f"- {' '.join(text.split())} [{refs}]")
        parts.append("")
    parts.append(
        _("The numbers refer to the %(count)d sources listed on [the synthesis page](%(url)s).")
        % {"count": len(order), "url": synthesis_url}
    )
    return "\n".join(parts)


def _common(values: Sequence[object]) -> object | None:
    counted = Counter(v for v in values if v)
    return counted.most_common(1)[0][0] if counted else None


def _save_parts(synthesis: Synthesis, sources: list[KnowledgeItem], claims: list[tuple[str, str, list[int]]]) -> None:
    """Replace the synthesis's sources and claims (the rows of kept sources stay, with their ids)."""
    current = {row.item_id: row for row in synthesis.sources.all()}
    wanted = [item.pk for item in sources]
    SynthesisSource.objects.filter(synthesis=synthesis).exclude(item_id__in=wanted).delete()
    rows: dict[int, SynthesisSource] = {}
    for position, pk in enumerate(wanted):
        row = current.get(pk)
        if row is None:
            row = SynthesisSource.objects.create(synthesis=synthesis, item_id=pk, position=position)
        elif row.position != position:
            row.position = position
            row.save(update_fields=["position"])
        rows[pk] = row
    synthesis.claims.all().delete()
    positions: Counter[str] = Counter()
    for kind, text, cited in claims:
        claim = Claim.objects.create(synthesis=synthesis, kind=kind, text=text, position=positions[kind])
        positions[kind] += 1
        claim.sources.set([rows[pk] for pk in cited])


def _advance_sources(actor: User, synthesis: Synthesis, item_ids: Sequence[int]) -> None:
    reason = _("Drawn on by the synthesis “%(title)s”.") % {"title": synthesis.item.title}
    for critical in CriticalKnowledge.objects.filter(item_id__in=item_ids):
        advance_to(critical, Stage.SYNTHESIZED, actor, reason)


def _item_data(data: SynthesisData, sources: list[KnowledgeItem], body: str, actor: User) -> ItemData:
    topic_ids = sorted({pk for item in sources for pk in item.topics.values_list("pk", flat=True)})
    return ItemData(
        title=data.title,
        kind=Kind.NOTE,
        summary=data.summary,
        body=body,
        visibility=data.visibility,
        organization_id=actor.organization_id,
        topic_ids=topic_ids,
        tag_names=data.tag_names,
        author_ids=[actor.pk],
    )


@transaction.atomic
def do_create_synthesis(actor: User, data: SynthesisData, idempotency_key: str = "") -> Synthesis:
    """Write a synthesis: its knowledge item, sources and claims in one transaction. The item is marked as
    critical knowledge (captured, its topic the one most of its sources have) and every source moves on to
    "synthesized". With an idempotency key (the form's one-time token), a repeated call returns the first
    one's synthesis."""
    if not can_synthesize(actor):
        raise PermissionDenied(_("Only the members of an expert panel and the hub write syntheses."))
    key = idempotency_key.strip()[:64]
    if key and (done := Synthesis.objects.filter(item__created_by=actor, item__creation_key=key).first()):
        return done
    if not clean_line(data.title):
        raise ValidationError({"title": _("The title cannot be empty or only spaces.")})
    if data.visibility not in Visibility.values or data.visibility == Visibility.PRIVATE:
        raise ValidationError({"visibility": _("Choose who can read the synthesis.")})
    sources = _check_sources(actor, data.source_ids, kept=set())
    claims = _check_claims(data.claims, {item.pk for item in sources})
    item = do_create_item(actor, _item_data(data, sources, "", actor), idempotency_key=key)
    synthesis, created = Synthesis.objects.get_or_create(
        item=item,
        defaults={
            "conditions": clean_text(data.conditions).strip(),
            "failures": clean_text(data.failures).strip(),
            "created_by": actor,
        },
    )
    if not created:
        return synthesis  # a concurrent submit with the same key made it
    _save_parts(synthesis, sources, claims)
    body = render_body(synthesis.get_absolute_url(), claims, [s.pk for s in sources])
    # The body names the synthesis page, which needs the item's id: written now, and into the first revision
    # (the search index reads the row once the transaction commits).
    KnowledgeItem.objects.filter(pk=item.pk).update(body=body)
    item.body = body
    Revision.objects.filter(item=item, number=item.version).update(data=snapshot(item))
    source_critical = list(CriticalKnowledge.objects.filter(item__in=sources))
    do_mark_critical(
        actor,
        item,
        Categories(
            topic_id=_common([c.topic_id for c in source_critical]),  # type: ignore[arg-type]
            owner_id=actor.organization_id,
        ),
        reason=_("A synthesis of %(count)d verified items.") % {"count": len(sources)},
    )
    _advance_sources(actor, synthesis, [s.pk for s in sources])
    return synthesis


def can_edit_synthesis(user: object, synthesis: Synthesis) -> bool:
    return synthesis.item.can_edit(user)


@transaction.atomic
def do_update_synthesis(actor: User, synthesis: Synthesis, data: SynthesisData, base_version: int) -> Synthesis:
    """Change a synthesis (its text, sources and claims) as written from the item's `base_version`; raises
    knowledge.actions.EditConflict when someone saved it since. Sources added must be readable and verified;
    sources kept stay whatever became of them. A verified synthesis goes back to its panel."""
    item = synthesis.item
    if not can_edit_synthesis(actor, synthesis):
        raise PermissionDenied(_("Only the authors of a synthesis can change it."))
    if not clean_line(data.title):
        raise ValidationError({"title": _("The title cannot be empty or only spaces.")})
    if data.visibility not in Visibility.values or data.visibility == Visibility.PRIVATE:
        raise ValidationError({"visibility": _("Choose who can read the synthesis.")})
    before = set(synthesis.sources.values_list("item_id", flat=True))
    sources = _check_sources(actor, data.source_ids, kept=before)
    claims = _check_claims(data.claims, {s.pk for s in sources})
    body = render_body(synthesis.get_absolute_url(), claims, [s.pk for s in sources])
    item_data = _item_data(data, sources, body, actor)
    item_data.organization_id = item.organization_id
    item_data.author_ids = list(item.authors.values_list("pk", flat=True))
    item_data.license = item.license
    item_data.tag_names = list(data.tag_names) or list(item.tags.values_list("name", flat=True))
    do_update_item(actor, item, item_data, base_version, message=_("Synthesis edited"))
    Synthesis.objects.filter(pk=synthesis.pk).update(
        conditions=clean_text(data.conditions).strip(), failures=clean_text(data.failures).strip()
    )
    synthesis.refresh_from_db()
    _save_parts(synthesis, sources, claims)
    _advance_sources(actor, synthesis, [s.pk for s in sources if s.pk not in before])
    return synthesis
