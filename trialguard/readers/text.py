"""Text as transports really store it: UTF-8, or Windows-1252 where a value is not UTF-8.

SAS sessions on Windows write their text in Windows-1252 (a typographic apostrophe is byte
0x92), and a transfer often mixes such values with plain ASCII or UTF-8 ones.  When no encoding
is given, each distinct value is decoded as UTF-8 and, only when it is not valid UTF-8, as
Windows-1252; the variables read that way are noted in the report with one record each.  A
value that is neither (bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D mean nothing in Windows-1252)
leaves the file unreadable, naming the variable and the record.

No text file holds a NUL character, so a file that does is refused (`refuse_nul`): it is
binary, or UTF-16 or UTF-32 text read as a one-byte encoding, which the reason then names.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from trialguard.errors import InputError

WINDOWS_1252 = "cp1252"
BLOCK = 1 << 20
SAMPLE = 4096  # the bytes looked at to tell UTF-16 or UTF-32 text from a binary file
# UTF-32-LE's mark begins with UTF-16-LE's, so it is looked for first.
BYTE_ORDER_MARKS = (
    ("utf-32", (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)),
    ("utf-16", (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)),
)
# Every byte one character, so the bytes are kept for decoding (a name iconv and Python share).
BYTES_AS_TEXT = "ISO-8859-1"


class NotText(Exception):
    """A value that is neither UTF-8 nor Windows-1252: its position among the values given and
    the first byte that cannot be decoded."""

    def __init__(self, position: int, byte: int) -> None:
        super().__init__(f"value {position}: byte 0x{byte:02x}")
        self.position = position
        self.byte = byte


def decode_values(raw: Sequence[bytes]) -> tuple[list[str], int | None]:
    """Each value as UTF-8, or as Windows-1252 when it is not UTF-8; and the position of the
    first value read as Windows-1252 (None when every value is UTF-8).  Raises NotText."""
    strings: list[str] = []
    first: int | None = None
    for position, value in enumerate(raw):
        try:
            strings.append(value.decode("utf-8"))
        except UnicodeDecodeError:
            strings.append(_windows_1252(value, position))
            first = position if first is None else first
    return strings, first


def _windows_1252(value: bytes, position: int) -> str:
    try:
        return value.decode(WINDOWS_1252)
    except UnicodeDecodeError as error:
        raise NotText(position, value[error.start]) from None


def redecode_column(values: pd.Series) -> tuple[pd.Series, int | None]:
    """A text column read byte for byte (as Latin-1) decoded again value by distinct value (see
    `decode_values`): the column, and the 0-based row of its first value read as
    Windows-1252 (None when all were UTF-8).  Raises NotText with the row of the value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = [u if isinstance(u, str) else str(u) for u in uniques]
    if all(text.isascii() for text in texts):
        return values, None
    try:
        strings, first = decode_values([text.encode(BYTES_AS_TEXT) for text in texts])
    except NotText as error:
        raise NotText(_first_row(codes, error.position), error.byte) from None
    decoded = np.array([*strings, None], dtype=object)[codes]  # code -1 (missing) takes None
    column = pd.Series(decoded, index=values.index, name=values.name)
    return column, None if first is None else _first_row(codes, first)


def _first_row(codes: np.ndarray, code: int) -> int:
    return int(np.flatnonzero(codes == code)[0])


def redecode_name(name: str) -> str:
    """A variable name or label read byte for byte, decoded as UTF-8 or else Windows-1252 (left
    as read when it is neither: the schema then reports it)."""
    raw = name.encode(BYTES_AS_TEXT, errors="replace")
    for encoding in ("utf-8-sig", WINDOWS_1252):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]


def redecode_frame(frame: pd.DataFrame, path: object) -> dict[str, int]:
    """Every text column (and name) of a frame read as Latin-1 decoded again in place; returns
    the variables read as Windows-1252, each with the 1-based record of its first such value."""
    found: dict[str, int] = {}
    for column in text_columns(frame):
        try:
            frame[column], row = redecode_column(frame[column])
        except NotText as error:
            reason = not_text_reason(redecode_name(str(column)), error.position + 1, error.byte)
            raise InputError(path, reason) from None
        if row is not None:
            found[redecode_name(str(column))] = row + 1
    frame.columns = [redecode_name(str(column)) for column in frame.columns]
    return found


