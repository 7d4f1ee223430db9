"""Text as transports really store it: UTF-8, or Windows-1252 where a value is not UTF-8.

SAS sessions on Windows write their text in Windows-1252 (a typographic apostrophe is byte
0x92), and a transfer often mixes such values with plain ASCII or UTF-8 ones.  When no encoding
is given, each distinct value is decoded as UTF-8 and, only when it is not valid UTF-8, as
Windows-1252; the variables read that way are noted in the report with one record each.  A
value that is neither (bytes 0x81, 0x8D, 0x8F, 0x90 and 0x9D mean nothing in Windows-1252)
leaves the file unreadable, naming the variable and the record.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trialguard.errors import InputError

WINDOWS_1252 = "cp1252"
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
