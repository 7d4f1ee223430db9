"""A column-wise reader of SAS transport v5 files, giving exactly what pyreadstat gives.

An XPORT v5 dataset is fixed-width: every observation holds each variable at the same byte
offset.  The observations are viewed as one byte matrix and decoded a column at a time: a
numeric column's IBM floats with integer arithmetic on all its values at once, a text column
by hashing its byte strings and decoding each distinct one once.  Every step follows the
ReadStat that pyreadstat bundles (`readstat_xport_read.c`, `ieee.c`): trailing blanks and NULs
are stripped and a text value then ends at its first NUL byte; a number whose first byte is not
0 and whose other seven bytes are 0 is missing (`.`, `_` or a letter: SAS's missing values).
It reads the observations `xpt_layout` counts: an all-blank one is a record unless it fits in
the blank padding of the last 80-byte record (ReadStat drops every all-blank observation that
ends a file of rows under 80 bytes; `trialguard.readers.xpt` adds them back on its path).

Files this reader does not cover return None, for pyreadstat to read: numbers stored in fewer
than 8 bytes, header records not in their usual form or not ASCII, names, labels or formats other
than printable ASCII (`xpt_layout` has refused blank and repeated names).  A text value that
is not valid UTF-8 is read as Windows-1252 (`trialguard.readers.text`); one that is neither
raises `NotText` with its variable and record.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from trialguard.readers.text import NotText, decode_values
from trialguard.readers.xpt_layout import HEADER, RECORD, XptLayout

# ntype, nhfun, nlng, nvar0, nname, nlabel, nform, nfl, nfd, nfj, nfill, niform
NAMESTR = struct.Struct(">hhhh8s40s8sHHhh8s")
TEXT = 2  # ntype of a character variable; ReadStat takes any other as numeric
PRINTABLE = frozenset(range(0x20, 0x7F))
HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class Variable:
    name: str
    label: str | None
    format: str | None
    text: bool
    length: int
    offset: int  # within an observation


@dataclass
class XptColumns:
    """What pyreadstat's frame and metadata hold, with each text column factorised."""

    numbers: dict[str, np.ndarray]
    texts: dict[str, tuple[np.ndarray, np.ndarray]]  # name -> pd.factorize's (codes, uniques)
    variables: list[Variable]
    records: int
    windows_1252: dict[str, int]  # text read as Windows-1252: name -> first such record (1-based)


class TextNotDecodable(Exception):
    """A text value neither UTF-8 nor Windows-1252: its variable, record (1-based) and byte."""

    def __init__(self, variable: str, record: int, byte: int) -> None:
        super().__init__(f"{variable} record {record}: byte 0x{byte:02x}")
        self.variable, self.record, self.byte = variable, record, byte


def read_xpt_v5(data: bytes, layout: XptLayout) -> XptColumns | None:
    """The columns of an XPORT v5 file (already checked by `xpt_layout`), or None if the file
    is one pyreadstat must read.  Raises TextNotDecodable (the first variable, in the file's
    order, with a value that is not text)."""
    variables = _variables(data, layout)
    if variables is None:
        return None
    observations = Observations.of(data, layout)
    columns = XptColumns({}, {}, variables, layout.observations, {})
    decoded = _decoded(observations, variables, layout.observations * layout.row_length)
    for variable, column in zip(variables, decoded, strict=True):
        if not variable.text:
            columns.numbers[variable.name] = column
            continue
        codes, uniques, foreign = column
        columns.texts[variable.name] = codes, uniques
        if foreign is not None:
            columns.windows_1252[variable.name] = foreign + 1
    return columns


# A file of more observation bytes than this decodes its variables on threads (numpy and
# pandas' hashing let go of the interpreter while they work): one per core, at most four.
THREADED_BYTES = 32 * 2**20


def _decoded(observations: Observations, variables: list[Variable], size: int) -> Iterator:
    """Each variable decoded (numbers, or text codes, distinct values and first Windows-1252
    row), in the variables' order."""
    decode = partial(_decode, observations)
    workers = min(4, len(os.sched_getaffinity(0))) if size > THREADED_BYTES else 1
    if workers < 2 or len(variables) < 2:
        return map(decode, variables)
    with ThreadPoolExecutor(workers) as pool:
        return iter(list(pool.map(decode, variables)))


