"""CDISC Dataset-JSON v1.1: `.json` (one document), `.ndjson` (the metadata on line 1, then one
row per line) and `.dsjc` (NDJSON compressed: zlib as the specification says, or gzip as
CDISC's own examples are; detected).

The metadata is checked against the package's schema of the v1.1 metadata (jsonschema); rows,
which no CDISC schema looks into, are checked here: each row holds one value per column, the
declared record count matches, and each value has its column's `dataType`.  Every problem is an
InputError naming the file and the record (and, for NDJSON, the line).  Version 1.0 files
(`clinicalData` / `referenceData`) are refused by name.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Generator, Iterator
from contextlib import closing
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema

from trialguard.errors import InputError
from trialguard.readers.dataset import Dataset, sha256_of
from trialguard.readers.json_values import typed_frame
from trialguard.readers.limits import DEFAULT_MAX_FILE_BYTES, human_size, too_many_columns

MAX_LINE_BYTES = 256 * 2**20  # one NDJSON row: far beyond any real record
MAX_INFLATED_BYTES = DEFAULT_MAX_FILE_BYTES  # a .dsjc is held to the limit once decompressed
CHUNK = 1 << 20


def read_dataset_json(
    path: Path, name: str, encoding: str | None = None, inflated_limit: int | None = None
) -> Dataset:
    """Read one Dataset-JSON file of dataset `name` into the shared Dataset value; a .dsjc
    decompressing to more than `inflated_limit` bytes (the size limit of every dataset file;
    MAX_INFLATED_BYTES when not given) is refused as it is decompressed."""
    form = path.suffix.lower().lstrip(".")
    first_line: int | None = None  # NDJSON: the line of the first row
    if form == "json":
        metadata = _document(path, encoding)
        rows = _rows_of_document(path, metadata)
        check_metadata(path, metadata)
    else:
        metadata, rows = _ndjson(path, form == "dsjc", inflated_limit or MAX_INFLATED_BYTES)
        first_line = 2
    columns = metadata["columns"]
    if metadata["records"] != len(rows):
        raise InputError(
            path,
            f"the metadata declares {metadata['records']:,} records but {len(rows):,} rows follow",
        )
    frame = typed_frame(path, columns, rows, first_line)
    return Dataset(
        name=name,
        path=path,
        format=form,
        frame=frame,
        sha256=sha256_of(path),
        labels={c["name"]: c["label"] for c in columns},
        lengths={c["name"]: c["length"] for c in columns if "length" in c},
        numeric=frozenset(c["name"] for c in columns if c["dataType"] in NUMERIC_TYPES),
        stored_name=metadata["name"].strip().upper() or None,
    )


NUMERIC_TYPES = ("integer", "decimal", "float", "double")


def _document(path: Path, encoding: str | None) -> Any:
    try:
        with path.open(encoding=encoding or "utf-8-sig") as handle:
            return json.load(handle, parse_constant=_not_json)
    except UnicodeDecodeError as error:
        raise InputError(
            path, f"not {encoding or 'UTF-8'} text (byte offset {error.start:,})"
        ) from error
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise InputError(path, f"not JSON: {error.msg} ({where})") from error
    except (ValueError, RecursionError) as error:
        raise InputError(path, f"not usable JSON ({type(error).__name__}: {error})") from None


def _rows_of_document(path: Path, metadata: Any) -> list:
    if not isinstance(metadata, dict):
        raise InputError(path, "not a Dataset-JSON document (a JSON object with 'columns')")
    rows = metadata.get("rows", [])
    if not isinstance(rows, list):
        raise InputError(path, "'rows' is not a list of rows")
    return rows


def _not_json(constant: str) -> Any:
    """NaN, Infinity and -Infinity: Python's json reads them, JSON has no such values."""
    raise ValueError(f"{constant} is not a JSON value (JSON has no NaN or Infinity)")


def _ndjson(path: Path, compressed: bool, inflated_limit: int) -> tuple[Any, list]:
    """The metadata line, checked, and the rows: read no further than one row past the
    records the metadata declares (a small .dsjc can inflate to millions of rows)."""
    with closing(_lines(path, compressed, inflated_limit)) as lines:
        metadata = _json_line(path, 1, next(lines, b""))
        check_metadata(path, metadata)
        declared = metadata["records"]
        rows: list = []
        try:
            for number, line in enumerate(lines, start=2):
                row = _json_line(path, number, line)
                if len(rows) == declared:
                    raise InputError(
                        path,
                        f"line {number:,} is a row beyond the {declared:,} records the metadata "
                        "declares (more rows follow than it declares)",
                    )
                rows.append(row)
        except MemoryError:
            rows.clear()  # the memory back before anything else is asked of the machine
            raise
    return metadata, rows


def first_line(path: Path, compressed: bool) -> Any:
    """An NDJSON (or DSJC) file's metadata line alone, parsed."""
    with closing(_lines(path, compressed)) as lines:
        return _json_line(path, 1, next(lines, b""))


