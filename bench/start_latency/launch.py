"""Timed starts through cradle-bench-launch (bench/programs/launch.cc).

Every timed command, whatever the contender, starts the same way: the launcher enters the
sandbox's namespaces and cgroup first (untimed), then reads the clock, clones, execs the command
and reaps it. The Python driver's own overhead is outside the figures.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .sandbox import Sandbox


@dataclass(frozen=True)
class Launch:
    index: int
    start_ns: int
    end_ns: int
    status: int

    @property
    def ms(self) -> float:
        return (self.end_ns - self.start_ns) / 1e6


class LaunchError(RuntimeError):
    pass


def parse_launches(text: str) -> list[Launch]:
    """The launcher's JSON lines, in the order the commands ended."""
    out = []
    for line in text.splitlines():
        if line.strip():
            r = json.loads(line)
            out.append(Launch(int(r["i"]), int(r["start_ns"]), int(r["end_ns"]), int(r["status"])))
    return out


class Launcher:
    def __init__(self, binary: Path, sandbox: Sandbox):
        self.binary = binary
        self.sandbox = sandbox

    def _command(self, argv: list[str], output: Path | None, jobs: int, count: int) -> list[str]:
        return [str(self.binary), "--ns-of", str(self.sandbox.holder_pid),
                "--cgroup", self.sandbox.cgroup_dir("runners"),
                "--output", str(output or os.devnull), "--jobs", str(jobs), "--count", str(count),
                "--", *argv]

    def run_many(self, argv: list[str], count: int, jobs: int, *, output: Path | None = None,
                 env: dict[str, str] | None = None, timeout: float = 600) -> list[Launch]:
        """count commands, jobs at a time; "{i}" in argv becomes each one's index."""
        result = subprocess.run(self._command(argv, output, jobs, count), capture_output=True,
                                text=True, env=env, timeout=timeout, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            raise LaunchError(result.stderr.strip())
        return parse_launches(result.stdout)

    def run(self, argv: list[str], *, output: Path | None = None,
            env: dict[str, str] | None = None, timeout: float = 120) -> Launch:
        return self.run_many(argv, 1, 1, output=output, env=env, timeout=timeout)[0]
