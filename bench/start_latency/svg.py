"""The plot: one panel per group, a bar per row at its median with a whisker to its p90.

Written by hand (no plotting library to install): a few rectangles, lines and labels.
"""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

from .report import format_value
from .results import Group

WIDTH = 960
LABEL_WIDTH = 360       # row labels, right-aligned against the bars
BAR_LEFT = LABEL_WIDTH + 10
BAR_RIGHT = WIDTH - 90  # room for the value printed after a bar
ROW_HEIGHT = 22
TITLE_HEIGHT = 40
AXIS_HEIGHT = 22
PANEL_GAP = 18
REFERENCE_COLOUR = "#2b6cb0"
OTHER_COLOUR = "#a0aec0"


def axis(highest: float, ticks: int = 4) -> tuple[float, float]:
    """(end, step) of an axis from 0 that holds highest: step is 1, 2, 2.5 or 5 times a power
    of ten, chosen for about `ticks` intervals, and end a whole number of steps."""
    if highest <= 0:
        return 1.0, 0.25
    raw = highest / ticks
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
    return step * math.ceil(highest / step - 1e-9), step


def highest_of(group: Group) -> float:
    highest = 0.0
    for row in group.rows:
        summary = row.summary()
        if summary is not None:
            highest = max(highest, summary.median, summary.p90)
    return highest


def text(x: float, y: float, content: str, *, anchor: str = "start", size: int = 12,
         weight: str = "normal", colour: str = "#1a202c") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-weight="{weight}" '
            f'text-anchor="{anchor}" fill="{colour}">{escape(content)}</text>')


def panel(group: Group, top: float) -> tuple[list[str], float]:
    """The elements of one group's panel starting at y=top, and the panel's height."""
    parts = [text(10, top + 18, f"{group.title} ({group.unit})", size=14, weight="bold")]
    scale, step = axis(highest_of(group))
    span = BAR_RIGHT - BAR_LEFT

    def x_of(value: float) -> float:
        return BAR_LEFT + span * min(value, scale) / scale

    rows_top = top + TITLE_HEIGHT - 10
    rows_bottom = rows_top + ROW_HEIGHT * len(group.rows)
    for i in range(round(scale / step) + 1):  # gridlines and their values
        value = step * i
        x = x_of(value)
        parts.append(f'<line x1="{x:.1f}" y1="{rows_top:.1f}" x2="{x:.1f}" '
                     f'y2="{rows_bottom:.1f}" stroke="#e2e8f0"/>')
        parts.append(text(x, rows_bottom + 14, format_value(value), anchor="middle", size=10,
                          colour="#4a5568"))
    for index, row in enumerate(group.rows):
        y = rows_top + index * ROW_HEIGHT
        middle = y + ROW_HEIGHT / 2
        parts.append(text(LABEL_WIDTH, middle + 4, row.label, anchor="end",
                          weight="bold" if row.reference else "normal"))
        summary = row.summary()
        if summary is None:
            parts.append(text(BAR_LEFT + 4, middle + 4, row.note or "no samples", size=11,
                              colour="#c53030"))
            continue
        colour = REFERENCE_COLOUR if row.reference else OTHER_COLOUR
        bar_end = x_of(summary.median)
        parts.append(f'<rect x="{BAR_LEFT}" y="{y + 4:.1f}" width="{bar_end - BAR_LEFT:.1f}" '
                     f'height="{ROW_HEIGHT - 8}" fill="{colour}"/>')
        whisker = x_of(summary.p90)
        parts.append(f'<line x1="{bar_end:.1f}" y1="{middle:.1f}" x2="{whisker:.1f}" '
                     f'y2="{middle:.1f}" stroke="#1a202c" stroke-width="1.5"/>')
        parts.append(f'<line x1="{whisker:.1f}" y1="{y + 6:.1f}" x2="{whisker:.1f}" '
                     f'y2="{y + ROW_HEIGHT - 6:.1f}" stroke="#1a202c" stroke-width="1.5"/>')
        parts.append(text(max(bar_end, whisker) + 6, middle + 4, format_value(summary.median),
                          size=11))
    height = TITLE_HEIGHT + ROW_HEIGHT * len(group.rows) + AXIS_HEIGHT
    return parts, height


def plot(groups: list[Group], title: str = "") -> str:
    parts: list[str] = []
    top = 10.0
    if title:
        parts.append(text(10, 26, title, size=16, weight="bold"))
        parts.append(text(10, 44, "bars: median; whiskers: p90", size=11, colour="#4a5568"))
        top = 56.0
    for group in groups:
        elements, height = panel(group, top)
        parts.extend(elements)
        top += height + PANEL_GAP
    header = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{top:.0f}" '
              f'viewBox="0 0 {WIDTH} {top:.0f}" font-family="DejaVu Sans, Arial, sans-serif">')
    background = f'<rect width="{WIDTH}" height="{top:.0f}" fill="white"/>'
    return "\n".join([header, background, *parts, "</svg>"]) + "\n"
