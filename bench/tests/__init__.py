"""Tests of bench/start_latency's parts that need no timing: `cd bench && python3 -m unittest`.

Not part of ctest: benchmarks stay out of the test command."""

import sys
from pathlib import Path

# bench/ holds the start_latency package, whichever directory the tests are run from.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
