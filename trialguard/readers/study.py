"""A data transfer: the datasets found in the given folders and files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from trialguard.errors import InputError
from trialguard.readers.csv import read_csv
from trialguard.readers.dataset import FORMATS, Dataset, dataset_name, file_format
from trialguard.readers.sas7bdat import read_sas7bdat
from trialguard.readers.xpt import read_xpt

READERS = {"xpt": read_xpt, "csv": read_csv, "sas7bdat": read_sas7bdat}


@dataclass
class Study:
    datasets: dict[str, Dataset]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


def read_study(paths: Iterable[Path], encoding: str | None = None) -> Study:
    """Read every known dataset among `paths` (folders are searched one level deep)."""
    files, skipped = _collect(paths)
    chosen: dict[str, Path] = {}
    for path in files:
        name = dataset_name(path)
        if name is None:
            skipped.append((str(path), "no checks for this dataset"))
            continue
        if name in chosen:
            raise InputError(path, f"a second file for dataset {name} (first: {chosen[name]})")
        chosen[name] = path
    if not chosen:
        given = ", ".join(str(p) for p in paths)
        raise InputError(given, "no DM, EX, AE or DLT dataset found (.xpt, .csv or .sas7bdat)")
    datasets = {
        name: READERS[file_format(path)](path, name, encoding) for name, path in chosen.items()
    }
    return Study(datasets=datasets, skipped=skipped)


def _collect(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            entries = sorted(p for p in path.iterdir() if p.is_file())
            files += [p for p in entries if file_format(p)]
            skipped += [(str(p), "not a dataset file") for p in entries if not file_format(p)]
        elif path.is_file():
            if not file_format(path):
                raise InputError(path, f"unknown file type; expected one of {', '.join(FORMATS)}")
            files.append(path)
        else:
            raise InputError(path, "no such file or folder")
    return files, skipped
