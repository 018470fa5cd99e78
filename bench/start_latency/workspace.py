"""The run's scratch directory: a frozen copy of the binaries under test, the bundles and the
traced image.

The binaries are copied first, so a rebuild of the build directory while the benchmark runs (others
build in parallel) cannot change what is measured halfway.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

CRADLE_BINARIES = ("cradle", "cradle-shim", "cradled", "cradle-init")
BENCH_PROGRAMS = ("cradle-bench-launch", "cradle-bench-floor", "cradle-bench-entry")
ENTRY_IMAGE = "docker.io/library/cradle-bench-entry:latest"
ENTRY_PATH = "/cradle-bench-entry"


def missing_binaries(build: Path) -> list[str]:
    return [b for b in CRADLE_BINARIES + BENCH_PROGRAMS if not (build / "bin" / b).is_file()]


def build_bench_programs(build: Path) -> subprocess.CompletedProcess:
    """Builds only the helper programs in build (they are plain programs, quick to build)."""
    return subprocess.run(["cmake", "--build", str(build), "--target", "cradle_bench_programs"],
                          capture_output=True, text=True)


@dataclass
class Workspace:
    root: Path

    @property
    def bin(self) -> Path:
        return self.root / "build" / "bin"

    @property
    def images(self) -> Path:
        return self.root / "build" / "images"

    @property
    def rootfs(self) -> Path:
        return self.images / "busybox" / "rootfs"

    @property
    def busybox_tar(self) -> Path:
        return self.images / "busybox.tar"

    @property
    def true_bundle(self) -> Path:
        return self.root / "bundles" / "true"

    @property
    def entry_bundle(self) -> Path:
        return self.root / "bundles" / "entry"

    @property
    def entry_rootfs(self) -> Path:
        return self.root / "rootfs-entry"

    @property
    def entry_tar(self) -> Path:
        return self.root / "cradle-bench-entry.tar"

    def path(self, *parts: str) -> Path:
        p = self.root.joinpath(*parts)
        p.parent.mkdir(parents=True, exist_ok=True)
        return p


def snapshot_build(build: Path, ws: Workspace) -> None:
    ws.bin.mkdir(parents=True)
    for name in CRADLE_BINARIES + BENCH_PROGRAMS:
        shutil.copy2(build / "bin" / name, ws.bin / name)
    # containerd runs the runtime io.containerd.cradle.v2 as containerd-shim-cradle-v2.
    os.symlink("cradle-shim", ws.bin / "containerd-shim-cradle-v2")
    (ws.images / "busybox").mkdir(parents=True)
    shutil.copy2(build / "images" / "busybox.tar", ws.busybox_tar)
    subprocess.run(["cp", "-a", str(build / "images" / "busybox" / "rootfs"), str(ws.rootfs)],
                   check=True)


def write_bundle(bundle: Path, rootfs: Path, args: list[str]) -> None:
    """`runc spec` (runc's defaults, which every contender reads) with args, no terminal, and
    the rootfs by absolute path, so all the runtimes read the very same files."""
    bundle.mkdir(parents=True)
    subprocess.run(["runc", "spec", "--bundle", str(bundle)], check=True)
    config_path = bundle / "config.json"
    config = json.loads(config_path.read_text())
    config["process"]["args"] = args
    config["process"]["terminal"] = False
    config["root"]["path"] = str(rootfs)
    config_path.write_text(json.dumps(config, indent=2))


def prepare(build: Path, ws: Workspace, repo_root: Path) -> None:
    snapshot_build(build, ws)
    write_bundle(ws.true_bundle, ws.rootfs, ["/bin/true"])
    # The traced start runs cradle-bench-entry: the same busybox rootfs with the program added.
    subprocess.run(["cp", "-a", str(ws.rootfs), str(ws.entry_rootfs)], check=True)
    shutil.copy2(ws.bin / "cradle-bench-entry", ws.entry_rootfs / ENTRY_PATH.lstrip("/"))
    write_bundle(ws.entry_bundle, ws.entry_rootfs, [ENTRY_PATH])
    subprocess.run([str(repo_root / "scripts" / "make-busybox-image-tar"), str(ws.entry_rootfs),
                    str(ws.entry_tar), ENTRY_IMAGE], check=True)


def mounts_under(path: Path) -> list[str]:
    prefix = str(path).rstrip("/") + "/"
    found = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        mount_point = line.split()[4]
        if mount_point.startswith(prefix):
            found.append(mount_point)
    return found


def remove(ws: Workspace) -> list[str]:
    """Removes the scratch directory, unless something is still mounted in it (never delete
    through a mount); returns what was in the way."""
    in_the_way = mounts_under(ws.root)
    if not in_the_way:
        shutil.rmtree(ws.root, ignore_errors=True)
    return in_the_way
