"""A data transfer: the datasets found in the given folders and files.

A dataset whose file cannot be read does not stop the run: it is listed as
unreadable with the reason, the rules that need it end "not run", and the run
exits 2 so nobody mistakes the report for a complete one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from trialguard.errors import InputError
from trialguard.readers.csv import read_csv
from trialguard.readers.dataset import (
    FORMATS,
    Dataset,
    dataset_name,
    file_format,
    metadata_name,
    sha256_of,
)
from trialguard.readers.dataset_json import read_dataset_json
from trialguard.readers.limits import DEFAULT_MAX_FILE_BYTES, check_file_size
from trialguard.readers.names import (
    NOT_DATA,
    explain_folder,
    explain_no_dataset,
    explain_unmatched,
)
from trialguard.readers.sas7bdat import read_sas7bdat
from trialguard.readers.xpt import read_xpt

DEFINE_READ = "Define-XML: read for the SDTMIG version only (see the report's standards)"
READERS = {
    "xpt": read_xpt,
    "csv": read_csv,
    "sas7bdat": read_sas7bdat,
    "json": read_dataset_json,
    "ndjson": read_dataset_json,
    "dsjc": read_dataset_json,
}


@dataclass(frozen=True)
class Unreadable:
    """A dataset file that could not be used, and why (shown in every report)."""

    dataset: str
    path: str
    reason: str
    sha256: str | None = None  # None when the file was too large to hash or is missing


@dataclass
class Study:
    datasets: dict[str, Dataset]
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    unreadable: list[Unreadable] = field(default_factory=list)
    # Datasets read for what they say about the study (TS), not checked by any rule.
    metadata: dict[str, Dataset] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.unreadable

    def unread(self, name: str) -> Unreadable | None:
        """Why dataset `name` could not be read, or None if it was read or never supplied."""
        return next((u for u in self.unreadable if u.dataset == name), None)


def read_study(
    paths: Iterable[Path],
    encoding: str | None = None,
    max_file_bytes: int | None = DEFAULT_MAX_FILE_BYTES,
) -> Study:
    """Read every known dataset among `paths` (folders are searched one level deep)."""
    paths = list(paths)
    chosen, skipped = _choose(paths)
    if not any(dataset_name(files[0]) for files in chosen.values()):
        skipped += [
            (str(p), "a study-metadata dataset") for files in chosen.values() for p in files
        ]
        raise InputError(", ".join(str(p) for p in paths), explain_no_dataset(skipped))
    study = Study(datasets={}, skipped=skipped)
    for name, candidates in chosen.items():
        if metadata_name(candidates[0]):
            _read_metadata(study, name, candidates, encoding, max_file_bytes)
        else:
            _read_dataset(study, name, candidates, encoding, max_file_bytes)
    return study


def _read_metadata(
    study: Study,
    name: str,
    candidates: list[Path],
    encoding: str | None,
    max_file_bytes: int | None,
) -> None:
    """A metadata dataset that cannot be read is skipped with its reason: no rule needs it."""
    if len(candidates) > 1:
        why = f"one of {len(candidates)} files for {name}: read for the SDTMIG version only"
        study.skipped += [(str(p), f"{why}; not read") for p in candidates]
        return
    try:
        study.metadata[name] = _read_file(candidates[0], name, encoding, max_file_bytes)
    except InputError as error:
        why = f"read for the SDTMIG version only, and could not be read: {error.reason}"
        study.skipped.append((str(candidates[0]), why))


def _read_dataset(
    study: Study,
    name: str,
    candidates: list[Path],
    encoding: str | None,
    max_file_bytes: int | None,
) -> None:
    if len(candidates) > 1:
        listed = " and ".join(p.name for p in candidates)
        why = f"one of {len(candidates)} files for dataset {name} ({listed}); send exactly one"
        study.unreadable += [_unreadable(name, p, why, max_file_bytes) for p in candidates]
        return
    try:
        study.datasets[name] = _read_file(candidates[0], name, encoding, max_file_bytes)
    except InputError as error:
        study.unreadable.append(_unreadable(name, candidates[0], error.reason, max_file_bytes))


def _read_file(path: Path, name: str, encoding: str | None, max_file_bytes: int | None):
    """One dataset file read by the reader of its format, after the size check."""
    check_file_size(path, max_file_bytes)
    return READERS[file_format(path) or ""](path, name, encoding)


def _choose(paths: list[Path]) -> tuple[dict[str, list[Path]], list[tuple[str, str]]]:
    """The candidate files of each dataset, and every other entry with why it is skipped."""
    files, skipped = _collect(paths)
    chosen: dict[str, list[Path]] = {}
    for path in files:
        name = dataset_name(path) or metadata_name(path)
        if name is None:
            skipped.append((str(path), explain_unmatched(path)))
        else:
            chosen.setdefault(name, []).append(path)
    return chosen, skipped


def _unreadable(name: str, path: Path, reason: str, max_file_bytes: int | None) -> Unreadable:
    small = max_file_bytes is None or path.stat().st_size <= max_file_bytes
    return Unreadable(name, str(path), reason, sha256_of(path) if small else None)


def _collect(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            entries = sorted(path.iterdir())
            files += [p for p in entries if _is_data_file(p)]
            skipped += [(str(p), _not_data(p)) for p in entries if not _is_data_file(p)]
        elif path.is_file():
            if not file_format(path):
                raise InputError(path, f"unknown file type; expected one of {', '.join(FORMATS)}")
            files.append(path)
        else:
            raise InputError(path, "no such file or folder")
    return files, skipped


def _is_data_file(path: Path) -> bool:
    return path.is_file() and file_format(path) is not None


def _not_data(path: Path) -> str:
    if path.is_dir():
        return explain_folder(path)
    return DEFINE_READ if path.name.lower() == "define.xml" else NOT_DATA
