"""journal/report/charts/: the gridlines every chart of the PDF shares."""

import pytest

from journal.report.charts import axis_steps


@pytest.mark.parametrize(
    ("peak", "step", "top"),
    [
        (0, 1, 1),
        (3, 1, 3),
        (5, 1, 5),
        (6, 2, 6),
        (8, 2, 8),
        (22, 5, 25),
        (50, 10, 50),
        (51, 20, 60),
    ],
)
def test_axis_steps_are_whole_numbers_with_at_most_five_gridlines(peak, step, top):
    assert axis_steps(peak) == (step, top)
