"""Readers: one module per format, all returning a `Dataset`; `read_study` reads a transfer.

The names below are loaded when first used, so that importing one light module of the
package (`trialguard.readers.limits`) does not import pandas and every format's reader."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from trialguard.readers.dataset import Dataset, dataset_name, file_format
    from trialguard.readers.study import Study, read_study

__all__ = ["Dataset", "Study", "dataset_name", "file_format", "read_study"]
_HOMES = {
    "Dataset": "trialguard.readers.dataset",
    "dataset_name": "trialguard.readers.dataset",
    "file_format": "trialguard.readers.dataset",
    "Study": "trialguard.readers.study",
    "read_study": "trialguard.readers.study",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
