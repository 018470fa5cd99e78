"""What the benchmark ran on and with, and installing the contenders when they are missing."""

from __future__ import annotations

import datetime
import os
import platform
import shutil
import subprocess
from pathlib import Path

from .progress import log

# binary -> Debian package that provides it
CONTENDER_PACKAGES = {"runc": "runc", "crun": "crun", "containerd": "containerd",
                      "ctr": "containerd", "containerd-shim-runc-v2": "containerd"}


def first_line(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "not available"
    return out.splitlines()[0].strip() if out.strip() else "not available"


def read_field(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def machine_facts(repo_root: Path, build: Path) -> dict[str, str]:
    mem_kib = read_field("/proc/meminfo", "MemTotal").split()[0]
    try:
        debian = Path("/etc/debian_version").read_text().strip()
    except OSError:
        debian = "unknown"
    commit = first_line(["git", "-C", str(repo_root), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(repo_root), "status", "--porcelain"],
                           capture_output=True, text=True).stdout.strip()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    built = datetime.datetime.fromtimestamp((build / "bin" / "cradle-shim").stat().st_mtime)
    return {
        "cpu": read_field("/proc/cpuinfo", "model name"),
        "cores": str(os.cpu_count()),
        "memory": f"{int(mem_kib) / 1024 / 1024:.1f} GiB" if mem_kib.isdigit() else "unknown",
        "kernel": platform.release(),
        "debian": debian,
        "load average at start": load,
        "cradle": f"{commit}{' + uncommitted changes' if dirty else ''}, build {build} "
                  f"(cradle-shim built {built:%Y-%m-%d %H:%M})",
        "runc": first_line(["runc", "--version"]),
        "crun": first_line(["crun", "--version"]),
        "containerd": first_line(["containerd", "--version"]),
    }


def ensure_contenders(install: bool) -> set[str]:
    """Installs what is missing with apt-get (when allowed); returns the binaries still missing."""
    missing = {b for b in CONTENDER_PACKAGES if shutil.which(b) is None}
    if missing and install:
        packages = sorted({CONTENDER_PACKAGES[b] for b in missing})
        log(f"installing {' '.join(packages)} (apt-get)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        result = subprocess.run(["apt-get", "install", "-y", *packages], env=env,
                                capture_output=True, text=True)
        if result.returncode != 0:
            log(f"apt-get install failed: {result.stderr.strip()[-300:]}")
        missing = {b for b in CONTENDER_PACKAGES if shutil.which(b) is None}
    if missing:
        log(f"missing, their rows will say so: {', '.join(sorted(missing))}")
    return missing
