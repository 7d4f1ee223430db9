"""SAS7BDAT files through pyreadstat, keeping labels and declared lengths."""

from __future__ import annotations

from pathlib import Path

import pyreadstat

from trialguard.readers.dataset import Dataset
from trialguard.readers.sas import read_with_pyreadstat


def read_sas7bdat(path: Path, name: str, encoding: str | None = None) -> Dataset:
    return read_with_pyreadstat(pyreadstat.read_sas7bdat, path, name, "sas7bdat", encoding)
