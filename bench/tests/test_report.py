import unittest

from start_latency.report import format_value, markdown_table
from start_latency.results import Group, from_json, to_json


def groups():
    runtime = Group("1. Runtime", "ms")
    runtime.add("cradle", [10, 20, 30], reference=True)
    runtime.add("runc", [40, 60, 80])
    runtime.add("crun", [], note="not installed: crun")
    phases = Group("6. Phases", "ms", ratio_kind="share")
    phases.add("part", [1, 1, 1])
    phases.add("whole", [4, 4, 4], reference=True)
    rate = Group("4. Throughput", "containers/s", higher_is_better=True)
    rate.add("cradled", [12.5], reference=True)
    return [runtime, phases, rate]


class MarkdownTableTest(unittest.TestCase):
    def setUp(self):
        self.lines = markdown_table(groups()).splitlines()

    def test_header_and_one_line_per_group_and_row(self):
        self.assertEqual(self.lines[0], "| | n | median | p90 | p99 | ratio |")
        self.assertEqual(len(self.lines), 2 + 3 + 3 + 2 + 1)

    def test_rows_give_median_percentiles_and_ratio_to_the_reference(self):
        self.assertIn("| **cradle** | 3 | 20.0 | 28.0 | 29.8 | 1.00× |", self.lines)
        self.assertIn("| runc | 3 | 60.0 | 76.0 | 79.6 | 3.00× |", self.lines)

    def test_a_row_without_samples_says_why(self):
        self.assertIn("| crun | | not installed: crun | | | |", self.lines)

    def test_breakdown_groups_give_shares(self):
        self.assertIn("| part | 3 | 1.00 | 1.00 | 1.00 | 25 % |", self.lines)
        self.assertIn("| **whole** | 3 | 4.00 | 4.00 | 4.00 | 100 % |", self.lines)

    def test_group_headings_name_unit_and_direction(self):
        heading = next(l for l in self.lines if "4. Throughput" in l)
        self.assertIn("containers/s, higher is better", heading)

    def test_format_value(self):
        self.assertEqual([format_value(v) for v in (0, 0.1234, 1.234, 12.34, 123.4)],
                         ["0", "0.123", "1.23", "12.3", "123"])

    def test_json_round_trip(self):
        again = from_json(to_json(groups()))
        self.assertEqual(markdown_table(again), markdown_table(groups()))


if __name__ == "__main__":
    unittest.main()
