"""The decorator of the day loop's compiled functions: ``numba.njit`` with its on-disk cache.

The meetings, diaries, statements and client events of a day run as compiled code over numpy
arrays (:mod:`simkit.model.day`); a first run compiles them (tens of
seconds) and stores the machine code, so later processes load it in about a second.

numba checks a cached function against its own source file only, not against the files of the
functions it calls, so a change in one model module could leave another module's cached code
stale. The cache therefore lives in a directory named after a hash of every model module's
source and of :mod:`simkit.observations` (whose enums the compiled code freezes in)
(``simkit-numba-<hash>`` in the user's cache directory): any change to the model compiles afresh.
``SIMKIT_NUMBA_CACHE`` overrides the parent directory. Each model change (a new version of
simkit) leaves a new directory of about 20 MB, so the old ones are deleted: all but the
:data:`KEEP_CACHES` last used, once unused for :data:`UNUSED_DAYS` days (a directory is marked
used each time simkit is imported, so another checkout in use keeps its own).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

import numba

MODEL = Path(__file__).resolve().parent
KEEP_CACHES = 3  # the cache directories kept whatever their age: the current one and the two last used before it
UNUSED_DAYS = 7  # older directories are deleted once unused this long


def _cache_directory() -> Path:
    digest = hashlib.sha256()
    for source in [*sorted(MODEL.glob("*.py")), MODEL.parent / "observations.py"]:  # (its enums are frozen in)
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    parent = os.environ.get("SIMKIT_NUMBA_CACHE") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    for base in (Path(parent), Path(tempfile.gettempdir())):
        directory = base / f"simkit-numba-{digest.hexdigest()[:16]}"
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(directory, os.W_OK):
            os.utime(directory)  # used now
            forget_old_caches(directory)
            return directory
    return Path(tempfile.mkdtemp(prefix="simkit-numba-"))


def forget_old_caches(current: Path) -> None:
    """Delete the cache directories beside ``current`` past the :data:`KEEP_CACHES` last used that
    nobody used for :data:`UNUSED_DAYS` days (quietly: another process may be doing the same)."""
    def last_used(directory: Path) -> float:
        try:
            return directory.stat().st_mtime
        except OSError:
            return time.time()

    others = sorted(current.parent.glob("simkit-numba-*"), key=last_used, reverse=True)
    unused_since = time.time() - UNUSED_DAYS * 86_400
    for directory in others[KEEP_CACHES:]:
        if directory != current and last_used(directory) < unused_since:
            shutil.rmtree(directory, ignore_errors=True)


os.environ["NUMBA_CACHE_DIR"] = numba.config.CACHE_DIR = str(_cache_directory())  # (and for worker processes)
# No reference counting (``_nrt=False``): the compiled functions only read and write arrays that the
# Python side owns and keeps alive, and allocate none; counting the references of every array of the
# state at every call made the compiled day loop about as slow as Python.
compiled = numba.njit(cache=True, _nrt=False)
