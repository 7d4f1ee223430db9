"""What the XPT and SAS7BDAT readers share: one pyreadstat pass for data and metadata."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from trialguard.errors import InputError
from trialguard.readers.dataset import (
    Dataset,
    TextCodes,
    blank_to_missing,
    number_records,
    sha256_of,
)


def read_with_pyreadstat(
    read: Callable, path: Path, name: str, fmt: str, encoding: str | None
) -> Dataset:
    # Numbers stay numbers whatever their format: a date stored as a SAS date number is a
    # finding (SD-TYPE), never silently turned into the text of a date.
    options: dict = {"disable_datetime_conversion": True}
    options |= {"encoding": encoding} if encoding else {}
    try:
        frame, meta = read(str(path), **options)
    except UnicodeDecodeError as exc:
        raise InputError(
            path,
            f"a text value is not valid {encoding or 'UTF-8'} "
            f"(byte 0x{exc.object[exc.start]:02x}); "
            "give the file's encoding with --encoding, e.g. --encoding cp1252",
        ) from exc
    except Exception as exc:  # pyreadstat raises several unrelated types for bad files
        raise InputError(path, f"not a readable {fmt.upper()} file ({_reason(exc)})") from exc
    declared = getattr(meta, "number_rows", None)
    if declared is not None and declared >= 0 and declared != len(frame):
        raise InputError(
            path, f"the header declares {declared:,} records but {len(frame):,} could be read"
        )
    types = getattr(meta, "readstat_variable_types", {}) or {}
    encoded: TextCodes = {}
    return Dataset(
        name=name,
        path=path,
        format=fmt,
        frame=number_records(blank_to_missing(frame, encoded)),
        encoded=encoded,
        sha256=sha256_of(path),
        labels=dict(meta.column_names_to_labels or {}),
        lengths=dict(getattr(meta, "variable_storage_width", {}) or {}),
        numeric=frozenset(col for col, kind in types.items() if kind == "double"),
        formats={
            c: f for c, f in (getattr(meta, "original_variable_types", {}) or {}).items() if f
        },
    )


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
