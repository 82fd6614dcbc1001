"""`docparse.dask`: the Dask path under the name the docs use (docparse.distributed holds it; this module's own
imports are relative, so it never shadows the `dask` package)."""
from .distributed import RECORD_COLUMNS, DaskResult, check

__all__ = ["RECORD_COLUMNS", "DaskResult", "check"]
