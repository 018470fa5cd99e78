import unittest

from start_latency.trace import (Phase, entry_ns, first_marks, parse_trace,
                                 phase_durations_ms)

TRACE = """{"pid":10,"mark":"shim_main","ns":1000000}
{"pid":10,"mark":"spec_loaded","ns":1500000}
not json at all
{"pid":11,"mark":"shim_main","ns":9000000}
{"pid":10,"mark":"plan_built"
{"pid":10,"mark":"plan_built","ns":3500000}
"""


class TraceTest(unittest.TestCase):
    def test_parse_skips_torn_and_foreign_lines(self):
        marks = parse_trace(TRACE)
        self.assertEqual([m.mark for m in marks],
                         ["shim_main", "spec_loaded", "shim_main", "plan_built"])
        self.assertEqual(marks[0].pid, 10)

    def test_first_marks_takes_the_earliest_inside_the_window(self):
        marks = parse_trace(TRACE)
        self.assertEqual(first_marks(marks)["shim_main"], 1000000)
        window = first_marks(marks, 2000000, 10000000)
        self.assertEqual(window, {"shim_main": 9000000, "plan_built": 3500000})

    def test_phase_durations_in_ms_for_present_ordered_marks_only(self):
        phases = [Phase("a", "launch", "shim_main"), Phase("b", "shim_main", "plan_built"),
                  Phase("missing", "plan_built", "entry"), Phase("backwards", "plan_built",
                                                                 "shim_main")]
        marks = dict(first_marks(parse_trace(TRACE)), launch=0)
        self.assertEqual(phase_durations_ms(phases, marks), {"a": 1.0, "b": 2.5})

    def test_entry_line_is_found_in_the_container_output(self):
        self.assertEqual(entry_ns("warning: x\ncradle-bench-entry 123456\n"), 123456)
        self.assertIsNone(entry_ns("cradle-bench-entry\n"))


if __name__ == "__main__":
    unittest.main()
