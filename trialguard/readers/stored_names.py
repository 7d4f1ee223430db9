"""The dataset name a file holds itself, for files not named after their dataset.

A transfer may arrive as `CDISC01_ae.xpt` or `ae_20251201.xpt`: the file is then matched by
the name stored inside it, read from its header alone: an XPT file's member name (8 characters
in v5, 32 in v8), a SAS7BDAT file's table name, Dataset-JSON's `name`, and a CSV file's DOMAIN
value on its first record (SUPP and RDOMAIN for a SUPP-- dataset, whose records carry QNAM).  A
split dataset's name cannot be known from DOMAIN: a CSV whose DOMAIN is QS is taken as QS.
Every failure is an InputError whose reason says why the name cannot be read.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from trialguard.errors import InputError
from trialguard.readers.dataset import dataset_of, file_format
from trialguard.readers.dataset_json import first_line
from trialguard.readers.text import BYTES_AS_TEXT, redecode_name
from trialguard.readers.xpt_layout import HEADER, LIBRARY, RECORD, member_name

JSON_PREFIX_BYTES = 1 << 20  # a Dataset-JSON document's top-level `name` is sought this far
CSV_HEAD_BYTES = 1 << 20  # a CSV header and first record are read this far
SAS_NAME = slice(92, 156)  # the SAS7BDAT header's dataset name
WHERE = {
    "xpt": "XPT member name",
    "sas7bdat": "SAS7BDAT table name",
    "json": "Dataset-JSON name",
    "ndjson": "Dataset-JSON name",
    "dsjc": "Dataset-JSON name",
    "csv": "DOMAIN",
}


def read_stored_name(path: Path, delimiter: str | None = None) -> str | None:
    """The name `path` holds (upper case, as stored), or None when it holds none."""
    form = file_format(path) or ""
    if form == "xpt":
        return _xpt_name(path)
    if form == "sas7bdat":
        return _sas_name(path)
    if form == "csv":
        return _csv_name(path, delimiter or ",")
    return _json_name(path, form)


def stored_dataset(name: str | None) -> str | None:
    """The dataset a stored name names (DLT is DL), or None when it names no SDTM dataset."""
    return dataset_of(name) if name else None


def _xpt_name(path: Path) -> str | None:
    with path.open("rb") as handle:
        head = handle.read(8 * RECORD)
    if not head.startswith(HEADER) or head[20:28] not in LIBRARY:
        raise InputError(path, "not a SAS transport (XPT) file: no XPORT library header")
    return member_name(head, LIBRARY[head[20:28]])


def _sas_name(path: Path) -> str | None:
    from trialguard.readers.sas7bdat import check_whole

    check_whole(path)
    with path.open("rb") as handle:
        head = handle.read(SAS_NAME.stop)
    name = head[SAS_NAME].rstrip(b"\0 ").decode("latin-1").strip()
    return name.upper() if name.isprintable() and name else None


def _json_name(path: Path, form: str) -> str | None:
    metadata = first_line(path, form == "dsjc") if form != "json" else _json_top(path)
    name = metadata.get("name") if isinstance(metadata, dict) else None
    if not isinstance(name, str):
        return None
    return name.strip().upper() or None


def _json_top(path: Path) -> dict[str, Any]:
    """The top-level members of a Dataset-JSON document up to `name`, from its first MiB."""
    with path.open("rb") as handle:
        text = handle.read(JSON_PREFIX_BYTES).decode("utf-8", errors="replace").lstrip("\ufeff")
    decoder, found = json.JSONDecoder(), {}
    at = _skip(text, 0)
    if text[at : at + 1] != "{":
        raise InputError(path, "not a Dataset-JSON document (a JSON object)")
    at = _skip(text, at + 1)
    try:
        while text[at : at + 1] == '"' and "name" not in found:
            key, at = decoder.raw_decode(text, at)
            at = _skip(text, _skip(text, at) + 1)  # past the colon
            found[key], at = decoder.raw_decode(text, at)
            at = _skip(text, _skip(text, at) + 1)  # past the comma
    except (json.JSONDecodeError, RecursionError):
        raise InputError(
            path, "its dataset name is not among the members of its first MiB"
        ) from None
    return found


def _skip(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def _csv_name(path: Path, delimiter: str) -> str | None:
    """DOMAIN of the first record, or SUPP and RDOMAIN of a SUPP-- record (it has QNAM)."""
    header, first = _csv_head(path, delimiter)
    names = [redecode_name(cell).strip().upper() for cell in header]
    values = dict(zip(names, first, strict=False))
    if "QNAM" in values and values.get("RDOMAIN", "").strip():
        return "SUPP" + values["RDOMAIN"].strip().upper()
    return values.get("DOMAIN", "").strip().upper() or None


def _csv_head(path: Path, delimiter: str) -> tuple[list[str], list[str]]:
    """The header and first record, byte for byte (the names and codes sought are ASCII)."""
    with path.open("rb") as handle:
        text = handle.read(CSV_HEAD_BYTES).decode(BYTES_AS_TEXT)
    try:
        rows = csv.reader(text.splitlines(), delimiter=delimiter)
        return next(rows, []), next(rows, [])
    except csv.Error as error:
        raise InputError(path, f"not a well-formed CSV file ({error})") from None
