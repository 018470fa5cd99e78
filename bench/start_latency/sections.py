"""The six sections of the benchmark, each returning its groups of rows.

Every section leaves nothing behind: containers it starts are removed before it returns.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import trace
from .daemons import Containerd, CradleDaemon, private_mib, rss_mib
from .launch import Launch, Launcher
from .progress import Counter, log
from .results import Group
from .runner import Contender, alternate, rotated
from .workspace import ENTRY_IMAGE, ENTRY_PATH, Workspace

BUSYBOX = "docker.io/library/busybox:latest"
IDLE = ["sleep", "1000000"]


@dataclass(frozen=True)
class Shim:
    """A containerd runtime compared: its shim binary and what it needs installed."""
    tag: str       # in labels ("runc shim") and container ids ("d-runc-3")
    runtime: str
    exe: str
    needs: tuple[str, ...]


SHIMS = (Shim("runc", "io.containerd.runc.v2", "containerd-shim-runc-v2", ("runc",)),
         Shim("cradle", "io.containerd.cradle.v2", "cradle-shim", ()))


@dataclass
class Bench:
    ws: Workspace
    launcher: Launcher
    runs: int
    warmup: int
    missing: set[str] = field(default_factory=set)
    cradled: CradleDaemon | None = None
    containerd: Containerd | None = None
    traced_cradled: CradleDaemon | None = None

    def scratch(self, name: str) -> Path:
        path = self.ws.root / "out" / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def unavailable(self, *binaries: str) -> str:
        gone = [b for b in binaries if b in self.missing]
        return f"not installed: {', '.join(gone)}" if gone else ""

    def ctr_run(self, runtime: str, *args: str) -> list[str]:
        assert self.containerd is not None
        return [*self.containerd.ctr(), *ctr_run_args(runtime, *args)]


def ctr_run_args(runtime: str, *args: str) -> list[str]:
    # --cpu-shares 0: ctr asks for 1024 by default, which needs a cpu controller this v2 tree
    # lacks (runc refuses; cradle treats 1024 as no limit). The same spec for both shims.
    return ["run", "--cpu-shares", "0", "--runtime", runtime, *args]


def run_rm_contenders(b: Bench, id_of) -> list[Contender]:
    """`run --rm busybox true` through cradled and through containerd with each shim; id_of(tag,
    n) names run n's container (ctr needs an id of its own per container)."""
    assert b.cradled is not None
    contenders = [Contender("cradle run --rm (cradled)",
                            lambda n: [*b.cradled.cli(), "run", "--rm", "busybox", "true"],
                            reference=True)]
    if b.containerd is not None:
        contenders += [Contender(
            f"ctr run --rm (containerd + {shim.tag} shim)",
            lambda n, shim=shim: b.ctr_run(shim.runtime, "--rm", BUSYBOX, id_of(shim.tag, n),
                                           "true"),
            failure=b.unavailable(*shim.needs)) for shim in SHIMS]
    return contenders


def group_of(title: str, unit: str, contenders: list[Contender]) -> Group:
    g = Group(title, unit)
    for c in contenders:
        g.add(c.label, c.samples, note=c.failure if not c.samples else "", reference=c.reference)
    return g


# 1. Runtime level: one bundle, four ways to run /bin/true in it.
def runtime_level(b: Bench) -> list[Group]:
    bundle = str(b.ws.true_bundle)
    contenders = [
        Contender("cradle-shim run", lambda n: [str(b.ws.bin / "cradle-shim"), "run", "--bundle",
                                                bundle, "--id", f"rt-cradle-{n}"], reference=True),
        Contender("crun run (--cgroup-manager=disabled)",
                  lambda n: ["crun", "--cgroup-manager=disabled", "run", "--bundle", bundle,
                             f"rt-crun-{n}"], failure=b.unavailable("crun")),
        Contender("runc run", lambda n: ["runc", "run", "--bundle", bundle, f"rt-runc-{n}"],
                  failure=b.unavailable("runc")),
        Contender("floor: clone3 (same namespaces) + exec",
                  lambda n: [str(b.ws.bin / "cradle-bench-floor"), str(b.ws.rootfs / "bin/true")]),
    ]
    alternate(b.launcher, contenders, b.runs, b.warmup, b.scratch("runtime"), "runtime level")
    return [group_of("1. Runtime level: run /bin/true in a bundle", "ms", contenders)]


