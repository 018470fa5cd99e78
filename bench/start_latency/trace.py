"""CRADLE_TRACE files (src/base/phase_trace.h) turned into per-phase durations.

A trace is JSON lines {"pid","mark","ns"} on CLOCK_MONOTONIC, from every cradle process of a
start. Three marks come from the benchmark instead: "launch" and "done" (cradle-bench-launch's
clock before clone3 and after reaping the client) and "entry" (cradle-bench-entry's first
instruction inside the container). A phase is the time between two marks; a run lacking one of
them simply has no sample for that phase.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Mark:
    pid: int
    mark: str
    ns: int


@dataclass(frozen=True)
class Phase:
    label: str
    start: str
    end: str


# From the plan to the container waiting for "go", in any shim. The child's marks are taken by
# the child itself and sent to the shim with its ready message.
CONTAINER_PHASES = [
    Phase("cgroup create + clone3", "plan_built", "child_started"),
    Phase("child: namespaces", "child_started", "child_namespaces"),
    Phase("child: mounts", "child_namespaces", "child_mounts"),
    Phase("child: pivot_root", "child_mounts", "child_pivot_root"),
    Phase("child: masked/read-only paths, ready", "child_pivot_root", "ready"),
]

# `cradle-shim run` of a bundle, in order.
RUN_PHASES = [
    Phase("cradle-shim starts (exec, dynamic loading)", "launch", "shim_main"),
    Phase("spec load", "shim_main", "spec_loaded"),
    Phase("plan", "spec_loaded", "plan_built"),
    *CONTAINER_PHASES,
    Phase("ready -> go", "ready", "go"),
    Phase("exec -> entrypoint's first instruction", "go", "entry"),
    Phase("entrypoint runs and is reaped", "entry", "exited"),
    Phase("cgroup removal", "exited", "cleaned_up"),
    Phase("cradle-shim exits", "cleaned_up", "done"),
]
RUN_TOTALS = [
    Phase("launch -> entrypoint's first instruction", "launch", "entry"),
    Phase("whole `cradle-shim run`", "launch", "done"),
]

# `cradle run --rm` through cradled: the CLI, the daemon, the shim's start action, the shim
# daemon and the container's child.
DAEMON_PHASES = [
    Phase("CLI starts, container record + snapshot", "launch", "daemon_task_create"),
    Phase("daemon: bundle, shim exec", "daemon_task_create", "shim_main"),
    Phase("shim start (socket, fork, connect)", "shim_main", "daemon_shim_started"),
    Phase("Create call reaches the shim", "daemon_shim_started", "shim_create"),
    Phase("shim: rootfs mount, spec load, plan", "shim_create", "plan_built"),
    *CONTAINER_PHASES,
    Phase("Create reply -> Start call", "ready", "daemon_task_start"),
    Phase("Start call reaches the shim", "daemon_task_start", "shim_start"),
    Phase("shim: start -> go", "shim_start", "go"),
    Phase("exec -> entrypoint's first instruction", "go", "entry"),
    Phase("entrypoint runs, the shim reaps it", "entry", "init_exited"),
    Phase("shim: output flushed, exit published", "init_exited", "exit_published"),
    Phase("exit reaches the daemon (TaskExit)", "exit_published", "daemon_exit_seen"),
    Phase("exit reaches the CLI (Attach)", "daemon_exit_seen", "cli_exit_received"),
    Phase("CLI: container removal", "cli_exit_received", "cli_removed"),
    Phase("CLI exits", "cli_removed", "done"),
]
DAEMON_TOTALS = [
    Phase("launch -> entrypoint's first instruction", "launch", "entry"),
    Phase("whole `cradle run --rm`", "launch", "done"),
]

_ENTRY_LINE = re.compile(r"^cradle-bench-entry (\d+)$", re.MULTILINE)


def parse_trace(text: str) -> list[Mark]:
    """The marks of a trace file; a torn or foreign line is skipped, not fatal."""
    marks = []
    for line in text.splitlines():
        try:
            record = json.loads(line)
            marks.append(Mark(int(record["pid"]), str(record["mark"]), int(record["ns"])))
        except (ValueError, KeyError, TypeError):
            continue
    return marks


def first_marks(marks: list[Mark], start_ns: int | None = None,
                end_ns: int | None = None) -> dict[str, int]:
    """Each mark's earliest time, among those inside [start_ns, end_ns] when given.

    Runs are sequential, so a run's marks are the ones inside its launch..done window.
    """
    found: dict[str, int] = {}
    for m in marks:
        if start_ns is not None and m.ns < start_ns:
            continue
        if end_ns is not None and m.ns > end_ns:
            continue
        if m.mark not in found or m.ns < found[m.mark]:
            found[m.mark] = m.ns
    return found


def entry_ns(output: str) -> int | None:
    """The timestamp cradle-bench-entry printed, if its line is in output."""
    match = _ENTRY_LINE.search(output)
    return int(match.group(1)) if match else None


def phase_durations_ms(phases: list[Phase], marks: dict[str, int]) -> dict[str, float]:
    """label -> milliseconds, for each phase whose two marks are present and in order."""
    out = {}
    for phase in phases:
        if phase.start in marks and phase.end in marks and marks[phase.end] >= marks[phase.start]:
            out[phase.label] = (marks[phase.end] - marks[phase.start]) / 1e6
    return out
