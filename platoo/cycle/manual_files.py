"""A release read three ways: the HTML page, the PDF and the EPUB, all from its frozen content.

`reading(content, readable)` lays the content out for a reader: chapters numbered 1, 2…, sections 1.1,
1.2…, each with its text and the items it uses, an item the reader may not read being only a
placeholder (its title included: that too is the item's). The files are made for the manual's audience
(`file_readable`): a public manual's files carry public items only, a network manual's public and network
ones; the rest is left out with a note.
"""

import hashlib
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from platoo.knowledge.models import KnowledgeItem
from platoo.lib import pdf
from platoo.lib.dates import format_date
from platoo.lib.markdown import render_markdown

from .actions.manuals import audience_visibilities, total_minutes
from .models import ManualKind, Release

EPUB_FONTS = (
    ("fonts/sarabun-400-normal.ttf", "400", "normal"),
    ("fonts/sarabun-700-normal.ttf", "700", "normal"),
    ("fonts/sarabun-400-italic.ttf", "400", "italic"),
    ("fonts/sarabun-700-italic.ttf", "700", "italic"),
)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


@dataclass
class ItemView:
    id: int
    readable: bool
    title: str = ""
    kind_label: str = ""
    organization: str = ""
    summary: str = ""
    body: SafeString | str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SectionView:
    id: int
    number: str
    anchor: str
    title: str
    body: SafeString | str
    duration_minutes: int | None
    items: list[ItemView]
    sections: list["SectionView"] = field(default_factory=list)

    @property
    def hidden_count(self) -> int:
        return sum(1 for item in self.items if not item.readable)


@dataclass
class Reading:
    kind: str
    title: str
    panel: str
    front_matter: SafeString | str
    outcomes: list[str]
    chapters: list[SectionView]
    total_minutes: int
    hidden_count: int

    @property
    def is_curriculum(self) -> bool:
        return self.kind == ManualKind.CURRICULUM


def _item(content: dict[str, Any], pk: int, readable: set[int]) -> ItemView:
    if pk not in readable:
        return ItemView(id=pk, readable=False)
    data = content["items"][str(pk)]
    return ItemView(
        id=pk,
        readable=True,
        title=data["title"],
        kind_label=data.get("kind_label", ""),
        organization=data.get("organization", ""),
        summary=data.get("summary", ""),
        body=render_markdown(data.get("body", "")),
        fields=[(label, text) for label, text in data.get("fields", [])],
    )


def reading(content: dict[str, Any], readable: set[int]) -> Reading:
    """The content laid out for a reader who may read the items `readable` (ids)."""
    chapters = []
    for index, chapter in enumerate(content["chapters"], start=1):
        sections = [
            SectionView(
                id=section["id"],
                number=f"{index}.{sub}",
                anchor=f"s{section['id']}",
                title=section["title"],
                body=render_markdown(section["body"]),
                duration_minutes=section.get("duration_minutes"),
                items=[_item(content, pk, readable) for pk in section["items"]],
            )
            for sub, section in enumerate(chapter.get("sections", []), start=1)
        ]
        chapters.append(
            SectionView(
                id=chapter["id"],
                number=str(index),
                anchor=f"s{chapter['id']}",
                title=chapter["title"],
                body=render_markdown(chapter["body"]),
                duration_minutes=chapter.get("duration_minutes"),
                items=[_item(content, pk, readable) for pk in chapter["items"]],
                sections=sections,
            )
        )
    hidden = sum(c.hidden_count + sum(s.hidden_count for s in c.sections) for c in chapters)
    return Reading(
        kind=content["kind"],
        title=content["title"],
        panel=content.get("panel", ""),
        front_matter=render_markdown(content["front_matter"]),
        outcomes=list(content.get("outcomes", [])),
        chapters=chapters,
        total_minutes=total_minutes(content["chapters"]),
        hidden_count=hidden,
    )


READING_CACHE_SECONDS = 24 * 3600


