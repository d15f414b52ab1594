"""Stable import path for the documented entry points (``pipeline.export.from_brat`` and friends);
the code lives in :mod:`pipeline.datasets.export`."""
from .datasets.export import *  # noqa: F401,F403
from .datasets.export import from_brat, read_brat, to_brat, to_dict, validate  # noqa: F401
