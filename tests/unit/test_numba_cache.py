"""Old directories of compiled code are deleted: all but the last used few, once unused for a week."""

from __future__ import annotations

import os
import time

from simkit.model.compiled import KEEP_CACHES, UNUSED_DAYS, forget_old_caches


def make(parent, name: str, days_unused: float):
    directory = parent / f"simkit-numba-{name}"
    (directory / "code").mkdir(parents=True)
    used = time.time() - days_unused * 86_400
    os.utime(directory, (used, used))
    return directory


def test_only_directories_past_the_last_used_and_unused_for_a_week_go(tmp_path):
    assert KEEP_CACHES == 3 and UNUSED_DAYS == 7
    current = make(tmp_path, "current", 0)
    yesterday, last_month = make(tmp_path, "yesterday", 1), make(tmp_path, "last-month", 30)
    two_days, last_year = make(tmp_path, "two-days", 2), make(tmp_path, "last-year", 365)
    unrelated = tmp_path / "other-tool"
    unrelated.mkdir()
    os.utime(unrelated, (0, 0))
    forget_old_caches(current)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "other-tool", "simkit-numba-current", "simkit-numba-two-days", "simkit-numba-yesterday"]
    assert not last_month.exists() and not last_year.exists() and yesterday.exists() and two_days.exists()


def test_recently_used_directories_stay_however_many(tmp_path):
    current = make(tmp_path, "current", 0)
    recent = [make(tmp_path, f"recent-{day}", day) for day in range(1, 6)]  # another checkout in use, ...
    forget_old_caches(current)
    assert current.exists() and all(directory.exists() for directory in recent)


def test_the_last_used_stay_however_old(tmp_path):
    current = make(tmp_path, "current", 0)
    kept = [make(tmp_path, "old", 100), make(tmp_path, "older", 200)]
    gone = make(tmp_path, "oldest", 300)
    forget_old_caches(current)
    assert all(directory.exists() for directory in kept) and not gone.exists()
