"""CSV files read as text: numbers are converted by the schema, never guessed here.

pandas fills a short row with empty values and skips blank lines without a
word, so the file's shape is first taken with the standard `csv` module (the
same quoting rules): every row must have as many fields as the header, and the
record count pandas returns must equal the one counted here.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from trialguard.errors import InputError
from trialguard.readers.dataset import (
    Dataset,
    TextCodes,
    blank_to_missing,
    number_records,
    sha256_of,
)
from trialguard.readers.limits import too_many_columns
from trialguard.readers.text import BYTES_AS_TEXT, codec_reason, redecode_frame, refuse_nul

DEFAULT_ENCODING = "utf-8-sig"  # UTF-8 with or without a byte-order mark
RAGGED_SHOWN = 3
COLUMNS_SHOWN = 5
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def read_csv(
    path: Path, name: str, encoding: str | None = None, delimiter: str | None = None
) -> Dataset:
    """A CSV dataset; `delimiter` is the field separator (a comma unless given).  Without
    `encoding`, a file that is not UTF-8 is read byte for byte and each value decoded as UTF-8
    or Windows-1252 (`trialguard.readers.text`)."""
    given, delimiter = encoding, delimiter or ","
    encoding = encoding or DEFAULT_ENCODING
    try:
        refuse_nul(path, encoding)
        expected, lines = _shape(path, encoding, delimiter)
    except UnicodeDecodeError:
        if given is not None:
            raise InputError(path, _decode_reason(path, encoding)) from None
        encoding = BYTES_AS_TEXT
        expected, lines = _shape(path, encoding, delimiter)
    except UnicodeError as error:  # a codec that cannot begin: UTF-16 or UTF-32 without a BOM
        raise InputError(path, codec_reason(encoding, error)) from None
    except LookupError:  # a caller that did not check the encoding (options.known_encoding)
        raise InputError(path, f"{encoding!r} is not a text encoding Python knows") from None
    try:
        frame = pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            encoding=encoding,
            skip_blank_lines=True,
            sep=delimiter,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise InputError(path, f"not a well-formed CSV file ({str(exc).strip()})") from exc
    if len(frame) != expected:
        raise InputError(
            path, f"{expected:,} records counted but {len(frame):,} parsed; the file is malformed"
        )
    frame.columns = [str(column).strip() for column in frame.columns]
    windows_1252 = redecode_frame(frame, path) if encoding == BYTES_AS_TEXT else {}
    encoded: TextCodes = {}
    return Dataset(
        name=name,
        path=path,
        format="csv",
        frame=number_records(blank_to_missing(frame, encoded)),
        encoded=encoded,
        sha256=sha256_of(path),
        lines=lines,
        windows_1252=windows_1252,
    )


def _shape(path: Path, encoding: str, delimiter: str) -> tuple[int, np.ndarray]:
    """(records, line of each record): refuses empty files, blank or repeated names, too many
    columns, a header that looks delimited by something else, and ragged rows."""
    try:
        with _field_limit(path):
            header = _header(path, encoding, delimiter)
            with path.open(newline="", encoding=encoding) as handle:
                fields = csv.reader(handle, delimiter=delimiter)
                counts = np.fromiter(map(len, fields), dtype=np.int64)
    except csv.Error as exc:
        raise InputError(path, f"not a well-formed CSV file ({exc})") from None
    rows = counts[1:]
    ragged = np.flatnonzero((rows != 0) & (rows != len(header)))
    lines = _record_lines(path, encoding, delimiter, counts)
    if len(ragged):
        raise InputError(path, _ragged_reason(rows, ragged, lines, len(header)))
    return int(np.count_nonzero(rows)), lines


def _header(path: Path, encoding: str, delimiter: str) -> list[str]:
    with path.open(newline="", encoding=encoding) as handle:
        header = next(csv.reader(handle, delimiter=delimiter), None)
    if not header or not any(cell.strip() for cell in header):
        raise InputError(path, "empty file: expected a header row of variable names")
    if too_wide := too_many_columns(len(header), "line 1 (the header) has"):
        raise InputError(path, too_wide)
    names = [cell.strip() for cell in header]
    if len(names) == 1 and (hint := _delimiter_hint(names[0], delimiter)):
        raise InputError(path, hint)
    unnamed = [column for column, name in enumerate(names, start=1) if not name]
    if unnamed:
        raise InputError(path, _unnamed_reason(unnamed, len(names)))
    repeated = sorted(name for name, count in Counter(names).items() if count > 1)
    if repeated:
        raise InputError(path, f"header names a variable twice: {', '.join(repeated)}")
    return names


def _delimiter_hint(header: str, delimiter: str) -> str:
    """For a one-column header holding another separator: which one, and how to read the file."""
    counts = {sep: header.count(sep) for sep in DELIMITERS if sep != delimiter}
    likely = max(counts, key=lambda sep: counts[sep])
    if not counts[likely]:
        return ""
    option = "tab" if likely == "\t" else likely
    held = DELIMITERS[likely] if counts[likely] > 1 else DELIMITERS[likely].removesuffix("s")
    return (
        f"line 1 (the header) is one variable name holding {counts[likely]} "
        f"{held} and no {_separator_name(delimiter)}: the file looks "
        f"separated by {DELIMITERS[likely]}; give --delimiter '{option}' to read it"
    )


def _separator_name(delimiter: str) -> str:
    return {",": "comma", "\t": "tab"}.get(delimiter, repr(delimiter))


def _unnamed_reason(unnamed: list[int], width: int) -> str:
    """Blank names in the header; a run of them at its end is what trailing commas leave."""
    tail = _tail_run(unnamed, width)
    inside, trailing = unnamed[: len(unnamed) - tail], unnamed[len(unnamed) - tail :]
    said = f": {_columns(inside)} no name" if inside else ""
    if trailing:
        commas = "a comma" if tail == 1 else f"{tail} commas"
        said += (
            f"{', and it' if inside else ''} ends with {commas}, so {_columns(trailing)} no name"
        )
    return f"line 1 (the header){said}; every column needs a variable name"


def _tail_run(unnamed: list[int], width: int) -> int:
    """How many of the unnamed columns are the header's last ones."""
    run = 0
    while run < len(unnamed) and unnamed[-1 - run] == width - run:
        run += 1
    return run


