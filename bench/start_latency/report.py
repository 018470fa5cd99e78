"""The Markdown table of all groups: median, p90, p99 and the ratio to cradle per row."""

from __future__ import annotations

from .results import Group, Row
from .stats import ratio


def format_value(value: float) -> str:
    """Three significant figures or so, without scientific notation: 0.123, 12.3, 1234."""
    magnitude = abs(value)
    if magnitude == 0:
        return "0"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def ratio_cell(group: Group, row: Row) -> str:
    reference = group.reference()
    if reference is None or not row.samples:
        return ""
    r = ratio(row.summary().median, reference.summary().median)
    if r is None:
        return ""
    if group.ratio_kind == "share":
        return "100 %" if row is reference else f"{r * 100:.0f} %"
    return f"{r:.2f}×"


def row_cells(group: Group, row: Row) -> list[str]:
    label = f"**{row.label}**" if row.reference else row.label
    summary = row.summary()
    if summary is None:
        return [label, "", row.note or "no samples", "", "", ""]
    cells = [label, str(summary.n), format_value(summary.median), format_value(summary.p90),
             format_value(summary.p99), ratio_cell(group, row)]
    if row.note:
        cells[0] += f" ({row.note})"
    return cells


def group_heading(group: Group) -> str:
    what = "share of the whole" if group.ratio_kind == "share" else "vs cradle"
    better = "higher is better" if group.higher_is_better else "lower is better"
    return f"**{group.title}** — {group.unit}, {better}; last column: {what}"


def markdown_row(cells: list[str]) -> str:
    return "|" + "|".join(f" {c} " if c else " " for c in cells) + "|"


def markdown_table(groups: list[Group]) -> str:
    lines = ["| | n | median | p90 | p99 | ratio |", "|---|--:|--:|--:|--:|--:|"]
    for group in groups:
        lines.append(markdown_row([group_heading(group), "", "", "", "", ""]))
        for row in group.rows:
            lines.append(markdown_row(row_cells(group, row)))
    return "\n".join(lines) + "\n"
