"""The sender's transfer manifest (dataset, file, records, SHA-256, bytes), checked before
anything else.

A file cut exactly at a record boundary reads as a valid, shorter dataset;
only the sender's record count or hash can tell.  A manifest is CSV (header
dataset,file,records,sha256 and optionally bytes, the file's size) or YAML (a
list of such mappings, or a mapping with a `files` list).  `trialguard
manifest` writes one (`trialguard.transfer.manifest_writer`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from trialguard.bounded import read_bounded
from trialguard.errors import InputError, SpecError
from trialguard.readers.dataset import FORMATS
from trialguard.readers.study import Study
from trialguard.yamlfile import MAX_BYTES, read_yaml


class ManifestEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    dataset: str = Field(min_length=1)
    file: str = Field(min_length=1)
    records: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")
    size: int | None = Field(default=None, ge=0, alias="bytes")  # optional: the file's bytes

    @field_validator("size", mode="before")
    @classmethod
    def _blank_is_absent(cls, value: object) -> object:
        """A CSV manifest whose `bytes` cell is empty gives no size."""
        return None if isinstance(value, str) and not value.strip() else value


def load_manifest(path: Path) -> list[ManifestEntry]:
    rows = _csv_rows(path) if path.suffix.lower() == ".csv" else _yaml_rows(path)
    entries = []
    for number, row in enumerate(rows, start=1):
        try:
            entries.append(ManifestEntry.model_validate(row))
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            raise SpecError(path, f"entry {number}, {field}: {first['msg']}") from error
    if not entries:
        raise SpecError(path, "the manifest lists no file")
    return entries


def _csv_rows(path: Path) -> list[dict]:
    try:
        text = read_bounded(path, "manifest", MAX_BYTES).decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text))
        return [{k.strip().lower(): v for k, v in row.items() if k} for row in reader]
    except InputError as error:
        raise SpecError(path, error.reason) from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise SpecError(path, f"cannot read the manifest ({error})") from error


def _yaml_rows(path: Path) -> list:
    data, _ = read_yaml(path, "manifest")
    if isinstance(data, dict) and isinstance(data.get("files"), list):
        return data["files"]
    if isinstance(data, list):
        return data
    raise SpecError(path, "expected a list of files (dataset, file, records, sha256)")


def manifest_problems(entries: list[ManifestEntry], study: Study, manifest: Path) -> list[dict]:
    """Missing, extra, short or altered files: one dict (dataset, file, problem, values) each."""
    read = {d.path.name: d for d in study.datasets.values()}
    unread = {Path(u.path).name: u for u in study.unreadable}
    arrived = set(read) | set(unread) | _skipped_data_files(study, manifest)
    listed = {e.file for e in entries}
    problems = [
        _problem(e.dataset, e.file, "is in the manifest but did not arrive")
        for e in entries
        if e.file not in arrived
    ]
    problems += [
        _problem(None, name, "arrived but is not in the manifest")
        for name in sorted(arrived - listed)
    ]
    for entry in entries:
        broken = unread.get(entry.file)
        if broken is not None:
            problems += _size_differs(entry, Path(broken.path))
        if broken is not None and broken.sha256 and broken.sha256 != entry.sha256.lower():
            problems.append(_differs(entry, "sha256", entry.sha256.lower(), broken.sha256))
        dataset = read.get(entry.file)
        if dataset is None:
            continue
        problems += _size_differs(entry, dataset.path)
        if dataset.records != entry.records:
            problems.append(_differs(entry, "records", entry.records, dataset.records))
        if dataset.sha256.lower() != entry.sha256.lower():
            problems.append(_differs(entry, "sha256", entry.sha256.lower(), dataset.sha256))
    return problems


def _skipped_data_files(study: Study, manifest: Path) -> set[str]:
    return {
        Path(p).name
        for p, _ in study.skipped
        if Path(p).suffix.lower() in FORMATS and Path(p).resolve() != manifest.resolve()
    }


def _problem(dataset: str | None, file: str, problem: str, expected=None, received=None) -> dict:
    return {
        "dataset": dataset.upper() if dataset else None,
        "file": file,
        "problem": problem,
        "manifest_value": expected,
        "received_value": received,
    }


def _size_differs(entry: ManifestEntry, path: Path) -> list[dict]:
    """The file's size against the manifest's `bytes`, when the manifest gives one."""
    try:
        actual = path.stat().st_size
    except OSError:  # unreadable files are reported as such; the hash check still runs
        return []
    if entry.size is None or actual == entry.size:
        return []
    problem = f"the manifest says {entry.size:,} bytes, the file has {actual:,}"
    return [_problem(entry.dataset, entry.file, problem, entry.size, actual)]


def _differs(entry: ManifestEntry, what: str, expected, actual) -> dict:
    problem = f"the manifest says {what} {expected}, the file has {actual}"
    return _problem(entry.dataset, entry.file, problem, expected, actual)