def reading_html(release: Release, readable: set[int]) -> tuple[Reading, SafeString]:
    """The release laid out for a reader who may read `readable`, and its HTML (contents, front matter,
    chapters). A release never changes, so the HTML is kept under the release, the items the reader may
    read and the language: a manual of 500 pages renders its Markdown once per kind of reader, not on
    every request."""
    data: Reading | None = None
    readable_digest = hashlib.sha256(",".join(map(str, sorted(readable))).encode()).hexdigest()[:24]
    key = f"manual-reading:{release.pk}:{release.content_digest}:{translation.get_language()}:{readable_digest}"
    html = cache.get(key)
    if html is None:
        data = reading(release.content, readable)
        html = render_to_string("cycle/manuals/_reading.html", {"reading": data, "links": True})
        cache.set(key, html, READING_CACHE_SECONDS)
    return data or summary(release.content, readable), mark_safe(html)  # noqa: S308 - rendered by our template


def summary(content: dict[str, Any], readable: set[int]) -> Reading:
    """What the page shows around the cached HTML (title, kind, how many parts are hidden), without
    rendering any Markdown."""
    hidden = 0
    chapters: list[SectionView] = []
    for chapter in content["chapters"]:
        for node in (chapter, *chapter.get("sections", [])):
            hidden += sum(1 for pk in node["items"] if pk not in readable)
    return Reading(
        kind=content["kind"],
        title=content["title"],
        panel=content.get("panel", ""),
        front_matter="",
        outcomes=list(content.get("outcomes", [])),
        chapters=chapters,
        total_minutes=total_minutes(content["chapters"]),
        hidden_count=hidden,
    )


def used_ids(content: dict[str, Any]) -> set[int]:
    return {int(pk) for pk in content["items"]}


