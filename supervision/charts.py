"""Charts drawn on the server as SVG (no script, no CDN, no inline style: presentation
attributes only, which the Content-Security-Policy allows). Each chart carries a title and a
description for screen readers; the pages put the same figures in a table beside it."""

from __future__ import annotations

import datetime as dt
from itertools import count, cycle

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

#: Line colours and dash patterns: series stay apart without colour too.
_STYLES = [("#1f5fa8", ""), ("#b5452d", "6 3"), ("#2f7d32", "2 3"), ("#7a4fa0", "8 3 2 3"), ("#8a6d00", "1 2")]
_ids = count(1)


def _frame(width: int, height: int, title: str, description: str, body: str) -> SafeString:
    ident = f"chart{next(_ids)}"
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{ident}t {ident}d">'
        f'<title id="{ident}t">{escape(title)}</title><desc id="{ident}d">{escape(description)}</desc>{body}</svg>'
    )


def _number(value: float) -> str:
    return f"{value:g}"


def line_chart(title: str, series: list[tuple[str, list[tuple[dt.date, float]]]], *, months: list[dt.date],
               top: float | None = None, width: int = 420, height: int = 180) -> SafeString:
    """Month-by-month lines, one per series; ``months`` are the x axis, ``top`` the y axis's
    top (the largest value where None)."""
    left, right, upper, lower = 36, 10, 10, 28
    values = [v for _label, points in series for _month, v in points if v is not None]
    top = top or max(values, default=1) or 1
    step = (width - left - right) / max(len(months) - 1, 1)
    x_of = {month: left + i * step for i, month in enumerate(months)}

    def y(value: float) -> float:
        return upper + (height - upper - lower) * (1 - value / top)

    parts = [
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" stroke="#888"/>',
        f'<line x1="{left}" y1="{upper}" x2="{left}" y2="{y(0):.1f}" stroke="#888"/>',
        f'<text x="{left - 4}" y="{upper + 4}" text-anchor="end" font-size="10">{_number(top)}</text>',
        f'<text x="{left - 4}" y="{y(0):.1f}" text-anchor="end" font-size="10">0</text>',
    ]
    for month in months:
        parts.append(f'<text x="{x_of[month]:.1f}" y="{height - 10}" text-anchor="middle" font-size="10">{month.month}</text>')
    description = []
    for (label, points), (colour, dash) in zip(series, cycle(_STYLES)):
        coordinates = " ".join(f"{x_of[m]:.1f},{y(v):.1f}" for m, v in points if v is not None and m in x_of)
        if coordinates:
            dashes = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(format_html('<polyline fill="none" stroke="{}" stroke-width="2"{} points="{}"><title>{}</title></polyline>',
                                     colour, mark_safe(dashes), coordinates, label))
            for m, v in points:
                if v is not None and m in x_of:
                    parts.append(f'<circle cx="{x_of[m]:.1f}" cy="{y(v):.1f}" r="2.5" fill="{colour}"/>')
        description.append(f"{label}: " + ", ".join(f"{m.month}: {_number(v)}" for m, v in points if v is not None))
    return _frame(width, height, title, "; ".join(description), "".join(parts))


def bar_chart(title: str, bars: list[tuple[str, float | None]], *, top: float | None = None,
              width: int = 420, bar_height: int = 16) -> SafeString:
    """Horizontal bars, one per label (a bar without a value is left empty and marked —)."""
    label_width, gap = 140, 4
    height = max(len(bars), 1) * (bar_height + gap) + gap
    top = top or max((v for _l, v in bars if v is not None), default=1) or 1
    scale = (width - label_width - 50) / top
    parts = []
    for i, (label, value) in enumerate(bars):
        y = gap + i * (bar_height + gap)
        parts.append(format_html('<text x="{}" y="{}" text-anchor="end" font-size="11">{}</text>',
                                 label_width - 6, y + bar_height - 4, label[:14]))
        if value is None:
            parts.append(f'<text x="{label_width + 4}" y="{y + bar_height - 4}" font-size="11">—</text>')
            continue
        length = max(value * scale, 0)
        parts.append(f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="#1f5fa8"/>')
        parts.append(f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height - 4}" font-size="11">{_number(value)}</text>')
    description = ", ".join(f"{label}: {'—' if value is None else _number(value)}" for label, value in bars)
    return _frame(width, height, title, description, "".join(parts))
