"""simkit's version, in a leaf module that the store and the result files can import without
importing the whole package (no import circle through ``simkit/__init__``)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("simkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
