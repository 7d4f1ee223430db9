"""A data transfer: the datasets found in the given folders and files.

A dataset whose file cannot be read does not stop the run: it is listed as
unreadable with the reason, the rules that need it end "not run", and the run
exits 2 so nobody mistakes the report for a complete one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from trialguard.errors import InputError
from trialguard.readers.csv import read_csv
from trialguard.readers.dataset import (
    FORMATS,
    Dataset,
    file_format,
    is_core,
    sha256_of,
)
from trialguard.readers.dataset_json import read_dataset_json
from trialguard.readers.delivered import Match, given_names, match_file, name_notices
from trialguard.readers.entries import archive_reason, entry_problem, is_archive, os_reason
from trialguard.readers.limits import DEFAULT_MAX_FILE_BYTES, check_file_size, out_of_memory
from trialguard.readers.names import NOT_DATA, explain_folder, explain_no_dataset
from trialguard.readers.sas7bdat import read_sas7bdat
from trialguard.readers.text import windows_1252_notice
from trialguard.readers.xpt import read_xpt

NOT_CORE = "an SDTM dataset, but not DM, EX, AE or DL"
# A define.xml beside the datasets is no dataset, yet the run reads it: listed as a note on
# reading, not among the files skipped.
DEFINE_READ = (
    "the study's Define-XML: read for the SDTMIG version, the CT releases it names and the DEF-"
    " rules, unless --define names another file or it cannot be read (the report says why)"
)
# Readers by format, called with (path, dataset name, encoding); CSV takes the delimiter too.
READERS = {
    "xpt": read_xpt,
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
    # Notes on how files were read: text read as Windows-1252, a file whose stored dataset
    # name differs from the one its file name gives.  Shown in every report; never a failure.
    notices: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.unreadable

    def unread(self, name: str) -> Unreadable | None:
        """Why dataset `name` could not be read, or None if it was read or never supplied."""
        return next((u for u in self.unreadable if u.dataset == name), None)


@dataclass(frozen=True)
class Reading:
    """How the files of one transfer are read, and why some of them cannot be opened."""

    encoding: str | None
    delimiter: str | None
    max_file_bytes: int | None
    problems: dict[Path, str]

    def unreadable(self, name: str, path: Path, reason: str) -> Unreadable:
        """Unreadable, with the hash of a regular file of the transfer small enough to hash."""
        try:
            small = self.max_file_bytes is None or path.stat().st_size <= self.max_file_bytes
            digest = sha256_of(path) if small and path not in self.problems else None
        except OSError:  # the file cannot be opened either: no hash to give
            digest = None
        return Unreadable(name, str(path), reason, digest)


def read_study(
    paths: Iterable[Path],
    encoding: str | None = None,
    max_file_bytes: int | None = DEFAULT_MAX_FILE_BYTES,
    delimiter: str | None = None,
    dataset_names: Mapping[str, str] | None = None,
) -> Study:
    """Read every dataset among `paths` (folders are searched one level deep); `delimiter`
    separates the fields of CSV files (a comma unless given).  A file not named after its
    dataset is matched by the dataset name stored in it (`trialguard.readers.delivered`);
    `dataset_names` maps files (by path or file name) to the dataset each holds, above both.
    A transfer without any of DM, EX, AE or DL is refused, with every entry found listed."""
    paths = list(paths)
    files, problems, skipped = _collect(paths)
    reading = Reading(encoding, delimiter, max_file_bytes, problems)
    chosen = _choose(files, reading, given_names(dataset_names or {}, files), skipped)
    if not any(is_core(name) for name in chosen):
        skipped += [(str(m.path), NOT_CORE) for matches in chosen.values() for m in matches]
        raise InputError(", ".join(str(p) for p in paths), explain_no_dataset(skipped))
    defines = [f"{Path(path).name}: {why}" for path, why in skipped if why == DEFINE_READ]
    study = Study({}, [s for s in skipped if s[1] != DEFINE_READ], notices=defines)
    for name, matches in chosen.items():
        _read_dataset(study, name, matches, reading)
    return study


def _read_dataset(study: Study, name: str, matches: list[Match], reading: Reading) -> None:
    if len(matches) > 1:
        listed = " and ".join(m.shown for m in matches)
        why = f"one of {len(matches)} files for dataset {name} ({listed}); send exactly one"
        study.unreadable += [reading.unreadable(name, m.path, why) for m in matches]
        return
    match = matches[0]
    try:
        dataset = _read_file(match.path, name, reading)
        study.notices += name_notices(dataset, match)
    except InputError as error:
        study.unreadable.append(reading.unreadable(name, match.path, error.reason))
        return
    dataset.taken_by = match.taken_by
    study.datasets[name] = dataset
    if dataset.windows_1252:
        study.notices.append(windows_1252_notice(match.path.name, dataset.windows_1252))


def _read_file(path: Path, name: str, reading: Reading) -> Dataset:
    """One dataset file read by the reader of its format, after the kind and size checks.

    What the system refuses (permission denied, a name too long) and a file this machine has
    not the memory to hold are InputErrors like any other unreadable file: the run goes on
    without it.
    """
    if path in reading.problems:
        raise InputError(path, reading.problems[path])
    try:
        check_file_size(path, reading.max_file_bytes)
        if file_format(path) == "csv":
            return read_csv(path, name, reading.encoding, reading.delimiter)
        if file_format(path) == "dsjc":
            return read_dataset_json(path, name, reading.encoding, reading.max_file_bytes or 2**63)
        return READERS[file_format(path) or ""](path, name, reading.encoding)
    except OSError as error:
        raise InputError(path, f"cannot be read ({os_reason(error)})") from error
    except MemoryError:
        raise InputError(path, out_of_memory(path)) from None


def _choose(
    files: list[Path], reading: Reading, given: dict[Path, str], skipped: list[tuple[str, str]]
) -> dict[str, list[Match]]:
    """The candidate files of each dataset; every file matched to none is added to `skipped`."""
    chosen: dict[str, list[Match]] = {}
    for path in files:
        match = match_file(path, given, reading.problems, reading.delimiter)
        if match.dataset is None:
            skipped.append((str(path), match.reason))
        else:
            chosen.setdefault(match.dataset, []).append(match)
    return chosen


def _collect(
    paths: Iterable[Path],
) -> tuple[list[Path], dict[Path, str], list[tuple[str, str]]]:
    """Files named like data (with why each that cannot be opened cannot), and the rest skipped."""
    files: list[Path] = []
    problems: dict[Path, str] = {}
    skipped: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            entries = _entries(path)
            named = [p for p in entries if file_format(p)]
            files += named
            problems |= {p: why for p in named if (why := entry_problem(p, path))}
            skipped += [(str(p), _not_data(p, path)) for p in entries if not file_format(p)]
        else:
            files.append(_given_file(path))
    return files, problems, skipped


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError as error:
        raise InputError(folder, f"the folder cannot be listed ({os_reason(error)})") from error


def _given_file(path: Path) -> Path:
    """A file named on the command line: it must be a regular dataset file (links followed)."""
    if not path.exists() and not path.is_symlink():
        raise InputError(path, "no such file or folder")
    if why := entry_problem(path):
        raise InputError(path, why)
    if not file_format(path):
        if is_archive(path):
            raise InputError(path, archive_reason(path))
        raise InputError(path, f"unknown file type; expected one of {', '.join(FORMATS)}")
    return path


def _not_data(path: Path, folder: Path) -> str:
    problem = entry_problem(path, folder)
    if problem and problem != "a folder, not a file":  # a link out, a FIFO, a device, ...
        return problem
    if path.is_dir():
        return explain_folder(path)
    if is_archive(path):
        return archive_reason(path)
    return DEFINE_READ if path.name.lower() == "define.xml" else NOT_DATA
