"""The manifest a sender sends with a transfer: for each dataset file its dataset, file name,
record count, SHA-256 and size in bytes, read with the readers `validate` uses, so that
`--manifest` accepts it on the same files and catches any file changed since.

A file that cannot be read, or a data file that is not read as a dataset, has no record count
to promise, and `--manifest` would report it: the manifest is not written, and every such file
is named.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from trialguard.errors import UsageError
from trialguard.readers.dataset import FORMATS
from trialguard.readers.study import Study
from trialguard.transfer.manifest import ManifestEntry

COLUMNS = ("dataset", "file", "records", "sha256", "bytes")
YAML_SUFFIXES = (".yaml", ".yml")


def build_manifest(study: Study, written: Path | None = None) -> list[ManifestEntry]:
    """One entry per dataset read, by file name; `written` is the manifest's own file, which a
    folder may already hold and which is not part of the transfer."""
    problems = [f"{u.path}: {u.reason}" for u in study.unreadable]
    problems += [
        f"{path}: {why}"
        for path, why in study.skipped
        if Path(path).suffix.lower() in FORMATS and not _same(Path(path), written)
    ]
    if problems:
        raise UsageError(
            "no manifest written: it can promise only the files that read as datasets, and "
            f"--manifest would report these: {'; '.join(problems)}"
        )
    entries = [
        ManifestEntry(
            dataset=d.name,
            file=d.path.name,
            records=d.records,
            sha256=d.sha256,
            bytes=d.path.stat().st_size,
        )
        for d in study.datasets.values()
    ]
    return sorted(entries, key=lambda e: e.file)


def render_manifest(entries: list[ManifestEntry], path: Path | None = None) -> str:
    """CSV (header dataset,file,records,sha256,bytes), or YAML when `path` ends in .yaml/.yml."""
    rows = [
        {
            "dataset": e.dataset,
            "file": e.file,
            "records": e.records,
            "sha256": e.sha256,
            "bytes": e.size,
        }
        for e in entries
    ]
    if path is not None and path.suffix.lower() in YAML_SUFFIXES:
        return yaml.safe_dump({"files": rows}, sort_keys=False, allow_unicode=True)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _same(path: Path, other: Path | None) -> bool:
    if other is None:
        return False
    try:
        return path.resolve() == other.resolve()
    except OSError:
        return False
