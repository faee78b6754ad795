"""The decorator of the day loop's compiled functions: ``numba.njit`` with its on-disk cache.

The meetings, diaries, statements and client events of a day run as compiled code over numpy
arrays (:mod:`simkit.model.day`); a first run compiles them (tens of
seconds) and stores the machine code, so later processes load it in about a second.

numba checks a cached function against its own source file only, not against the files of the
functions it calls, so a change in one model module could leave another module's cached code
stale. The cache therefore lives in a directory named after a hash of every model module's
source and of :mod:`simkit.observations` (whose enums the compiled code freezes in) (``simkit-numba-<hash>`` in the user's cache directory): any change to the model compiles
afresh. ``SIMKIT_NUMBA_CACHE`` overrides the parent directory.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numba

MODEL = Path(__file__).resolve().parent


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
            return directory
    return Path(tempfile.mkdtemp(prefix="simkit-numba-"))


os.environ["NUMBA_CACHE_DIR"] = numba.config.CACHE_DIR = str(_cache_directory())  # (and for worker processes)
# No reference counting (``_nrt=False``): the compiled functions only read and write arrays that the
# Python side owns and keeps alive, and allocate none; counting the references of every array of the
# state at every call made the compiled day loop about as slow as Python.
compiled = numba.njit(cache=True, _nrt=False)
