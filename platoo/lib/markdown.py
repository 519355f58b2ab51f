"""One Markdown renderer with one sanitiser, for everything users write.

Raw HTML in Markdown is allowed through markdown-it, then nh3 (ammonia) keeps only
harmless tags and attributes: no script, no event handlers, no javascript: links.
"""

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = (
    MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    .enable("table")
    .enable("strikethrough")
)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "kbd", "li", "mark", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "u", "ul", "span", "div", "dl", "dt", "dd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "code": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )


def render_markdown(text: str) -> SafeString:
    return mark_safe(sanitize_html(_md.render(text)))  # noqa: S308 - sanitised just above


def markdown_to_text(text: str) -> str:
    """Plain text of a Markdown document, for search indexing and summaries."""
    return nh3.clean(_md.render(text), tags=set()).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
