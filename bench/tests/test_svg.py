import unittest
import xml.etree.ElementTree as ET

from start_latency.results import Group
from start_latency.svg import BAR_LEFT, BAR_RIGHT, axis, plot

NS = {"svg": "http://www.w3.org/2000/svg"}


class AxisTest(unittest.TestCase):
    def test_ends_on_a_round_step_at_or_above_the_highest_value(self):
        self.assertEqual(axis(92.9), (100, 25))
        self.assertEqual(axis(8), (8, 2))
        self.assertEqual(axis(537), (600, 200))
        end, step = axis(0.46)
        self.assertAlmostEqual(end, 0.6)
        self.assertAlmostEqual(step, 0.2)

    def test_empty_group_gets_a_unit_axis(self):
        self.assertEqual(axis(0), (1.0, 0.25))


class PlotTest(unittest.TestCase):
    def setUp(self):
        g = Group("1. Runtime", "ms")
        g.add("cradle <fast> & co", [10, 10, 10, 20], reference=True)
        g.add("runc", [40, 40, 40])
        g.add("crun", [], note="not installed")
        self.svg = plot([g, Group("2. Empty", "MiB")], "title")
        self.root = ET.fromstring(self.svg)

    def test_is_well_formed_svg_with_escaped_labels(self):
        self.assertEqual(self.root.tag, "{http://www.w3.org/2000/svg}svg")
        texts = [t.text for t in self.root.iterfind("svg:text", NS)]
        self.assertIn("cradle <fast> & co", texts)
        self.assertIn("not installed", texts)
        self.assertIn("1. Runtime (ms)", texts)

    def test_one_bar_per_row_with_samples_scaled_to_the_median(self):
        bars = [r for r in self.root.iterfind("svg:rect", NS) if r.get("x") == str(BAR_LEFT)]
        self.assertEqual(len(bars), 2)
        # The axis ends at 40, the highest median or p90 (runc's): cradle's median 10 is a
        # quarter of the span.
        span = BAR_RIGHT - BAR_LEFT
        self.assertAlmostEqual(float(bars[0].get("width")), span * 10 / 40, places=0)
        self.assertAlmostEqual(float(bars[1].get("width")), span, places=0)


if __name__ == "__main__":
    unittest.main()
