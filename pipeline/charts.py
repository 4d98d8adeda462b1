"""Inline SVG charts for the report, drawn in Python.

The report is emailed and read offline: no script, no CDN, so the charts are plain SVG
written into the page. Every text from a document passes through `escape`, since the
SVG is marked safe as a whole before jinja2 sees it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = 12
ROW = 22
LABEL_WIDTH = 260
VALUE_WIDTH = 150
PANEL_BAR = 150
GAP = 14
COLOURS = ("#3b6ea8", "#9aa5b1", "#5b9a68", "#b07d2b", "#7a5ba8")
ALERT = "#c0392b"


@dataclass(frozen=True)
class Pair:
    """Two figures that should be equal, drawn on the row's own scale: a total as printed and as recomputed."""

    label: str
    first: float
    second: float
    first_text: str
    second_text: str
    note: str = ""          # the difference, shown when the pair disagrees
    alert: bool = False


@dataclass(frozen=True)
class Panel:
    """One series over the chart's categories, on its own scale (units differ between panels)."""

    title: str
    values: tuple[float | None, ...]
    texts: tuple[str, ...]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label(x: float, y: float, text: str, anchor: str = "start", weight: str = "normal", fill: str = "#1d2430",
           limit: int = LABEL_WIDTH // 7) -> str:
    """A text element; a shortened label keeps its full text as a tooltip."""
    shown = _short(text, limit)
    tooltip = f"<title>{escape(text)}</title>" if shown != text else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-weight="{weight}" fill="{fill}">'
            f"{tooltip}{escape(shown)}</text>")


def _svg(width: float, height: float, title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="100%" style="max-width:{width:.0f}px" font-family="system-ui, sans-serif" font-size="{FONT}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _length(value: float | None, scale: float, width: float) -> float:
    if value is None or not math.isfinite(value) or scale <= 0:
        return 0.0
    return max(0.0, value) / scale * width


def paired_bars(pairs: list[Pair], title: str, first_name: str, second_name: str, shared: bool = False) -> Markup:
    """One row per pair, its label above two bars: on the pair's own scale (figures in different
    units; a mismatch shows as unequal bars), or on one scale when the rows compare (`shared`)."""
    bar = 420
    indent = 16
    width = indent + bar + VALUE_WIDTH + 110
    common = max((max(abs(p.first), abs(p.second)) for p in pairs), default=0.0)
    body = [_legend(indent, 14, (first_name, second_name))]
    y = 28
    for pair in pairs:
        scale = common if shared else max(abs(pair.first), abs(pair.second))
        colour = ALERT if pair.alert else COLOURS[0]
        body.append(_label(0, y + 12, pair.label, weight="bold" if pair.alert else "normal", limit=90))
        for offset, value, text, fill in ((16, pair.first, pair.first_text, colour),
                                          (27, pair.second, pair.second_text, COLOURS[1])):
            body.append(f'<rect x="{indent}" y="{y + offset}" width="{_length(value, scale, bar):.1f}" '
                        f'height="9" fill="{fill}"/>')
            body.append(_label(indent + bar + 8, y + offset + 9, text, fill=fill if fill == ALERT else "#1d2430"))
        if pair.note:
            body.append(_label(width, y + 32, pair.note, anchor="end", weight="bold", fill=ALERT))
        y += 44
    return _svg(width, y, title, body)


def bar_panels(categories: list[str], panels: list[Panel], title: str) -> Markup:
    """Horizontal bars, one panel per series, each on its own scale, sharing the category labels."""
    panel_width = PANEL_BAR + VALUE_WIDTH
    width = LABEL_WIDTH + len(panels) * (panel_width + GAP)
    body = []
    for number, panel in enumerate(panels):
        x = LABEL_WIDTH + number * (panel_width + GAP)
        body.append(_label(x, 14, panel.title, weight="bold"))
    y = 24
    for row, category in enumerate(categories):
        body.append(_label(0, y + 14, category))
        for number, panel in enumerate(panels):
            x = LABEL_WIDTH + number * (panel_width + GAP)
            scale = max((v for v in panel.values if v is not None and math.isfinite(v)), default=0.0)
            length = _length(panel.values[row], scale, PANEL_BAR)
            colour = COLOURS[number % len(COLOURS)]
            body.append(f'<rect x="{x}" y="{y + 5}" width="{length:.1f}" height="12" fill="{colour}"/>')
            body.append(_label(x + length + 4, y + 15, panel.texts[row]))
        y += ROW
    return _svg(width, y + 4, title, body)


def _legend(x: float, y: float, names: tuple[str, str]) -> str:
    parts = []
    for number, name in enumerate(names):
        left = x + number * 180
        parts.append(f'<rect x="{left}" y="{y - 9}" width="10" height="10" fill="{COLOURS[number]}"/>')
        parts.append(_label(left + 14, y, name))
    return "".join(parts)
