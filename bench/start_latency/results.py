"""What the benchmark found: groups of rows of samples, each group in one unit.

One group is one block of the table and one panel of the plot. Within a group, the ratio column
is each row's median over the reference row's (cradle's); in a breakdown group it is instead each
phase's share of the reference row, the whole start.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .stats import Summary, summarize


@dataclass
class Row:
    label: str
    samples: list[float] = field(default_factory=list)
    # Why a row has no figures (a contender that failed or is not installed), or a remark.
    note: str = ""
    reference: bool = False

    def summary(self) -> Summary | None:
        return summarize(self.samples) if self.samples else None


@dataclass
class Group:
    title: str
    unit: str
    rows: list[Row] = field(default_factory=list)
    # "ratio": median / reference median; "share": median / reference median as a percentage.
    ratio_kind: Literal["ratio", "share"] = "ratio"
    # Stated in the table: for containers/s more is better, for the rest less is.
    higher_is_better: bool = False

    def reference(self) -> Row | None:
        for row in self.rows:
            if row.reference and row.samples:
                return row
        return None

    def add(self, label: str, samples: list[float], *, note: str = "",
            reference: bool = False) -> Row:
        row = Row(label, list(samples), note, reference)
        self.rows.append(row)
        return row


def to_json(groups: list[Group]) -> list[dict]:
    """The raw samples, for results.json: every figure can be recomputed from them."""
    return [{
        "title": g.title,
        "unit": g.unit,
        "ratio_kind": g.ratio_kind,
        "higher_is_better": g.higher_is_better,
        "rows": [{"label": r.label, "samples": r.samples, "note": r.note,
                  "reference": r.reference} for r in g.rows],
    } for g in groups]


def from_json(data: list[dict]) -> list[Group]:
    return [Group(g["title"], g["unit"],
                  [Row(r["label"], r["samples"], r["note"], r["reference"]) for r in g["rows"]],
                  g["ratio_kind"], g["higher_is_better"]) for g in data]
