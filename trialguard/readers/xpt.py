"""SAS transport (XPORT v5/v8) files: structure checked first, then read through pyreadstat."""

from __future__ import annotations

from pathlib import Path

import pyreadstat

from trialguard.errors import InputError
from trialguard.readers.dataset import Dataset
from trialguard.readers.sas import read_with_pyreadstat
from trialguard.readers.xpt_layout import xpt_layout


def read_xpt(path: Path, name: str, encoding: str | None = None) -> Dataset:
    layout = xpt_layout(path)
    dataset = read_with_pyreadstat(pyreadstat.read_xport, path, name, "xpt", encoding)
    if dataset.records != layout.observations:
        raise InputError(
            path,
            f"{dataset.records:,} records were read but the file's structure holds "
            f"{layout.observations:,}; the file is damaged",
        )
    dataset.version = layout.version
    return dataset
