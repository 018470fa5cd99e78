"""The command line of bench/start-latency."""

from __future__ import annotations

import argparse
import datetime
from dataclasses import dataclass
from pathlib import Path

SECTIONS = ("runtime", "daemon", "exec", "throughput", "memory", "breakdown")

# What --quick changes; an option given explicitly wins over either preset.
FULL = {"runs": 50, "warmup": 5, "throughput_count": 200, "throughput_rounds": 3,
        "memory_count": 100}
QUICK = {"runs": 10, "warmup": 2, "throughput_count": 40, "throughput_rounds": 1,
         "memory_count": 20}


@dataclass
class Options:
    build: Path            # the build directory: bin/ and images/ are read from it
    results: Path          # where the table, the plot and the raw samples go
    runs: int
    warmup: int
    throughput_count: int
    throughput_jobs: int
    throughput_rounds: int
    memory_count: int
    sections: tuple[str, ...]
    install: bool
    quick: bool


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="bench/start-latency",
        description="Start latency, throughput and memory of cradle against runc, crun and "
                    "containerd, on this machine, in one go. Needs root.")
    p.add_argument("--build", type=Path, default=None,
                   help="cradle's build directory (default: <repo>/build); its bin/ and "
                        "images/ are what is measured")
    p.add_argument("--results", type=Path, default=None,
                   help="output directory (default: bench/results/<timestamp>)")
    p.add_argument("--quick", action="store_true",
                   help=f"fewer runs: {QUICK['runs']} per row, {QUICK['throughput_count']} "
                        f"containers for throughput, {QUICK['memory_count']} for memory")
    p.add_argument("--runs", type=int, help=f"timed runs per row (default {FULL['runs']})")
    p.add_argument("--warmup", type=int, help=f"untimed runs first (default {FULL['warmup']})")
    p.add_argument("--throughput-count", type=int,
                   help=f"containers per throughput round (default {FULL['throughput_count']})")
    p.add_argument("--throughput-jobs", type=int, default=8,
                   help="containers started at a time (default 8)")
    p.add_argument("--throughput-rounds", type=int,
                   help=f"throughput rounds per contender (default {FULL['throughput_rounds']})")
    p.add_argument("--memory-count", type=int,
                   help=f"idle containers for the memory rows (default {FULL['memory_count']})")
    p.add_argument("--only", default=",".join(SECTIONS),
                   help=f"comma-separated sections to run (default all: {','.join(SECTIONS)})")
    p.add_argument("--no-install", action="store_true",
                   help="do not apt-get install missing contenders; their rows say so")
    return p


def parse_args(argv: list[str], repo_root: Path,
               now: datetime.datetime | None = None) -> Options:
    parser = build_parser()
    a = parser.parse_args(argv)
    preset = QUICK if a.quick else FULL

    def pick(name: str) -> int:
        value = getattr(a, name)
        value = preset[name] if value is None else value
        if value < (0 if name == "warmup" else 1):
            parser.error(f"--{name.replace('_', '-')} must be positive")
        return value

    sections = tuple(s.strip() for s in a.only.split(",") if s.strip())
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown or not sections:
        parser.error(f"--only: unknown section(s) {', '.join(unknown) or '(none given)'}; "
                     f"choose from {', '.join(SECTIONS)}")
    if a.throughput_jobs < 1:
        parser.error("--throughput-jobs must be positive")

    build = (a.build or repo_root / "build").resolve()
    # Accept the bin directory itself too (`--build build/bin`).
    if build.name == "bin" and (build.parent / "images").is_dir():
        build = build.parent
    stamp = (now or datetime.datetime.now()).strftime("%Y%m%d-%H%M%S")
    results = (a.results or repo_root / "bench" / "results" / stamp).resolve()
    return Options(build=build, results=results, runs=pick("runs"), warmup=pick("warmup"),
                   throughput_count=pick("throughput_count"),
                   throughput_jobs=a.throughput_jobs,
                   throughput_rounds=pick("throughput_rounds"),
                   memory_count=pick("memory_count"), sections=sections,
                   install=not a.no_install, quick=a.quick)
