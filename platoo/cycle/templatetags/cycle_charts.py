"""Small inline SVG bars for the cycle dashboard, drawn as the `sparkline` tag draws its lines
(platoo/lib/templatetags): server-side, no script, labelled for screen readers."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def bar(value: float | None, maximum: float | None, label: str = "", width: int = 160, height: int = 12) -> SafeString:
    """One horizontal bar, `value` of `maximum`, on a light track."""
    value, maximum = value or 0, maximum or 0
    filled = 0.0 if maximum <= 0 else max(min(value / maximum, 1.0), 0.0) * width
    if value > 0:
        filled = max(filled, 1.5)  # a thin sliver shows that something is there
    return format_html(
        '<svg class="sparkline bar-chart" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">'
        '<rect width="{w}" height="{h}" rx="2" fill="currentColor" fill-opacity="0.12"/>'
        '<rect width="{filled}" height="{h}" rx="2" fill="currentColor"/></svg>',
        w=width,
        h=height,
        filled=f"{filled:.1f}",
        label=label,
    )


@register.simple_tag
def columns(values: list[int], labels: list[str], label: str = "", width: int = 360, height: int = 80) -> SafeString:
    """Vertical bars for a short series (oldest first), each with its own title for a tooltip."""
    if not values:
        return SafeString("")
    top = max(values) or 1
    step = width / len(values)
    gap = min(4.0, step / 4)
    parts = []
    for n, (count, name) in enumerate(zip(values, labels, strict=True)):
        tall = (count / top) * (height - 2)
        if count:
            tall = max(tall, 1.5)
        parts.append(
            format_html(
                '<rect x="{x}" y="{y}" width="{bw}" height="{bh}" fill="currentColor"><title>{name}: {count}</title></rect>',
                x=f"{n * step + gap / 2:.1f}",
                y=f"{height - tall:.1f}",
                bw=f"{step - gap:.1f}",
                bh=f"{tall:.1f}",
                name=name,
                count=count,
            )
        )
    return format_html(
        '<svg class="sparkline column-chart" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="{label}">{bars}</svg>',
        w=width,
        h=height,
        label=label,
        bars=SafeString("".join(parts)),
    )


@register.filter
def duration(seconds: float | None) -> str:
    """{{ row.median_seconds|duration }}: '3 days', '5 hours'."""
    from ..dashboard import duration_text

    return duration_text(seconds)


@register.filter
def days_duration(days: float | None) -> str:
    """{{ backlog.oldest_days|days_duration }}."""
    from ..dashboard import duration_text

    return duration_text(None if days is None else days * 86400)