def readable_by(user: Any, content: dict[str, Any]) -> set[int]:
    """The used items `user` may read now (one query)."""
    ids = used_ids(content)
    if not ids:
        return set()
    return set(KnowledgeItem.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def file_readable(release: Release) -> set[int]:
    """The used items the manual's audience may read, as released and as they are now (an item made
    private since is left out of a file built later)."""
    content = release.content
    allowed = audience_visibilities(content.get("visibility", release.manual.visibility))
    frozen = {int(pk) for pk, data in content["items"].items() if data.get("visibility") in allowed}
    if not frozen:
        return set()
    return set(KnowledgeItem.objects.filter(pk__in=frozen, visibility__in=allowed).values_list("pk", flat=True))


def _context(release: Release) -> dict[str, Any]:
    return {
        "release": release,
        "reading": reading(release.content, file_readable(release)),
        "approvers": [person.display_name for person in release.approvers.all()],
        "released_on": format_date(release.released_on),
    }


# PDF ---------------------------------------------------------------------------------------------------

PDF_CSS = """
@page :first { @top-left { content: none; } @top-right { content: none; }
  @bottom-left { content: none; } @bottom-right { content: none; } }
@page { @top-right { content: string(chapter); } }
.cover { break-after: page; padding-top: 60mm; text-align: center; }
.cover h1 { font-size: 26pt; margin-bottom: 8mm; }
.cover .kind { font-size: 13pt; color: #3e4c59; letter-spacing: 0.05em; }
.cover dl { margin: 18mm auto 0; width: 120mm; text-align: left; }
.toc { break-after: page; }
.toc ol { list-style: none; padding-left: 0; }
.toc ol ol { padding-left: 7mm; }
.toc li { margin: 0 0 1.2mm; }
.toc a { color: inherit; }
/* leader() costs about 12 % of a 450-page build (bench/README.md); a page number floated right instead
   is drawn before its title, so the file's text (copy, search, screen readers) loses which is whose. */
.toc a::after { content: leader(dotted) " " target-counter(attr(href), page); }
.front { break-after: page; }
section.chapter { break-before: page; }
section.chapter > h2 { string-set: chapter content(text); font-size: 17pt; border: none; }
h3 { font-size: 12.5pt; }
.item { margin: 2mm 0 3mm; padding: 2mm 3mm; border-left: 1.5pt solid #0f6e5a; background: #f5f8f7; }
.item h4 { margin: 0 0 1mm; font-size: 10.5pt; }
.item h5 { margin: 1.5mm 0 0.5mm; font-size: 9.5pt; }
.left-out { color: #5f6b7a; font-style: italic; }
"""


def pdf_bytes(release: Release) -> bytes:
    """The release as a PDF, in the reader's language of the moment (the build uses the site's)."""
    context = _context(release)
    html = render_to_string("cycle/manuals/release_pdf.html", context)
    return pdf.render_pdf(
        html,
        css=PDF_CSS,
        header_left=release.content["title"],
        header_right="",
        footer_left=_("Version %(label)s · %(date)s")
        % {"label": release.version_label, "date": context["released_on"]},
        title=release.content["title"],
    )


# EPUB --------------------------------------------------------------------------------------------------

EPUB_CSS = """
body { font-family: "Sarabun", serif; line-height: 1.6; }
h1, h2, h3 { line-height: 1.3; }
.item { margin: 0.8em 0; padding: 0.4em 0.8em; border-left: 3px solid #0f6e5a; }
.left-out { color: #5f6b7a; font-style: italic; }
.meta { color: #5f6b7a; font-size: 0.9em; }
"""


def epub_bytes(release: Release) -> bytes:
    """The release as an EPUB 3 book: a navigation document, one file per chapter, Sarabun embedded."""
    from ebooklib import epub

    context = _context(release)
    data: Reading = context["reading"]
    book = epub.EpubBook()
    book.set_identifier(f"platoo-manual-{release.manual_id}-release-{release.number}")
    book.set_title(data.title)
    book.set_language(translation.get_language() or "th")
    book.add_author(data.panel or release.manual.panel.name)
    book.add_metadata("DC", "date", release.released_on.isoformat())
    faces = []
    for static_path, weight, style in EPUB_FONTS:
        name = static_path.rsplit("/", 1)[1]
        book.add_item(
            epub.EpubItem(
                uid=name.replace(".", "-"),
                file_name=f"fonts/{name}",
                media_type="font/ttf",
                content=pdf.static_file(static_path).read_bytes(),
            )
        )
        faces.append(
            f'@font-face {{ font-family: "Sarabun"; font-weight: {weight}; font-style: {style}; '
            f'src: url("fonts/{name}"); }}'
        )
    style = epub.EpubItem(
        uid="style", file_name="style.css", media_type="text/css", content="\n".join([*faces, EPUB_CSS])
    )
    book.add_item(style)

    def page(uid: str, title: str, template: str, extra: dict[str, Any]) -> Any:
        html = render_to_string(template, {**context, **extra})
        item = epub.EpubHtml(uid=uid, title=title, file_name=f"{uid}.xhtml", lang=book.language)
        item.content = _IMG.sub("", html)
        item.add_item(style)
        book.add_item(item)
        return item

    cover = page("cover", _("Cover"), "cycle/manuals/epub_front.html", {})
    toc: list[Any] = [epub.Link("cover.xhtml", _("About this book"), "cover")]
    spine: list[Any] = ["nav", cover]
    for chapter in data.chapters:
        item = page(
            f"chapter-{chapter.number}",
            f"{chapter.number} {chapter.title}",
            "cycle/manuals/epub_chapter.html",
            {"chapter": chapter},
        )
        spine.append(item)
        links = [
            epub.Link(f"{item.file_name}#{section.anchor}", f"{section.number} {section.title}", section.anchor)
            for section in chapter.sections
        ]
        own = epub.Link(item.file_name, f"{chapter.number} {chapter.title}", chapter.anchor)
        toc.append((epub.Section(f"{chapter.number} {chapter.title}", item.file_name), links) if links else own)
    book.toc = toc
    book.spine = spine
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    buffer = io.BytesIO()
    epub.write_epub(buffer, book, {"epub3_pages": False})
    return buffer.getvalue()
