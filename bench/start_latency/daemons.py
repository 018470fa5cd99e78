"""The two daemons, private to the benchmark: a cradled and a containerd, each with its own
root, state and socket under the run's scratch directory, both inside the sandbox."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from .progress import log
from .sandbox import Sandbox


def wait_until(ready, what: str, daemon: subprocess.Popen, log_path: Path,
               timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if daemon.poll() is not None or time.monotonic() > deadline:
            tail = log_path.read_text(errors="replace")[-2000:] if log_path.exists() else ""
            raise RuntimeError(f"{what} did not come up; its log ends:\n{tail}")
        time.sleep(0.05)


def stop_process(process: subprocess.Popen | None, what: str) -> None:
    """SIGTERM by pid, then SIGKILL if it lingers."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        log(f"{what} ignored SIGTERM; killing it")
        process.kill()
        process.wait()


def exe_name(pid: int) -> str:
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        return ""


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def private_mib(pid: int) -> float:
    """Private_Clean + Private_Dirty: the memory this process alone costs."""
    total_kib = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            total_kib += int(line.split()[1])
    return total_kib / 1024


class PrivateDaemon:
    """A daemon of the benchmark's own in the sandbox: started in its cgroup with its log in its
    directory, ready when ready() says so; stopped after removing its containers."""

    name = "daemon"

    def __init__(self, sandbox: Sandbox, bin_dir: Path, directory: Path, cgroup: str):
        self.sandbox = sandbox
        self.bin_dir = bin_dir
        self.dir = directory
        self.cgroup = cgroup
        self.log_path = directory / f"{self.name}.log"
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        raise NotImplementedError

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("CRADLE_TRACE", None)
        return env

    def ready(self) -> bool:
        raise NotImplementedError

    def remove_all(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.process = self.sandbox.start_daemon(self.command(), self.cgroup, self.log_path,
                                                 self.environment())
        wait_until(self.ready, self.name, self.process, self.log_path)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def shim_pids(self, exe: str) -> list[int]:
        """Its shims running binary exe: shims stay in the cgroup of the daemon that started
        them (the containers get cgroups of their own)."""
        return [p for p in self.sandbox.pids(self.cgroup) if p != self.pid and exe_name(p) == exe]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.remove_all()
        stop_process(self.process, self.name)


class CradleDaemon(PrivateDaemon):
    """cradled on <dir>/root, <dir>/state, <dir>/cradled.sock; CRADLE_TRACE when trace is set."""

    name = "cradled"

    def __init__(self, sandbox: Sandbox, bin_dir: Path, directory: Path, cgroup: str,
                 trace: Path | None = None):
        super().__init__(sandbox, bin_dir, directory, cgroup)
        self.trace = trace
        self.socket = directory / "cradled.sock"

    def cli(self) -> list[str]:
        return [str(self.bin_dir / "cradle"), "--socket", str(self.socket)]

    def admin(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """An untimed CLI call; the CLI needs only the socket, not the sandbox."""
        return subprocess.run([*self.cli(), *args], capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)

    def command(self) -> list[str]:
        # An explicit config (empty: the flags say it all), so no /etc/cradle/config.yaml is read.
        config = self.dir / "config.yaml"
        config.write_text("# cradled of bench/start-latency: see its command line\n")
        return [str(self.bin_dir / "cradled"), "--root", str(self.dir / "root"), "--state",
                str(self.dir / "state"), "--socket", str(self.socket), "--config", str(config)]

    def environment(self) -> dict[str, str]:
        env = super().environment()
        if self.trace is not None:
            env["CRADLE_TRACE"] = str(self.trace)
        return env

    def ready(self) -> bool:
        return self.admin("version", timeout=10).returncode == 0

    def container_ids(self) -> list[str]:
        return self.admin("ps", "-a", "-q").stdout.split()

    def remove_all(self, timeout: float = 60) -> None:
        """Removes every container, and waits until `--rm` removals in flight are done too."""
        deadline = time.monotonic() + timeout
        while ids := self.container_ids():
            self.admin("rm", "-f", *ids, timeout=timeout)
            if time.monotonic() > deadline:
                log(f"cradled still lists {len(ids)} containers")
                return
            time.sleep(0.05)


class Containerd(PrivateDaemon):
    """Debian's containerd with its own root, state, socket and plugin dir; PATH holds cradle's
    bin, so io.containerd.cradle.v2 is cradle-shim."""

    name = "containerd"

    def __init__(self, sandbox: Sandbox, bin_dir: Path, directory: Path,
                 cgroup: str = "containerd"):
        super().__init__(sandbox, bin_dir, directory, cgroup)
        self.socket = directory / "containerd.sock"

    def config(self) -> str:
        d = self.dir
        return (f'version = 2\nroot = "{d}/root"\nstate = "{d}/state"\n'
                'disabled_plugins = ["io.containerd.grpc.v1.cri", '
                '"io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", '
                '"io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper"]\n'
                f'[grpc]\n  address = "{self.socket}"\n'
                '[debug]\n  address = ""\n  level = "info"\n'
                '[metrics]\n  address = ""\n'
                f'[plugins."io.containerd.internal.v1.opt"]\n  path = "{d}/opt"\n')

    def ctr(self) -> list[str]:
        return ["ctr", "-a", str(self.socket)]

    def admin(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        """An untimed ctr call, inside the sandbox (its FIFOs live in the sandbox's /run)."""
        return self.sandbox.run([*self.ctr(), *args], timeout=timeout)

    def command(self) -> list[str]:
        (self.dir / "config.toml").write_text(self.config())
        return ["containerd", "--config", str(self.dir / "config.toml")]

    def environment(self) -> dict[str, str]:
        env = super().environment()
        env["PATH"] = f"{self.bin_dir}:{env.get('PATH', '/usr/bin:/bin')}"
        return env

    def ready(self) -> bool:
        return self.admin("version", timeout=10).returncode == 0

    def import_image(self, tarball: Path) -> None:
        r = self.admin("images", "import", str(tarball))
        if r.returncode != 0:
            raise RuntimeError(f"ctr images import: {r.stderr.strip()}")

    def remove_all(self) -> None:
        tasks = self.admin("tasks", "ls", "-q").stdout.split()
        if tasks:
            self.admin("tasks", "delete", "--force", *tasks)
        containers = self.admin("containers", "ls", "-q").stdout.split()
        if containers:
            self.admin("containers", "delete", *containers)