# 2. Daemon level: a container from the busybox image through a daemon, removed afterwards.
def daemon_level(b: Bench) -> list[Group]:
    assert b.cradled is not None
    contenders = run_rm_contenders(b, lambda tag, n: f"d-{tag}-{n}")
    alternate(b.launcher, contenders, b.runs, b.warmup, b.scratch("daemon"), "daemon level")
    b.cradled.remove_all()
    return [group_of("2. Daemon level: run --rm busybox true", "ms", contenders)]


# 3. Exec of /bin/true into a running container.
def exec_level(b: Bench) -> list[Group]:
    assert b.cradled is not None
    started = b.cradled.admin("run", "-d", "--name", "bench-exec", "busybox", *IDLE)
    if started.returncode != 0:
        raise RuntimeError(f"cradle run -d: {started.stderr.strip()}")
    contenders = [
        Contender("cradle exec", lambda n: [*b.cradled.cli(), "exec", "bench-exec", "true"],
                  reference=True),
    ]
    if b.containerd is not None:
        for shim in SHIMS:
            cid = f"x-{shim.tag}"
            failure = b.unavailable(*shim.needs)
            if not failure:
                r = b.containerd.admin(*ctr_run_args(shim.runtime, "-d", BUSYBOX, cid, *IDLE))
                failure = f"failed: ctr run -d: {r.stderr.strip()}" if r.returncode else ""
            contenders.append(Contender(
                f"ctr task exec ({shim.tag} shim)",
                lambda n, cid=cid: [*b.containerd.ctr(), "task", "exec", "--exec-id", f"e{n}",
                                    cid, "true"], failure=failure))
    try:
        alternate(b.launcher, contenders, b.runs, b.warmup, b.scratch("exec"), "exec")
    finally:
        b.cradled.remove_all()
        if b.containerd is not None:
            b.containerd.remove_all()
    return [group_of("3. Exec into a running container: true", "ms", contenders)]


# 4. Throughput: count containers, jobs at a time, through each daemon.
def throughput(b: Bench, count: int, jobs: int, rounds: int) -> list[Group]:
    assert b.cradled is not None
    # "{i}" is the launcher's: each container of round r gets its own id.
    contenders = run_rm_contenders(b, lambda tag, r: f"t-{tag}-{r}-{{i}}")
    rates: dict[str, list[float]] = {c.label: [] for c in contenders}
    active = [c for c in contenders if not c.failure]
    counter = Counter("throughput rounds", rounds * len(active))
    for r in range(rounds):
        for c in rotated(active, r):
            launches = b.launcher.run_many(c.command(r), count, jobs,
                                           output=b.scratch("throughput") / f"{r}.out")
            counter.step(c.label)
            failed = [l for l in launches if l.status != 0]
            if failed:
                c.failure = f"{len(failed)} of {count} failed (exit {failed[0].status})"
                log(f"{c.label}: {c.failure}")
            ok = [l for l in launches if l.status == 0]
            if ok:
                wall = (max(l.end_ns for l in launches) - min(l.start_ns for l in launches)) / 1e9
                rates[c.label].append(len(ok) / wall)
                c.samples.extend(l.ms for l in ok)
            b.cradled.remove_all()
    rate_group = Group(f"4a. Throughput: {count} containers, {jobs} at a time", "containers/s",
                       higher_is_better=True)
    latency_group = Group("4b. Latency of each of them under that load", "ms")
    for c in contenders:
        note = c.failure
        rate_group.add(c.label, rates[c.label], note=note, reference=c.reference)
        latency_group.add(c.label, c.samples, note=note, reference=c.reference)
    return [rate_group, latency_group]


# 5. Memory: count idle containers per daemon; private memory of each shim, daemons' RSS.
def start_idle(b: Bench, command: list[str], count: int, jobs: int, what: str) -> str:
    launches = b.launcher.run_many(command, count, jobs, output=b.scratch("memory") / f"{what}.out")
    failed = [l for l in launches if l.status != 0]
    time.sleep(1)  # let the shims settle (first connections, lazy allocations)
    return f"{len(failed)} of {count} failed to start" if failed else ""


