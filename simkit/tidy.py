"""The tidy ("long") form of multi-area results, in which simkit writes them to CSV and Parquet.

In Python a multi-area run's metrics and daily series are flat: the whole's under their usual
names, each area's as ``area.<name>.<metric>`` (:mod:`simkit.areas`). In files they have an
``area`` column instead: the area's name, or ``WHOLE_AREA`` for the whole. Every writer goes
through :func:`tidy_by_area`. This module formats results only: it is not part of the model
fingerprint (:mod:`simkit.fingerprint`), so changing it keeps the run store's replications.
"""

from __future__ import annotations

import re

import pandas as pd

from simkit.areas import AREA_PREFIX, WHOLE_AREA

_AREA_NAME = re.compile(rf"^{AREA_PREFIX}\.([a-z][a-z0-9_]*)\.(.+)$")  # area.<name>.<rest>


def tidy_by_area(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` in the tidy form in which simkit writes multi-area results to CSV and Parquet: an
    ``area`` column (the area's name, or ``WHOLE_AREA`` for the whole) instead of the
    ``area.<name>.`` prefix of a metric or daily column. A named index becomes columns first.

    * A frame of one row per metric (a ``metric`` column: a summary, differences, figures by
      period) gets ``area`` just before ``metric``; ``area.<name>.<metric>`` becomes ``<metric>``.
    * A frame of one column per metric or series (a row per replication, per day, per point of a
      sweep) gets, for each row, a row for the whole (its columns without a prefix) and one per
      area (its ``area.<name>.<column>`` columns without the prefix), the other columns (replication,
      date, point, ...) repeated on each, ``area`` after them: the whole's rows first, then each
      area's. An area's row without any value (a scenario without that area, in an export of
      several scenarios) is left out.

    A frame without area names (a single-area run) comes back as it is (its index reset), with no
    ``area`` column.
    """
    table = frame.reset_index() if any(name is not None for name in frame.index.names) else frame
    if "metric" in table.columns:
        parts = table["metric"].astype(str).str.extract(_AREA_NAME)
        if parts[0].isna().all():
            return table
        _no_area_column(table)
        tidy = table.copy()
        tidy.insert(tidy.columns.get_loc("metric"), "area", parts[0].fillna(WHOLE_AREA).to_numpy())
        tidy["metric"] = parts[1].fillna(table["metric"]).to_numpy()
        return tidy
    by_area: dict[str, dict[str, str]] = {}  # area name -> {its column: the column's bare name}
    for column in table.columns:
        match = _AREA_NAME.match(str(column))
        if match:
            by_area.setdefault(match[1], {})[column] = match[2]
    if not by_area:
        return table
    _no_area_column(table)
    bare = {name for columns in by_area.values() for name in columns.values()}
    labels = [column for column in table.columns if column not in bare and not _AREA_NAME.match(str(column))]
    blocks = {WHOLE_AREA: {column: column for column in table.columns if column in bare}, **by_area}
    parts = []
    for area, columns in blocks.items():
        values = table[list(columns)].rename(columns=columns)
        kept = values.notna().any(axis=1)
        parts.append(pd.concat([table.loc[kept, labels], pd.Series(area, index=table.index[kept], name="area"),
                                values[kept]], axis=1))
    return pd.concat(parts, ignore_index=True)


def _no_area_column(table: pd.DataFrame) -> None:
    if "area" in table.columns:
        raise ValueError("tidy_by_area: the frame has an area column already")
