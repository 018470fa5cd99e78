"""Order statistics of a list of samples: what every row of the table reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


def percentile(samples: Sequence[float], p: float) -> float:
    """The p-th percentile (0..100), linearly interpolated between the closest ranks.

    The same definition as numpy's default, so figures can be checked with it. With 50 samples
    p99 lies between the two largest: the table says how many runs each row had.
    """
    if not samples:
        raise ValueError("percentile of no samples")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} outside 0..100")
    ordered = sorted(samples)
    rank = p / 100 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(samples: Sequence[float]) -> float:
    return percentile(samples, 50)


@dataclass(frozen=True)
class Summary:
    n: int
    median: float
    p90: float
    p99: float


def summarize(samples: Sequence[float]) -> Summary:
    return Summary(len(samples), median(samples), percentile(samples, 90), percentile(samples, 99))


def ratio(value: float, reference: float) -> float | None:
    """value / reference, or None when there is no meaningful reference."""
    if reference == 0:
        return None
    return value / reference