def _decode(observations: Observations, variable: Variable) -> Any:
    if not variable.text:
        return ibm_to_ieee(observations.numbers(variable.offset))
    try:
        return factorised_text(observations, variable.offset, variable.length)
    except NotText as error:
        raise TextNotDecodable(variable.name, error.position + 1, error.byte) from None


@dataclass(frozen=True)
class Observations:
    """The observations' bytes: `count` rows of `stride` bytes from `start` in `buffer`."""

    buffer: bytes | np.ndarray
    start: int
    stride: int
    count: int

    @classmethod
    def of(cls, data: bytes, layout: XptLayout) -> Observations:
        if layout.row_length >= 8:
            return cls(data, layout.data_start, layout.row_length, layout.observations)
        padded = np.zeros((layout.observations, 8), np.uint8)  # rows of at least one word
        padded[:, : layout.row_length] = cls(
            data, layout.data_start, layout.row_length, layout.observations
        ).rows()
        return cls(padded, 0, 8, layout.observations)

    def rows(self) -> np.ndarray:
        size = self.count * self.stride
        return np.frombuffer(self.buffer, np.uint8, size, self.start).reshape(-1, self.stride)

    def at(self, offset: int, dtype: str = "<u8") -> np.ndarray:
        """The 8 bytes at `offset` of every row, as one integer each (a strided view)."""
        if not self.count:
            return np.empty(0, dtype)
        return np.ndarray((self.count,), dtype, self.buffer, self.start + offset, (self.stride,))

    def numbers(self, offset: int) -> np.ndarray:
        return self.at(offset, ">u8").astype(np.uint64)

    def words(self, offset: int, width: int) -> list[np.ndarray]:
        """uint64 columns holding every byte of a `width`-byte field once: whole words from
        `offset`, the last ending where the field ends (overlapping the one before it); a field
        shorter than a word is its bytes alone."""
        if width < 8:
            window = max(0, offset + width - 8)
            word = self.at(window) >> np.uint64(8 * (offset - window))
            return [word & np.uint64((1 << 8 * width) - 1)]
        return [
            self.at(start) for start in [*range(offset, offset + width - 8, 8), offset + width - 8]
        ]


def _variables(data: bytes, layout: XptLayout) -> list[Variable] | None:
    if layout.version != 5 or not _headers_as_readstat_parses_them(data, layout):
        return None
    namestr_length = layout.namestr_length  # 140, or 136 from VAX/VMS writers
    start = 8 * RECORD
    variables: list[Variable] = []
    offset = 0
    for index in range(layout.variables):
        fields = NAMESTR.unpack_from(data, start + index * namestr_length)
        variable = _variable(fields, offset)
        if variable is None:
            return None
        variables.append(variable)
        offset += variable.length
    if offset != layout.row_length or len({v.name for v in variables}) < len(variables):
        return None
    return variables


