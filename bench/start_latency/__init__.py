"""The start-latency benchmark suite behind bench/start-latency (see docs/benchmarks.md)."""
