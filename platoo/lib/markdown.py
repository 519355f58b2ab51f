"""One Markdown renderer with one sanitiser, for everything users write.

Raw HTML in Markdown is allowed through markdown-it, then nh3 (ammonia) keeps only
harmless tags and attributes: no script, no event handlers, no javascript: links.
"""

import re
from collections.abc import Mapping

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


# "@username" where a username starts (not inside an email address or a path); Django usernames are
# letters, digits and . + - _ (a trailing full stop ends the sentence, not the name).
MENTION = re.compile(r"(?<![\w@/.])@([\w.+-]{1,150})", re.ASCII)


def mentioned_usernames(text: str) -> list[str]:
    """The usernames mentioned in a text, in order, once each."""
    return list(dict.fromkeys(match.rstrip(".") for match in MENTION.findall(text)))


def render_with_mentions(text: str, profile_urls: Mapping[str, str]) -> SafeString:
    """Markdown with each @username of a known person linked to their profile."""

    def link(match: re.Match[str]) -> str:
        name = match.group(1).rstrip(".")
        url = profile_urls.get(name)
        if url is None:
            return match.group(0)
        return f"[@{name}]({url})" + match.group(1)[len(name) :]

    return render_markdown(MENTION.sub(link, text))
