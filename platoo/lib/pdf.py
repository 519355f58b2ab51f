"""PDFs rendered for real: HTML and CSS in, PDF bytes out, in the project's own Thai font.

WeasyPrint lays the page out with Pango, which shapes Thai with HarfBuzz (stacked vowels and tone
marks in place) and breaks Thai lines with libthai. The fonts are Sarabun (SIL OFL), read from
platoo/static/fonts through Django's staticfiles finders as file:// URLs; the fetcher refuses every
other URL, so rendering never touches the network, whatever the HTML asks for.

Each page carries a running header and footer (the caller's words) and "page N of M".

Two adjustments to WeasyPrint 70 (pinned; platoo/tests/test_pdf.py fails if either stops working)
make the text read back out of the file as it went in, for copy and paste and for our own search,
which reads PDF attachments with pypdf: each glyph's text comes from the font's own tables, and the
moves around GPOS-placed marks are written so they do not look like word gaps. See
_build_fonts_with_true_text and _show_text_without_false_gaps.
"""

import hashlib
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont
from weasyprint import CSS, HTML
from weasyprint import pdf as weasyprint_pdf
from weasyprint.pdf.stream import Stream
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

FONT_FAMILY = "Sarabun"
BASE_STYLESHEET = "css/pdf.css"  # headings, tables, lists and links for print; callers add their own
# (static path, weight, style): the faces the stylesheet below declares.
FONT_FACES = (
    ("fonts/sarabun-400-normal.ttf", 400, "normal"),
    ("fonts/sarabun-400-italic.ttf", 400, "italic"),
    ("fonts/sarabun-700-normal.ttf", 700, "normal"),
    ("fonts/sarabun-700-italic.ttf", 700, "italic"),
)
_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")
# A TJ array's parts: glyph strings (<hex>) and the moves between them (thousandths of an em).
_TJ_PART = re.compile(rb"(<[0-9a-fA-F]*>)")
_TJ_STEP = 60
_glyph_texts_cache: dict[tuple[str, int], dict[int, str]] = {}