def not_text_reason(variable: str, record: int, byte: int) -> str:
    return (
        f"text of {variable} (record {record}) is neither UTF-8 nor Windows-1252 "
        f"(byte 0x{byte:02x}); give the file's encoding with --encoding"
    )


def windows_1252_notice(file: str, variables: dict[str, int]) -> str:
    """'ts.xpt: text of TSVAL (record 12) is not UTF-8; read as Windows-1252'."""
    listed = ", ".join(f"{name} (record {record})" for name, record in variables.items())
    return f"{file}: text of {listed} is not UTF-8; read as Windows-1252"


def refuse_nul(path: Path, encoding: str) -> None:
    """Refuse a file holding a NUL character: no text file does, so the file is binary (or
    UTF-16 or UTF-32 read as a one-byte encoding, which the reason then says)."""
    if _nul_is_a_zero_byte(encoding):
        found, sample = _first_zero_byte(path)
        if found is not None:
            raise InputError(path, _nul_reason(*found, True, _wide_text(sample)))
    elif (found := _first_nul_character(path, encoding)) is not None:
        raise InputError(path, _nul_reason(*found, False, None))


def _nul_is_a_zero_byte(encoding: str) -> bool:
    """Whether NUL is the one byte 0x00 in `encoding` (UTF-8, Windows-1252, Latin-1, ...), so
    the raw bytes can be searched; in UTF-16 and UTF-32 a zero byte is half of most letters."""
    one, two = "\x00".encode(encoding), "\x00\x00".encode(encoding)  # after any BOM
    return two[len(one) :] == b"\x00"


def _first_zero_byte(path: Path) -> tuple[tuple[int, int] | None, bytes]:
    """(byte offset, line) of the first zero byte, or None; and the file's first bytes."""
    offset, newlines, sample = 0, 0, b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            sample = sample or block[:SAMPLE]
            at = block.find(0)
            if at >= 0:
                return (offset + at, newlines + block.count(b"\n", 0, at) + 1), sample
            offset, newlines = offset + len(block), newlines + block.count(b"\n")
    return None, sample


def _first_nul_character(path: Path, encoding: str) -> tuple[int, int] | None:
    """(character offset, line) of the first NUL in the decoded text, or None."""
    offset, newlines = 0, 0
    for piece in _decoded(path, encoding):
        at = piece.find("\x00")
        if at >= 0:
            return offset + at, newlines + piece.count("\n", 0, at) + 1
        offset, newlines = offset + len(piece), newlines + piece.count("\n")
    return None


def _decoded(path: Path, encoding: str) -> Iterator[str]:
    with path.open(encoding=encoding, newline="") as handle:
        yield from iter(lambda: handle.read(BLOCK), "")


def _wide_text(sample: bytes) -> str | None:
    """The encoding the file's first bytes look like when they are UTF-16 or UTF-32: 'utf-16'
    after a byte-order mark; 'utf-16-le' when every other byte is zero (and so on for
    big-endian and UTF-32); None otherwise."""
    for name, marks in BYTE_ORDER_MARKS:
        if sample.startswith(marks):
            return name
    for width in (4, 2):
        units = sample[: len(sample) - len(sample) % width]
        for order, place in (("le", 0), ("be", width - 1)):
            letters = units[place::width]
            if letters and 0 not in letters and units.count(0) == len(units) - len(letters):
                return f"utf-{8 * width}-{order}"
    return None


def _nul_reason(offset: int, line: int, in_bytes: bool, wide: str | None) -> str:
    unit, unit_offset = ("bytes", "byte offset") if in_bytes else ("characters", "character")
    held = f"holds NUL {unit}, the first on line {line:,} ({unit_offset} {offset:,})"
    if wide is not None:
        return f"{held}: the file looks like {wide.upper()} text; give --encoding {wide}"
    return f"not a text file: it {held}; a CSV dataset is text, which never holds NUL"


def codec_reason(encoding: str, error: UnicodeError) -> str:
    """Why a codec could not begin to read a file: 'utf-16' needs a byte-order mark."""
    family = codecs.lookup(encoding).name
    if "BOM" in str(error):
        return (
            f"does not start with a byte-order mark, which --encoding {encoding} needs to tell "
            f"the byte order of {family.upper()} text; give --encoding {family}-le (or "
            f"{family}-be) for a file without one"
        )
    return f"cannot be read as {encoding} text ({error})"
