"""bench/start-latency: sets everything up, runs the sections, writes the results, cleans up."""

from __future__ import annotations

import json
import os
import shlex
import signal
import sys
import tempfile
import traceback
from contextlib import ExitStack
from pathlib import Path

from . import sections as s
from .cli import Options, parse_args
from .daemons import Containerd, CradleDaemon
from .launch import Launcher
from .machine import ensure_contenders, machine_facts
from .progress import elapsed_seconds, log
from .report import markdown_table
from .results import Group, to_json
from .sandbox import Sandbox
from .svg import plot
from .workspace import (BENCH_PROGRAMS, Workspace, build_bench_programs, missing_binaries, prepare,
                        remove)

REPO_ROOT = Path(__file__).resolve().parents[2]


def check_build(build: Path) -> None:
    missing = missing_binaries(build)
    if missing and set(missing) <= set(BENCH_PROGRAMS):
        log(f"building the benchmark's helper programs in {build}")
        result = build_bench_programs(build)
        if result.returncode != 0:
            sys.exit(f"cannot build them:\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
        missing = missing_binaries(build)
    if missing:
        sys.exit(f"{build}/bin lacks {', '.join(missing)}: build cradle first "
                 f"(scripts/setup, or cmake --build {build})")


def run_sections(o: Options, bench: s.Bench) -> tuple[list[Group], list[str]]:
    """Each section on its own: one that breaks is reported and the others still run."""
    plan = {
        "runtime": lambda: s.runtime_level(bench),
        "daemon": lambda: s.daemon_level(bench),
        "exec": lambda: s.exec_level(bench),
        "throughput": lambda: s.throughput(bench, o.throughput_count, o.throughput_jobs,
                                           o.throughput_rounds),
        "memory": lambda: s.memory(bench, o.memory_count, o.throughput_jobs),
        "breakdown": lambda: s.breakdown(bench),
    }
    groups: list[Group] = []
    errors: list[str] = []
    for name, run in plan.items():
        if name not in o.sections:
            continue
        log(f"section: {name}")
        try:
            groups += run()
        except Exception as e:  # noqa: BLE001 - a benchmark reports, it does not stop
            log(f"section {name} failed:\n{traceback.format_exc()}")
            errors.append(f"{name}: {e}")
    return groups, errors


def start_daemons(o: Options, stack: ExitStack, sandbox: Sandbox, bench: s.Bench) -> None:
    ws = bench.ws
    if set(o.sections) & {"daemon", "exec", "throughput", "memory"}:
        log("starting a private cradled")
        bench.cradled = CradleDaemon(sandbox, ws.bin, ws.root / "cradled", "cradled")
        stack.callback(bench.cradled.stop)
        bench.cradled.start()
        if not bench.missing & {"containerd", "ctr"}:
            log("starting a private containerd")
            bench.containerd = Containerd(sandbox, ws.bin, ws.root / "containerd")
            stack.callback(bench.containerd.stop)
            bench.containerd.start()
            bench.containerd.import_image(ws.busybox_tar)
    if "breakdown" in o.sections:
        log("starting a traced cradled (CRADLE_TRACE)")
        bench.traced_cradled = CradleDaemon(sandbox, ws.bin, ws.root / "cradled-traced",
                                            "cradled-traced",
                                            trace=bench.scratch("traces") / "cradled.jsonl")
        stack.callback(bench.traced_cradled.stop)
        bench.traced_cradled.start()
        r = bench.traced_cradled.admin("image", "import", str(ws.entry_tar))
        if r.returncode != 0:
            raise RuntimeError(f"cradle image import: {r.stderr.strip()}")


def write_results(o: Options, facts: dict[str, str], command: str, groups: list[Group],
                  errors: list[str]) -> str:
    table = markdown_table(groups)
    o.results.mkdir(parents=True, exist_ok=True)
    (o.results / "plot.svg").write_text(plot(groups, "cradle start latency"))
    facts_md = "\n".join(f"| {k} | {v} |" for k, v in facts.items())
    failed = "".join(f"\n- section {e}" for e in errors)
    (o.results / "results.md").write_text(
        f"# Start latency\n\n`{command}`\n\n| machine | |\n|---|---|\n{facts_md}\n\n{table}\n"
        f"![plot](plot.svg)\n" + (f"\nSections that failed:{failed}\n" if errors else ""))
    (o.results / "results.json").write_text(json.dumps(
        {"command": command, "machine": facts, "groups": to_json(groups), "errors": errors},
        indent=1))
    return table


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    o = parse_args(args, REPO_ROOT)
    if os.geteuid() != 0:
        sys.exit("bench/start-latency needs root (namespaces, cgroups, runtimes)")
    os.environ.pop("CRADLE_TRACE", None)  # traced runs set it themselves
    # SIGTERM unwinds like Ctrl-C does, through every cleanup below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    check_build(o.build)
    missing = ensure_contenders(o.install)
    facts = machine_facts(REPO_ROOT, o.build)
    command = shlex.join(["bench/start-latency", *args])
    log(f"{command}: results go to {o.results}")

    ws = Workspace(Path(tempfile.mkdtemp(prefix="cradle-start-latency-", dir="/tmp")))
    with ExitStack() as stack:
        stack.callback(lambda: [log(f"left {ws.root}: {m} is mounted") for m in remove(ws)])
        log("copying the binaries under test, writing the bundles")
        prepare(o.build, ws, REPO_ROOT)
        sandbox = Sandbox(f"cradle-start-latency-{os.getpid()}", ws.root)
        stack.callback(sandbox.stop)
        sandbox.start()
        bench = s.Bench(ws, Launcher(ws.bin / "cradle-bench-launch", sandbox), o.runs, o.warmup,
                        missing)
        start_daemons(o, stack, sandbox, bench)
        groups, errors = run_sections(o, bench)
        log("cleaning up")
    facts["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    facts["wall time"] = f"{elapsed_seconds():.0f} s"
    table = write_results(o, facts, command, groups, errors)
    print(table)
    log(f"done in {elapsed_seconds():.0f} s: {o.results}/results.md, plot.svg, results.json")
    return 1 if errors else 0
