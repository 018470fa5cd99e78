import unittest

from start_latency.stats import median, percentile, ratio, summarize


class PercentileTest(unittest.TestCase):
    def test_interpolates_between_closest_ranks_like_numpy(self):
        samples = [15, 20, 35, 40, 50]
        self.assertEqual(percentile(samples, 0), 15)
        self.assertEqual(percentile(samples, 100), 50)
        self.assertEqual(percentile(samples, 50), 35)
        # numpy.percentile([15, 20, 35, 40, 50], 40) == 29.0
        self.assertAlmostEqual(percentile(samples, 40), 29.0)
        # numpy.percentile(range(1, 51), 99) == 49.51
        self.assertAlmostEqual(percentile(list(range(1, 51)), 99), 49.51)

    def test_order_of_the_input_does_not_matter(self):
        self.assertEqual(percentile([3, 1, 2], 50), 2)

    def test_median_of_an_even_count_is_the_mean_of_the_middle_two(self):
        self.assertEqual(median([1, 2, 3, 10]), 2.5)

    def test_one_sample_is_every_percentile(self):
        s = summarize([7.0])
        self.assertEqual((s.n, s.median, s.p90, s.p99), (1, 7.0, 7.0, 7.0))

    def test_refuses_no_samples_and_bad_percentiles(self):
        with self.assertRaises(ValueError):
            percentile([], 50)
        with self.assertRaises(ValueError):
            percentile([1], 101)

    def test_ratio(self):
        self.assertEqual(ratio(3, 2), 1.5)
        self.assertIsNone(ratio(3, 0))


if __name__ == "__main__":
    unittest.main()