def memory(b: Bench, count: int, jobs: int) -> list[Group]:
    assert b.cradled is not None
    shims = Group(f"5a. Private memory per idle shim ({count} idle containers)", "MiB")
    daemons = Group("5b. Daemon RSS", "MiB")
    log(f"memory: {count} idle containers through cradled")
    daemons.add("cradled, no containers", [rss_mib(b.cradled.pid)], reference=True)
    note = start_idle(b, [*b.cradled.cli(), "run", "-d", "busybox", *IDLE], count, jobs, "cradle")
    shims.add("cradle-shim (cradled)",
              [private_mib(p) for p in b.cradled.shim_pids("cradle-shim")], note=note,
              reference=True)
    daemons.add(f"cradled, {count} containers", [rss_mib(b.cradled.pid)], note=note)
    b.cradled.remove_all()
    if b.containerd is not None:
        daemons.add("containerd, no containers", [rss_mib(b.containerd.pid)])
        for shim in SHIMS:
            if failure := b.unavailable(*shim.needs):
                shims.add(f"{shim.exe} (containerd)", [], note=failure)
                continue
            log(f"memory: {count} idle containers through containerd + {shim.tag} shim")
            note = start_idle(b, b.ctr_run(shim.runtime, "-d", BUSYBOX, f"m-{shim.tag}-{{i}}",
                                           *IDLE), count, jobs, shim.tag)
            shims.add(f"{shim.exe} (containerd)",
                      [private_mib(p) for p in b.containerd.shim_pids(shim.exe)], note=note)
            daemons.add(f"containerd, {count} containers ({shim.tag} shim)",
                        [rss_mib(b.containerd.pid)], note=note)
            b.containerd.remove_all()
    return [shims, daemons]


# 6. Where cradle's own start goes, from the CRADLE_TRACE marks.
def phase_groups(title: str, phases: list[trace.Phase], totals: list[trace.Phase],
                 samples: dict[str, list[float]], failure: str) -> Group:
    g = Group(title, "ms", ratio_kind="share")
    for p in phases + totals:
        g.add(p.label, samples.get(p.label, []), note=failure,
              reference=p is totals[-1])
    return g


def breakdown(b: Bench) -> list[Group]:
    assert b.traced_cradled is not None
    traces = b.scratch("traces")
    run_samples: dict[str, list[float]] = {}
    daemon_samples: dict[str, list[float]] = {}

    def collect(into: dict[str, list[float]], phases: list[trace.Phase], marks: dict[str, int],
                launch: Launch, output: str) -> None:
        marks = dict(marks, launch=launch.start_ns, done=launch.end_ns)
        entry = trace.entry_ns(output)
        if entry is not None:
            marks["entry"] = entry
        for label, ms in trace.phase_durations_ms(phases, marks).items():
            into.setdefault(label, []).append(ms)

    def on_run(n: int, launch: Launch, output: str) -> None:
        marks = trace.first_marks(trace.parse_trace((traces / f"run-{n}.jsonl").read_text()))
        collect(run_samples, trace.RUN_PHASES + trace.RUN_TOTALS, marks, launch, output)

    daemon_trace = b.traced_cradled.trace
    assert daemon_trace is not None

    def on_daemon(n: int, launch: Launch, output: str) -> None:
        # One file for the daemon and its shims: this run's marks are those in its window.
        marks = trace.first_marks(trace.parse_trace(daemon_trace.read_text()), launch.start_ns,
                                  launch.end_ns)
        collect(daemon_samples, trace.DAEMON_PHASES + trace.DAEMON_TOTALS, marks, launch, output)

    contenders = [
        Contender("cradle-shim run (traced)",
                  lambda n: [str(b.ws.bin / "cradle-shim"), "run", "--bundle",
                             str(b.ws.entry_bundle), "--id", f"tr-{n}"],
                  env=lambda n: dict(os.environ, CRADLE_TRACE=str(traces / f"run-{n}.jsonl")),
                  on_sample=on_run),
        Contender("cradle run --rm (traced)",
                  lambda n: [*b.traced_cradled.cli(), "run", "--rm", ENTRY_IMAGE, ENTRY_PATH],
                  # The CLI's marks go to the daemon's file: one timeline per run.
                  env=lambda n: dict(os.environ, CRADLE_TRACE=str(daemon_trace)),
                  on_sample=on_daemon),
    ]
    alternate(b.launcher, contenders, b.runs, b.warmup, b.scratch("breakdown"), "breakdown")
    return [
        phase_groups("6a. cradle-shim run, phase by phase", trace.RUN_PHASES, trace.RUN_TOTALS,
                     run_samples, contenders[0].failure),
        phase_groups("6b. cradle run --rm through cradled, phase by phase", trace.DAEMON_PHASES,
                     trace.DAEMON_TOTALS, daemon_samples, contenders[1].failure),
    ]