def _columns(columns: list[int]) -> str:
    if len(columns) == 1:
        return f"column {columns[0]} has"
    if len(columns) > 2 and columns[-1] - columns[0] == len(columns) - 1:
        return f"columns {columns[0]} to {columns[-1]} have"
    cut = len(columns) > COLUMNS_SHOWN + 1  # "and 1 more" would say less than the number
    shown = [str(c) for c in columns[: COLUMNS_SHOWN if cut else None]]
    last = f"{len(columns) - COLUMNS_SHOWN} more" if cut else shown.pop()
    return f"columns {', '.join(shown)} and {last} have"


def _record_lines(path: Path, encoding: str, delimiter: str, counts: np.ndarray) -> np.ndarray:
    """Physical line of each non-blank record (line 1 is the header)."""
    newlines, ends_with_newline = _newlines(path)
    rows = counts[1:]
    if newlines == len(counts) - (0 if ends_with_newline else 1):  # rows are lines
        return np.flatnonzero(rows != 0) + 2
    with path.open(newline="", encoding=encoding) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        next(reader)
        starts, line = [], reader.line_num + 1
        for row in reader:  # slow path, only for files with line breaks inside values
            if row:
                starts.append(line)
            line = reader.line_num + 1
    return np.asarray(starts, dtype=np.int64)


def _newlines(path: Path) -> tuple[int, bool]:
    count, last = 0, b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
            last = block[-1:]
    return count, last == b"\n"


def _ragged_reason(rows, ragged, lines, width: int) -> str:
    records = np.cumsum(rows != 0)
    shown = [
        f"line {_line_of(lines, records[i])} (record {records[i]}) has {_fields(rows[i])}"
        for i in ragged[:RAGGED_SHOWN]
    ]
    more = f" and {len(ragged) - RAGGED_SHOWN} more rows" if len(ragged) > RAGGED_SHOWN else ""
    return f"{'; '.join(shown)}{more}; the header has {width}: rows must not be ragged"


def _fields(count: int) -> str:
    return f"{count} field" if count == 1 else f"{count} fields"


def _line_of(lines: np.ndarray, record: int) -> int:
    return int(lines[record - 1]) if 0 < record <= len(lines) else record + 1


@contextmanager
def _field_limit(path: Path):
    """Let one value be as long as the file (the default stops at 128 KiB)."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, min(path.stat().st_size + 1, sys.maxsize)))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _decode_reason(path: Path, encoding: str) -> str:
    data = path.read_bytes()
    try:
        data.decode(encoding)
        offset, byte = 0, 0
    except UnicodeDecodeError as exc:
        offset, byte = exc.start, data[exc.start]
    line = data.count(b"\n", 0, offset) + 1
    return (
        f"not valid {encoding} text: byte 0x{byte:02x} on line {line} (byte offset {offset:,}); "
        "give the file's encoding with --encoding, e.g. --encoding cp1252 or latin-1"
    )
