"""CSV files read as text: numbers are converted by the schema, never guessed here."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from trialguard.errors import InputError
from trialguard.readers.dataset import Dataset, blank_to_missing, number_records, sha256_of

DEFAULT_ENCODING = "utf-8-sig"  # UTF-8 with or without a byte-order mark


def read_csv(path: Path, name: str, encoding: str | None = None) -> Dataset:
    encoding = encoding or DEFAULT_ENCODING
    _check_header(path, encoding)
    try:
        frame = pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding=encoding, skip_blank_lines=True
        )
    except UnicodeDecodeError as exc:
        raise InputError(path, _decode_reason(exc, encoding)) from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(path, f"not a well-formed CSV file ({str(exc).strip()})") from exc
    frame.columns = [str(column).strip() for column in frame.columns]
    return Dataset(
        name=name,
        path=path,
        format="csv",
        frame=number_records(blank_to_missing(frame)),
        sha256=sha256_of(path),
    )


def _check_header(path: Path, encoding: str) -> None:
    try:
        with path.open(newline="", encoding=encoding) as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError as exc:
        raise InputError(path, _decode_reason(exc, encoding)) from exc
    if not header or not any(cell.strip() for cell in header):
        raise InputError(path, "empty file: expected a header row of variable names")
    names = [cell.strip() for cell in header]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise InputError(path, f"header names a variable twice: {', '.join(repeated)}")


def _decode_reason(exc: UnicodeDecodeError, encoding: str) -> str:
    return (
        f"not valid {encoding} text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start}); "
        "give the file's encoding with --encoding, e.g. --encoding cp1252"
    )
