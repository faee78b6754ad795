"""simkit.tidy.tidy_by_area: the one way multi-area results are written to CSV and Parquet."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from simkit.tidy import WHOLE_AREA, tidy_by_area

FLAT = pd.DataFrame({
    "coach.caseload_mean": [50.0, 52.0],
    "area.north.coach.caseload_mean": [40.0, 41.0],
    "area.north_2.coach.caseload_mean": [60.0, 63.0],
    "staff.cost_eur": [3.0e6, 3.1e6],
    "area.north.staff.cost_eur": [1.0e6, 1.2e6],
    "area.north_2.staff.cost_eur": [2.0e6, 1.9e6],
}, index=pd.Index([0, 1], name="replication"))


def test_a_column_per_metric_becomes_a_row_for_the_whole_and_each_area():
    tidy = tidy_by_area(FLAT)
    assert list(tidy.columns) == ["replication", "area", "coach.caseload_mean", "staff.cost_eur"]
    assert list(tidy["area"]) == [WHOLE_AREA, WHOLE_AREA, "north", "north", "north_2", "north_2"]
    assert list(tidy["replication"]) == [0, 1, 0, 1, 0, 1]
    back = tidy.pivot(index="replication", columns="area")  # every value where it came from
    for column in FLAT:
        metric = column.split(".", 2)[2] if column.startswith("area.") else column
        area = column.split(".")[1] if column.startswith("area.") else WHOLE_AREA
        assert list(back[(metric, area)]) == list(FLAT[column]), column


def test_a_row_per_metric_gets_the_area_before_the_bare_metric():
    summary = pd.DataFrame({"mean": [1.0, 2.0, 3.0], "unit": ["a", "b", "c"]},
                           index=pd.Index(["kela.answered_share", "area.salo.kela.answered_share",
                                           "area.salo.kela.kiire.wait_minutes_mean"], name="metric"))
    tidy = tidy_by_area(summary)
    assert list(tidy.columns) == ["area", "metric", "mean", "unit"]
    assert tidy.values.tolist() == [[WHOLE_AREA, "kela.answered_share", 1.0, "a"],
                                    ["salo", "kela.answered_share", 2.0, "b"],
                                    ["salo", "kela.kiire.wait_minutes_mean", 3.0, "c"]]


def test_other_columns_are_repeated_and_grid_keys_naming_an_area_stay_labels():
    sweep = FLAT.reset_index().assign(point="areas.north.coaches.count=3")
    sweep.insert(1, "areas.north.coaches.count", 3)
    tidy = tidy_by_area(sweep)
    assert list(tidy.columns)[:4] == ["replication", "areas.north.coaches.count", "point", "area"]
    assert set(tidy["areas.north.coaches.count"]) == {3} and len(tidy) == 6


def test_an_area_a_row_does_not_have_is_left_out_and_a_value_it_lacks_is_empty():
    mixed = FLAT.copy()
    mixed.loc[1, ["area.north_2.coach.caseload_mean", "area.north_2.staff.cost_eur"]] = math.nan  # not in row 1
    mixed.loc[0, "area.north.coach.caseload_mean"] = math.nan  # no value (no staff on duty, say)
    tidy = tidy_by_area(mixed)
    assert list(tidy["area"]) == [WHOLE_AREA, WHOLE_AREA, "north", "north", "north_2"]
    assert math.isnan(tidy.loc[2, "coach.caseload_mean"]) and tidy.loc[2, "staff.cost_eur"] == 1.0e6


@pytest.mark.parametrize("frame", [FLAT[["coach.caseload_mean", "staff.cost_eur"]],
                                   pd.DataFrame({"mean": [1.0]}, index=pd.Index(["coach.caseload_mean"], name="metric")),
                                   pd.DataFrame({"day": [0, 1], "arrivals": [3, 4]})])
def test_a_single_area_frame_comes_back_as_it_is_without_an_area_column(frame):
    tidy = tidy_by_area(frame)
    pd.testing.assert_frame_equal(tidy, frame.reset_index() if frame.index.name else frame)
    assert "area" not in tidy


def test_a_frame_with_an_area_column_already_is_refused_unless_it_has_no_area_names():
    with pytest.raises(ValueError, match="area column already"):
        tidy_by_area(FLAT.assign(area="north"))
    planned = pd.DataFrame({"area": ["north", WHOLE_AREA], "cost_eur": [1.0, 1.0]})  # a cost plan's table: tidy already
    pd.testing.assert_frame_equal(tidy_by_area(planned), planned)
