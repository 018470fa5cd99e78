"""The private place every contender runs in, as tests/interop/private_containerd.cc does.

A cgroup of our own on the host's cgroup v2 tree, and a holder process (`sleep infinity`) owning
a private mount namespace and a cgroup namespace rooted at that cgroup. In the mount namespace
cgroup2 is mounted over /sys/fs/cgroup, which hides this hybrid host's v1 hierarchies (so runc,
crun and containerd see a pure v2 host and can never touch v1), and /run is a private tmpfs (so
/run/runc, /run/containerd, /run/cradle are ours alone). Daemons and timed commands enter both
namespaces, and everything lives in a child cgroup of ours, so one cgroup.kill at the end ends
whatever is left.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from pathlib import Path

from .progress import log


def find_cgroup2_mount(mountinfo: str) -> str:
    """/sys/fs/cgroup if it is cgroup2 (a pure v2 host), else /sys/fs/cgroup/unified (hybrid),
    else the first cgroup2 mount found."""
    mounts = []
    for line in mountinfo.splitlines():
        fields = line.split()
        if " - " not in line or len(fields) < 5:
            continue
        fstype = line.split(" - ", 1)[1].split()[0]
        if fstype == "cgroup2":
            mounts.append(fields[4])
    for preferred in ("/sys/fs/cgroup", "/sys/fs/cgroup/unified"):
        if preferred in mounts:
            return preferred
    if not mounts:
        raise RuntimeError("no cgroup2 mount on this host")
    return mounts[0]


class Sandbox:
    def __init__(self, name: str, log_dir: Path):
        self.v2_root = find_cgroup2_mount(Path("/proc/self/mountinfo").read_text())
        self.cgroup = f"{self.v2_root}/{name}"
        self.log_dir = log_dir
        self.holder: subprocess.Popen | None = None

    @property
    def holder_pid(self) -> int:
        assert self.holder is not None
        return self.holder.pid

    def start(self) -> None:
        os.mkdir(self.cgroup)
        inside = ("mount -t cgroup2 cgroup2 /sys/fs/cgroup && mount -t tmpfs tmpfs /run && "
                  "mkdir /sys/fs/cgroup/holder && echo $$ > /sys/fs/cgroup/holder/cgroup.procs && "
                  "exec sleep infinity")
        script = (f"echo $$ > {shlex.quote(self.cgroup)}/cgroup.procs && "
                  f"exec unshare -m -C --propagation private /bin/sh -c {shlex.quote(inside)}")
        # sh, unshare and the inner sh all exec: the Popen's pid is the holder's.
        with open(self.log_dir / "sandbox.log", "ab") as err:
            self.holder = subprocess.Popen(["/bin/sh", "-c", script], start_new_session=True,
                                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                           stderr=err)
        deadline = time.monotonic() + 10
        while self._holder_comm() != "sleep":
            if self.holder.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the sandbox did not come up: see sandbox.log")
            time.sleep(0.02)
        self.cgroup_dir("runners")

    def _holder_comm(self) -> str:
        try:
            return Path(f"/proc/{self.holder_pid}/comm").read_text().strip()
        except OSError:
            return ""

    def cgroup_dir(self, name: str) -> str:
        """The host path of the sandbox's cgroup `name`, made if missing."""
        path = f"{self.cgroup}/{name}"
        os.makedirs(path, exist_ok=True)
        return path

    def enter(self, argv: list[str], cgroup: str = "runners") -> list[str]:
        """argv run inside the sandbox, in its cgroup `cgroup`. The move happens on the host side
        first: a cgroup namespace refuses moves from outside its root."""
        procs = shlex.quote(self.cgroup_dir(cgroup) + "/cgroup.procs")
        script = f'echo $$ > {procs} && exec nsenter -t {self.holder_pid} -m -C -- "$@"'
        return ["/bin/sh", "-c", script, "sh", *argv]

    def run(self, argv: list[str], timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
        """An untimed command inside the sandbox (imports, deletes), its output captured."""
        return subprocess.run(self.enter(argv), capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, **kwargs)

    def start_daemon(self, argv: list[str], cgroup: str, log_path: Path,
                     env: dict[str, str] | None = None) -> subprocess.Popen:
        """A daemon inside the sandbox in its own cgroup; the Popen's pid is the daemon's."""
        with open(log_path, "ab") as out:
            return subprocess.Popen(self.enter(argv, cgroup), start_new_session=True, env=env,
                                    stdin=subprocess.DEVNULL, stdout=out, stderr=out)

    def pids(self, cgroup: str) -> list[int]:
        try:
            text = Path(f"{self.cgroup}/{cgroup}/cgroup.procs").read_text()
        except OSError:
            return []
        return [int(p) for p in text.split()]

    def stop(self) -> None:
        """Kills everything still in the sandbox (holder included) and removes its cgroups."""
        if not os.path.isdir(self.cgroup):
            return
        kill_file = Path(self.cgroup) / "cgroup.kill"
        try:
            kill_file.write_text("1")
        except OSError as e:
            log(f"cgroup.kill of {self.cgroup}: {e}")
        if self.holder is not None:
            try:
                self.holder.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.holder_pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while "populated 1" in Path(self.cgroup, "cgroup.events").read_text():
            if time.monotonic() > deadline:
                log(f"{self.cgroup} still has processes; left in place")
                return
            time.sleep(0.05)
        for directory, _, _ in sorted(os.walk(self.cgroup), key=lambda w: -w[0].count("/")):
            try:
                os.rmdir(directory)
            except OSError as e:
                log(f"cannot remove {directory}: {e}")
