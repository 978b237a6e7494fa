"""mtreview's review layer: quality checks, scores, reports and the ``mtreview`` command line."""
from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("mtreview")
except _metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.1.0+src"
