"""Readers: one module per format, all returning a `Dataset`; `read_study` reads a transfer.

The names below are loaded when first used, so that importing one light module of the
package (`trialguard.readers.limits`) does not import pandas and every format's reader."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trialguard.lazy import lazy_names

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


__getattr__ = lazy_names(__name__, _HOMES)
