"""Progress on stderr, so a long run shows where it is; stdout keeps only the final table."""

from __future__ import annotations

import sys
import time

_started = time.monotonic()


def log(message: str) -> None:
    elapsed = time.monotonic() - _started
    print(f"[{elapsed:6.1f}s] {message}", file=sys.stderr, flush=True)


def elapsed_seconds() -> float:
    return time.monotonic() - _started


class Counter:
    """`what: done/total`, rewritten in place on a terminal, every tenth step otherwise."""

    def __init__(self, what: str, total: int):
        self.what = what
        self.total = max(total, 1)
        self.done = 0
        self.tty = sys.stderr.isatty()

    def step(self, detail: str = "") -> None:
        self.done += 1
        line = f"  {self.what}: {self.done}/{self.total} {detail}".rstrip()
        if self.tty:
            end = "\n" if self.done == self.total else ""
            print(f"\r\033[K{line}", end=end, file=sys.stderr, flush=True)
        elif self.done == self.total or self.done % max(self.total // 10, 1) == 0:
            print(line, file=sys.stderr, flush=True)
