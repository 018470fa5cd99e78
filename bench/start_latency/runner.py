"""Runs contenders alternately: round by round, each contender once per round, the order rotated
every round, so that drift on the machine (other work, caches, thermal) hits all of them alike."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .launch import Launch, Launcher
from .progress import Counter, log


def rotated(items: list, shift: int) -> list:
    if not items:
        return []
    shift %= len(items)
    return items[shift:] + items[:shift]


def slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def last_lines(path: Path, count: int = 3) -> str:
    try:
        lines = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " / ".join(lines[-count:])


@dataclass
class Contender:
    label: str
    # The command of run number n (n counts warm-up runs too, so ids stay unique).
    command: Callable[[int], list[str]]
    reference: bool = False
    env: Callable[[int], dict[str, str] | None] = lambda n: None
    # Called after each timed (not warm-up) run with its number, timing and output.
    on_sample: Callable[[int, Launch, str], None] | None = None
    # Set before the runs when it cannot run at all (not installed), or by a failed run.
    failure: str = ""
    samples: list[float] = field(default_factory=list)


def alternate(launcher: Launcher, contenders: list[Contender], runs: int, warmup: int,
              scratch: Path, what: str) -> None:
    active = [c for c in contenders if not c.failure]
    counter = Counter(what, (runs + warmup) * len(active))
    for n in range(warmup + runs):
        for c in rotated(active, n):
            if c.failure:
                counter.step()
                continue
            output = scratch / f"{slug(c.label)}.out"
            launch = launcher.run(c.command(n), output=output, env=c.env(n))
            counter.step(c.label)
            if launch.status != 0:
                c.failure = f"failed: exit {launch.status}: {last_lines(output)}"
                log(f"{c.label}: {c.failure}")
                continue
            if n >= warmup:
                c.samples.append(launch.ms)
                if c.on_sample is not None:
                    c.on_sample(n, launch, output.read_text(errors="replace"))