def _json_line(path: Path, number: int, line: bytes) -> Any:
    if not line.strip():
        raise InputError(path, f"line {number} is empty: NDJSON holds one JSON value per line")
    try:
        return json.loads(
            line.decode("utf-8-sig" if number == 1 else "utf-8"), parse_constant=_not_json
        )
    except UnicodeDecodeError as error:
        raise InputError(path, f"line {number}: not UTF-8 text (byte {error.start + 1})") from error
    except json.JSONDecodeError as error:
        raise InputError(
            path, f"line {number}: not JSON: {error.msg} (column {error.colno})"
        ) from error
    except (ValueError, RecursionError) as error:
        raise InputError(path, f"line {number}: not usable JSON ({error})") from None


def _lines(
    path: Path, compressed: bool, inflated_limit: int = MAX_INFLATED_BYTES
) -> Generator[bytes]:
    """The file's lines (without line ends), decompressed as they are read."""
    pending = b""
    for chunk in _chunks(path, compressed, inflated_limit):
        pending += chunk
        *complete, pending = pending.split(b"\n")
        if len(pending) > MAX_LINE_BYTES:
            raise InputError(path, f"a line longer than {MAX_LINE_BYTES // 2**20} MB: not NDJSON")
        yield from (line.rstrip(b"\r") for line in complete)
    if pending:  # the last line, without a line end
        yield pending.rstrip(b"\r")


def _chunks(path: Path, compressed: bool, inflated_limit: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        blocks = iter(lambda: handle.read(CHUNK), b"")
        yield from (_inflated(path, blocks, inflated_limit) if compressed else blocks)


def _inflated(path: Path, blocks: Iterator[bytes], limit: int) -> Iterator[bytes]:
    """The decompressed stream, in pieces of at most CHUNK bytes, within `limit` bytes.
    A gzip file may hold several members one after another (`cat a.gz b.gz` makes a valid
    gzip file): each is read in turn.  Blanks may end the file; anything else is refused."""
    inflater, total, pending, gzip = zlib.decompressobj(wbits=47), 0, b"", None
    try:
        for block in blocks:
            pending += block
            gzip = pending.startswith(GZIP_MAGIC) if gzip is None else gzip
            while pending:
                if inflater.eof:
                    inflater, pending = _after_stream(path, inflater, pending, gzip)
                    if inflater.eof:  # blanks, or the first byte of a member: read on
                        break
                piece = inflater.decompress(pending, CHUNK)
                pending = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
                total += len(piece)
                if total > limit:
                    raise InputError(path, _inflates_beyond(limit))
                yield piece
    except zlib.error as error:
        raise InputError(path, f"not zlib or gzip compressed data as DSJC is ({error})") from error
    if not inflater.eof:
        raise InputError(path, "the compressed data ends early: the file is cut")
    if pending.strip():
        raise InputError(path, "data after the end of the compressed stream")


GZIP_MAGIC = b"\x1f\x8b"


def _inflates_beyond(limit: int) -> str:
    return (
        f"decompresses to more than {human_size(limit)}, the limit a dataset file is held to "
        "(decompressed for a .dsjc); raise it with --max-file-size if this machine has the "
        "memory (about 11 times the decompressed size)"
    )


def _after_stream(path: Path, inflater: Any, pending: bytes, gzip: bool) -> tuple[Any, bytes]:
    """What follows the end of a compressed stream: the next gzip member (a new inflater), or
    the old inflater and what to keep while more bytes are needed to tell (blanks, kept as
    one blank, or a first byte 0x1f); anything else is refused."""
    if not pending.strip():
        return inflater, b" "
    if gzip and pending.startswith(GZIP_MAGIC):
        return zlib.decompressobj(wbits=31), pending
    if gzip and pending == GZIP_MAGIC[:1]:
        return inflater, pending
    raise InputError(path, "data after the end of the compressed stream")


@cache
def metadata_validator() -> jsonschema.protocols.Validator:
    """The JSON Schema of Dataset-JSON v1.1 metadata shipped in the package (jsonschema is
    imported here: only a Dataset-JSON transfer needs it)."""
    import jsonschema

    schema_file = files("trialguard.readers") / "schemas" / "dataset-json-1.1-metadata.schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    return jsonschema.Draft201909Validator(schema)


def check_metadata(path: Path, metadata: Any) -> None:
    """Version 1.1 metadata, valid against the schema, each column declared once (the dataset
    its `name` names is compared with the file's name by `read_study`)."""
    if isinstance(metadata, dict) and ({"clinicalData", "referenceData"} & set(metadata)):
        raise InputError(
            path,
            "Dataset-JSON v1.0 (clinicalData/referenceData): trialguard reads v1.1; "
            "convert the file to Dataset-JSON v1.1",
        )
    if isinstance(metadata, dict) and isinstance(metadata.get("columns"), list):
        if too_wide := too_many_columns(len(metadata["columns"]), "the metadata declares"):
            raise InputError(path, too_wide)
    problem = next(
        iter(sorted(metadata_validator().iter_errors(metadata), key=lambda e: list(e.path))), None
    )
    if problem is not None:
        where = "/".join(str(p) for p in problem.absolute_path) or "the top level"
        raise InputError(path, f"Dataset-JSON metadata at {where}: {problem.message[:300]}")
    named = [c["name"] for c in metadata["columns"]]
    repeated = sorted({n for n in named if named.count(n) > 1})
    if repeated:
        raise InputError(path, f"column {repeated[0]} is declared twice")
