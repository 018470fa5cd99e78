import unittest

from start_latency.launch import Launch, parse_launches
from start_latency.runner import rotated, slug
from start_latency.sandbox import find_cgroup2_mount

HYBRID = """\
25 1 0:23 / /sys rw - sysfs sysfs rw
30 25 0:26 / /sys/fs/cgroup ro - tmpfs tmpfs ro,mode=755
31 30 0:27 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate
32 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu
"""
PURE = "40 25 0:30 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw\n"


class PlumbingTest(unittest.TestCase):
    def test_launcher_lines(self):
        text = '{"i":1,"start_ns":10,"end_ns":2000010,"status":0}\n\n' \
               '{"i":0,"start_ns":5,"end_ns":7,"status":137}\n'
        launches = parse_launches(text)
        self.assertEqual(launches, [Launch(1, 10, 2000010, 0), Launch(0, 5, 7, 137)])
        self.assertEqual(launches[0].ms, 2.0)

    def test_rotation_puts_each_contender_first_in_turn(self):
        items = ["a", "b", "c"]
        self.assertEqual([rotated(items, n)[0] for n in range(4)], ["a", "b", "c", "a"])
        self.assertEqual(rotated(items, 1), ["b", "c", "a"])
        self.assertEqual(rotated([], 3), [])

    def test_slug(self):
        self.assertEqual(slug("crun run (--cgroup-manager=disabled)"),
                         "crun-run-cgroup-manager-disabled")

    def test_cgroup2_mount_of_hybrid_and_pure_hosts(self):
        self.assertEqual(find_cgroup2_mount(HYBRID), "/sys/fs/cgroup/unified")
        self.assertEqual(find_cgroup2_mount(PURE), "/sys/fs/cgroup")
        with self.assertRaises(RuntimeError):
            find_cgroup2_mount("32 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n")


if __name__ == "__main__":
    unittest.main()
