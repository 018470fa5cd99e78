import datetime
import io
import unittest
from contextlib import redirect_stderr
from pathlib import Path

from start_latency.cli import FULL, QUICK, SECTIONS, parse_args

REPO = Path("/repo")
NOW = datetime.datetime(2024, 5, 6, 7, 8, 9)


def parse(*argv: str):
    return parse_args(list(argv), REPO, NOW)


class ParseArgsTest(unittest.TestCase):
    def test_defaults_are_the_full_run_against_the_readme_build(self):
        o = parse()
        self.assertEqual(o.build, Path("/repo/build"))
        self.assertEqual(o.results, Path("/repo/bench/results/20240506-070809"))
        self.assertEqual(o.runs, FULL["runs"])
        self.assertEqual(o.throughput_count, 200)
        self.assertEqual(o.throughput_jobs, 8)
        self.assertEqual(o.memory_count, 100)
        self.assertEqual(o.sections, SECTIONS)
        self.assertTrue(o.install)
        self.assertFalse(o.quick)

    def test_quick_lowers_the_counts_and_explicit_options_win(self):
        o = parse("--quick")
        self.assertEqual((o.runs, o.memory_count), (QUICK["runs"], QUICK["memory_count"]))
        o = parse("--quick", "--runs", "7")
        self.assertEqual(o.runs, 7)
        self.assertEqual(o.throughput_count, QUICK["throughput_count"])

    def test_build_and_results_directories(self):
        o = parse("--build", "/elsewhere/b", "--results", "/out")
        self.assertEqual((o.build, o.results), (Path("/elsewhere/b"), Path("/out")))

    def test_only_selects_sections(self):
        self.assertEqual(parse("--only", "runtime, memory").sections, ("runtime", "memory"))

    def test_bad_values_are_usage_errors(self):
        for argv in (["--only", "nosuch"], ["--runs", "0"], ["--warmup", "-1"],
                     ["--throughput-jobs", "0"], ["--runs", "x"]):
            with self.subTest(argv=argv), redirect_stderr(io.StringIO()), \
                    self.assertRaises(SystemExit):
                parse(*argv)

    def test_no_warmup_is_allowed(self):
        self.assertEqual(parse("--warmup", "0").warmup, 0)


if __name__ == "__main__":
    unittest.main()