class LocalOnlyFetcher(URLFetcher):
    """Fetches files inside the given folders and data: URLs; refuses anything else (http, https, ftp,
    other files), so a link or image in user content can neither reach out nor read the disk."""

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.roots = [root.resolve() for root in roots]

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("file:"):
            path = Path(unquote(urlparse(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"Not a local resource of the project: {url}")
        elif not url.startswith("data:"):
            raise ValueError(f"Remote resources are not fetched: {url}")
        return super().fetch(url, headers)


def _glyph_texts(content: bytes, index: int) -> dict[int, str]:
    """What each glyph of a font writes, from the font's own tables: its character in the cmap, or,
    for a glyph GSUB substitutes in (a narrower tone mark, a ligature), the text of what it replaces.
    Read once per font file (a few milliseconds), then kept."""
    key = (hashlib.md5(content, usedforsecurity=False).hexdigest(), index)
    if key in _glyph_texts_cache:
        return _glyph_texts_cache[key]
    font = TTFont(io.BytesIO(content), fontNumber=index, lazy=True)
    texts: dict[str, str] = {}
    for codepoint, name in sorted(font.getBestCmap().items()):
        texts.setdefault(name, chr(codepoint))
    if "GSUB" in font:
        lookups = font["GSUB"].table.LookupList.Lookup if font["GSUB"].table.LookupList else []
        for _round in range(4):  # substitutions chain (a ligature of a narrow variant): a few rounds reach them
            for lookup in lookups:
                for table in lookup.SubTable:
                    table = getattr(table, "ExtSubTable", table)
                    for source, target in getattr(table, "mapping", {}).items():
                        if isinstance(target, str) and source in texts:  # single substitution
                            texts.setdefault(target, texts[source])
                        elif isinstance(target, list) and source in texts and target:  # one into several
                            texts.setdefault(target[0], texts[source])
                            for other in target[1:]:
                                texts.setdefault(other, "")
                    for source, alternates in getattr(table, "alternates", {}).items():
                        for alternate in alternates:
                            if source in texts:
                                texts.setdefault(alternate, texts[source])
                    for first, ligatures in getattr(table, "ligatures", {}).items():
                        for ligature in ligatures:
                            parts = [first, *ligature.Component]
                            if all(part in texts for part in parts):
                                texts.setdefault(ligature.LigGlyph, "".join(texts[part] for part in parts))
    order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    result = _glyph_texts_cache[key] = {order[name]: text for name, text in texts.items() if name in order}
    return result


def _build_fonts_with_true_text(pdf: Any, fonts: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint's fonts dictionary, with each used glyph's text taken from the font itself.

    WeasyPrint maps a glyph to the text of the first cluster it was drawn in, and gives a cluster's
    whole text to its last glyph. Thai breaks that: Sarabun draws SARA AM (ำ) as NIKHAHIT + SARA AA,
    and HarfBuzz merges the tone mark before it into one cluster, so "น้ำ" came out as "นา" and every
    later า, ้ as whatever the first cluster said. Per glyph, from the cmap and GSUB, the text stays
    complete (ำ reads back as its compatibility decomposition ํ + า, which platoo.lib.thai.clean
    joins again)."""
    for font in fonts.values():
        if font.bitmap or not font.to_unicode:
            continue
        texts = _glyph_texts(font.file_content, font.index)
        for glyph in font.to_unicode:
            if glyph in texts:
                font.to_unicode[glyph] = texts[glyph]
    return _weasyprint_build_fonts(pdf, fonts, *args, **kwargs)


def _split_moves(part: bytes) -> bytes:
    """Moves to the right of more than _TJ_STEP as several smaller ones (the same total)."""
    moves = []
    for word in part.split():
        value = float(word)
        while value < -_TJ_STEP:
            moves.append(b"%d" % -_TJ_STEP)
            value += _TJ_STEP
        moves.append(word if value == float(word) else (b"%.3f" % value).rstrip(b"0").rstrip(b"."))
    return b" ".join(moves)


def _show_text_without_false_gaps(self: Stream, text: str | bytes) -> None:
    """WeasyPrint's TJ, with long moves to the right cut into short ones.

    A mark placed by GPOS (a tone mark over ั, or beside the ascender of ป, ฝ, ฟ) is drawn after a move
    to the left and followed by the move back. Text extractors, pypdf among them (it reads attachments
    for search), take a move to the right of half a space for a word gap, so "ปั้น" read back as
    "ปั้ น". Cut into steps below that, the glyphs land where they did and the word stays whole. Real
    word gaps are space glyphs, which these moves never replace."""
    data = text.encode() if isinstance(text, str) else text
    parts = _TJ_PART.split(data)
    data = b"".join(part if index % 2 or not part.strip() else _split_moves(part) for index, part in enumerate(parts))
    _weasyprint_show_text(self, data)


_weasyprint_build_fonts = weasyprint_pdf.build_fonts_dictionary
weasyprint_pdf.build_fonts_dictionary = _build_fonts_with_true_text
_weasyprint_show_text = Stream.show_text
Stream.show_text = _show_text_without_false_gaps


def static_file(static_path: str) -> Path:
    """Where a static file (a font, a stylesheet) lies on disk, through the staticfiles finders."""
    found = finders.find(static_path)
    if not found:
        raise ImproperlyConfigured(f"{static_path} is missing from the static files, and PDFs need it.")
    return Path(found if isinstance(found, str) else found[0])


def stylesheet(static_path: str) -> str:
    """A stylesheet of the static files, as text (found the way the fonts are)."""
    return static_file(static_path).read_text(encoding="utf-8")


def font_faces_css() -> str:
    """@font-face rules for the Sarabun files, as file:// URLs found by the staticfiles finders."""
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{static_file(path).as_uri()}") format("truetype"); }}'
        for path, weight, style in FONT_FACES
    )


def css_string(text: str) -> str:
    """A CSS string literal holding `text` as is."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ")
    return f'"{escaped}"'


def page_number_content() -> str:
    """The CSS `content` of "page N of M" in the reader's language, from one translatable message."""
    parts = _PLACEHOLDER.split(_("Page %(page)s of %(pages)s"))
    # split() alternates text and placeholder names: even indexes are text, odd ones counters.
    return " ".join(
        f"counter({part})" if index % 2 else css_string(part) for index, part in enumerate(parts) if part or index % 2
    )


def page_css(header_left: str, header_right: str, footer_left: str) -> str:
    return f"""
@page {{
  size: A4; margin: 22mm 18mm 20mm 18mm;
  @top-left {{ content: {css_string(header_left)}; }}
  @top-right {{ content: {css_string(header_right)}; }}
  @bottom-left {{ content: {css_string(footer_left)}; }}
  @bottom-right {{ content: {page_number_content()}; }}
}}
@page {{
  @top-left {{ font: 9pt "{FONT_FAMILY}"; color: #5f6b7a; vertical-align: bottom; padding-bottom: 3mm; }}
  @top-right {{ font: 9pt "{FONT_FAMILY}"; color: #5f6b7a; vertical-align: bottom; padding-bottom: 3mm; }}
  @bottom-left {{ font: 9pt "{FONT_FAMILY}"; color: #5f6b7a; vertical-align: top; padding-top: 3mm; }}
  @bottom-right {{ font: 9pt "{FONT_FAMILY}"; color: #5f6b7a; vertical-align: top; padding-top: 3mm; }}
}}
html {{ font-family: "{FONT_FAMILY}", sans-serif; font-size: 10.5pt; line-height: 1.45; color: #1f2933; }}
"""


def render_pdf(
    html: str,
    *,
    css: str = "",
    header_left: str = "",
    header_right: str = "",
    footer_left: str = "",
    base_url: str | None = None,
    title: str = "",
    cache_seconds: int = 0,
) -> bytes:
    """The PDF of `html` (a whole document or a fragment) styled by css/pdf.css and `css`, on A4 pages
    with the running header and footer given and page numbers. Links in the HTML should be absolute to
    work in the file; images and stylesheets are read only from the project's static folders.

    With `cache_seconds`, the file is kept that long under a digest of everything it is made from (the
    reader's language included): the same inputs give the same bytes without laying the pages out
    again, which for a long document takes seconds."""
    parts = (html, css, header_left, header_right, footer_left, base_url or "", title)
    if cache_seconds:
        digest = hashlib.sha256("\x1f".join((*parts, page_number_content())).encode()).hexdigest()
        key = f"pdf:{digest}"
        found: bytes | None = cache.get(key)
        if found is None:
            found = _render(*parts)
            cache.set(key, found, cache_seconds)
        return found
    return _render(*parts)


def _render(
    html: str, css: str, header_left: str, header_right: str, footer_left: str, base_url: str, title: str
) -> bytes:
    fetcher = LocalOnlyFetcher(_static_roots())
    fonts = FontConfiguration()
    stylesheets = [
        CSS(string=font_faces_css(), font_config=fonts, url_fetcher=fetcher),
        CSS(string=page_css(header_left, header_right, footer_left), font_config=fonts, url_fetcher=fetcher),
    ]
    for sheet in (stylesheet(BASE_STYLESHEET), css):
        if sheet:
            stylesheets.append(CSS(string=sheet, font_config=fonts, url_fetcher=fetcher))
    document = HTML(string=html, base_url=base_url or None, url_fetcher=fetcher).render(
        stylesheets=stylesheets, font_config=fonts
    )
    if title:
        document.metadata.title = title
    return document.write_pdf() or b""


def _static_roots() -> list[Path]:
    """The folders the staticfiles finders read (the project's and the apps' static folders): the only
    files a PDF may take in."""
    roots = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            roots.append(Path(storage.location))
    return roots


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """An HTTP response carrying the PDF, named `filename` (Thai names are encoded for every browser)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response.headers["Content-Disposition"] = content_disposition_header(not inline, filename) or ""
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
