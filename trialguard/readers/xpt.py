"""SAS transport (XPORT v5) files through pyreadstat, keeping labels and declared lengths."""

from __future__ import annotations

from pathlib import Path

import pyreadstat

from trialguard.readers.dataset import Dataset
from trialguard.readers.sas import read_with_pyreadstat


def read_xpt(path: Path, name: str, encoding: str | None = None) -> Dataset:
    return read_with_pyreadstat(pyreadstat.read_xport, path, name, "xpt", encoding)