def _headers_as_readstat_parses_them(data: bytes, layout: XptLayout) -> bool:
    """The library, member, descriptor, namestr and observation headers in the form ReadStat
    parses (its name, then `HEADER RECORD!!!!!!!` and a number), and the headers' text (dataset
    name, label, dates) ASCII; any other form is pyreadstat's to judge."""
    headers = {0: b"LIBRARY ", 3: b"MEMBER  ", 4: b"DSCRPTR ", 7: b"NAMESTR "}
    headers[layout.data_start // RECORD - 1] = b"OBS     "
    return data[: 8 * RECORD].isascii() and all(
        data[at * RECORD : at * RECORD + 48] == HEADER + name + b"HEADER RECORD!!!!!!!"
        and data[at * RECORD + 48 : at * RECORD + 53].isdigit()
        for at, name in headers.items()
    )


def _variable(fields: tuple, offset: int) -> Variable | None:
    ntype, _, length, _, name, label, form, width, decimals, _, _, informat = fields
    if not all(_plain_ascii(part) for part in (name, label, form, informat)):
        return None
    if not name.strip(b" "):
        return None
    if ntype != TEXT and length != 8:
        return None  # ReadStat reads 8 bytes for every number; pyreadstat decides what follows
    format_name = _ascii(form)  # as pyreadstat shows it: DATE9. BEST12.2 $CHAR20. .2
    if decimals:
        format_name += f"{width or ''}.{decimals}"
    elif width:
        format_name += f"{width}."
    return Variable(
        _ascii(name), _ascii(label) or None, format_name or None, ntype == TEXT, length, offset
    )


def _plain_ascii(field: bytes) -> bool:
    return PRINTABLE.issuperset(field)


def _ascii(field: bytes) -> str:
    return field.rstrip(b" ").decode("ascii")


def ibm_to_ieee(x: np.ndarray) -> np.ndarray:
    """8-byte IBM (XPORT) floats, read as big-endian integers, as float64, bit for bit as
    ReadStat's `xpt2ieee`, with its missing values (a first byte other than 0 followed by seven
    zero bytes) as NaN."""
    high, low = x >> np.uint64(32), x & np.uint64(0xFFFFFFFF)
    shift = np.select(
        [(high & np.uint64(bit)) != 0 for bit in (0x00800000, 0x00400000, 0x00200000)],
        [np.uint64(3), np.uint64(2), np.uint64(1)],
        np.uint64(0),
    )
    carried = ((high & np.uint64(7)) << (np.uint64(32) - shift)) & np.uint64(0xFFFFFFFF)
    ieee_low = np.where(shift > 0, (low >> shift) | carried, low)
    ieee_high = ((high & np.uint64(0x00FFFFFF)) >> shift) & np.uint64(0xFFEFFFFF)
    exponent = (((x >> np.uint64(56)) & np.uint64(0x7F)).astype(np.int64) - 65) * 4 + 1023
    ieee_high |= ((exponent + shift.astype(np.int64)).astype(np.uint64) << np.uint64(20)) | (
        high & np.uint64(0x80000000)
    )
    bits = (ieee_high << np.uint64(32)) | ieee_low
    infinite = ((high & np.uint64(0x7FFFFFFF)) == 0x7FFFFFFF) & (low == 0xFFFFFFFF)
    bits = np.where(infinite, (high & np.uint64(0x80000000) | np.uint64(0x7FF00000)) << 32, bits)
    bits = np.where(x == 0, np.uint64(0), bits)
    values = bits.view(np.float64)
    missing = ((x & np.uint64(0x00FFFFFFFFFFFFFF)) == 0) & (x != 0)
    values[missing] = np.nan
    return values


def factorised_text(
    observations: Observations, offset: int, width: int
) -> tuple[np.ndarray, np.ndarray, int | None]:
    """A text field's fixed-width byte strings as pyreadstat's strings would factorise
    (`pd.factorize`: codes, and the distinct strings in order of first appearance), and the
    0-based row of the first value not UTF-8, read as Windows-1252 (None when every value is
    UTF-8).  Raises NotText with the row of a value that is neither."""
    if not observations.count:  # nothing to factorise: a file of 9,999 variables reads at once
        return np.empty(0, np.intp), np.empty(0, object), None
    codes, first = _factorised_words(observations.words(offset, width))
    stored = observations.rows()[first, offset : offset + width].tobytes()
    raw = [
        stored[start : start + width].rstrip(b" \0").split(b"\0", 1)[0]
        for start in range(0, len(stored), width)
    ]
    try:
        strings, foreign = decode_values(raw)
    except NotText as error:
        raise NotText(int(first[error.position]), error.byte) from None
    merged, uniques = pd.factorize(np.array(strings, dtype=object))  # equal after a NUL
    row = None if foreign is None else int(first[foreign])
    return (merged[codes] if len(uniques) < len(strings) else codes), uniques, row


def _factorised_words(words: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the distinct rows of `words` (columns of a field's words) in order of first
    appearance, and the row where each first appears."""
    key = words[0]
    for word in words[1:]:
        key = key * HASH_MULTIPLIER + word
    codes, _ = pd.factorize(key)
    codes = codes.astype(np.intp, copy=False)
    seen = np.maximum.accumulate(codes) if len(codes) else codes
    first = np.flatnonzero(np.diff(seen, prepend=-1) > 0)
    if len(words) > 1 and not all(np.array_equal(word, word[first][codes]) for word in words):
        return _factorised_rows(np.column_stack(words))  # two different values hashed alike
    return codes, first


def _factorised_rows(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`_factorised_words` by sorting the rows themselves (no hashing)."""
    _, first, inverse = np.unique(words, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return rank[inverse.ravel()].astype(np.intp), first[order]
