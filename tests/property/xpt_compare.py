"""Differential reading of SAS transport files: trialguard's `read_xpt` against pyreadstat.

`compare_readings` reads one file both ways and says how they relate: the same values, a clear
refusal (an InputError, classed by its reason), trialguard reading a file pyreadstat cannot
read, a disagreement (with the first difference), or a crash (any other exception).
`XptSeed` and `mutate` make hostile copies of a valid file: byte edits, and edits that know
where the NAMESTR records, the header counts and the observations are.

The deliberate differences from pyreadstat count as agreement: trailing all-blank observations
that pyreadstat drops, 136-byte NAMESTR records it misreads (it is given a copy widened to 140),
whitespace-only text, which trialguard reads as missing, and text that is not UTF-8 (pyreadstat
reads such a file byte for byte, and each value is decoded as UTF-8 or else Windows-1252).  A
refusal because trialguard read a number of records other than the structure holds, where
pyreadstat reads the file, is a disagreement: trialguard's two counts differ, not the file.
"""

from __future__ import annotations

import re
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from trialguard.errors import InputError
from trialguard.readers.xpt import read_xpt

RECORD = 80
BYTE_FOR_BYTE = "text not UTF-8, decoded per value"
SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"
EXTERNAL = Path(__file__).resolve().parents[3] / "shared" / "external"

# What a refusal's reason says, first match wins: the class shown in the mutation run's table.
REFUSALS = [
    ("empty file", "empty file"),
    ("not a SAS transport", "not an XPT file"),
    ("not a whole number of 80-byte records", "partial 80-byte record"),
    (r"header record holds", "header count not digits"),
    (r"^no .* header record", "header record missing"),
    ("namestr records of", "NAMESTR length"),
    ("declares no variables|has a length of", "variable length"),
    ("has a blank name", "blank variable name"),
    ("names a variable twice", "variable named twice"),
    ("more than one dataset", "second member"),
    ("truncated", "truncated"),
    ("unexpected data after", "data after the declared observations"),
    ("records were read but|header declares .* records but", "record count"),
    ("neither UTF-8 nor Windows-1252|not valid UTF-8|not valid", "text encoding"),
    ("not a readable XPT file", "pyreadstat refused"),
]


@dataclass(frozen=True)
class Outcome:
    """How trialguard's reading of one file relates to pyreadstat's."""

    kind: str  # agree | trialguard-only | refused | disagree | crash
    # the refusal class, the first difference, the exception, or how pyreadstat read it
    detail: str = ""
    reference_read: bool = False  # pyreadstat read the file

    @property
    def acceptable(self) -> bool:
        return self.kind in ("agree", "trialguard-only", "refused")


def refusal_class(reason: str) -> str:
    return next((name for pattern, name in REFUSALS if re.search(pattern, reason)), "other")


def compare_readings(path: Path, name: str = "AE") -> Outcome:
    """Read `path` with trialguard and with pyreadstat and compare what they give."""
    reference, failure = read_reference(path)
    try:
        dataset = read_xpt(path, name)
    except InputError as error:
        if error.path != str(path) or not error.reason:
            return Outcome("crash", f"InputError without path or reason: {error}")
        refusal = refusal_class(error.reason)
        if refusal == "record count" and reference is not None:
            return Outcome("disagree", f"refused ({error.reason}); pyreadstat reads it", True)
        return Outcome("refused", refusal, reference is not None)
    except Exception as error:  # every other exception is a crash the user would see
        return Outcome("crash", f"{type(error).__name__}: {error}", reference is not None)
    if reference is None:
        return Outcome("trialguard-only", failure)
    difference = frame_difference(dataset.frame, *reference) or type_difference(
        dataset.numeric, reference[1]
    )
    if difference:
        return Outcome("disagree", difference, True)
    return Outcome("agree", failure, True)


def read_reference(path: Path) -> tuple[tuple[pd.DataFrame, object] | None, str]:
    """pyreadstat's frame and metadata for `path` (136-byte NAMESTR records widened to 140) and
    '' or BYTE_FOR_BYTE (text not UTF-8, decoded per value); or None and why pyreadstat could
    not read the file."""
    data = path.read_bytes()
    wide = widened(data)
    source = path
    if wide is not data:
        source = path.with_name(path.stem + "-140" + path.suffix)
        source.write_bytes(wide)
    try:
        return _read_pyreadstat(source), ""
    except UnicodeDecodeError:
        try:
            return _decoded_per_value(*_read_pyreadstat(source, "ISO-8859-1")), BYTE_FOR_BYTE
        except Exception as error:
            return None, f"{type(error).__name__}: {str(error)[:120]}"
    except Exception as error:  # pyreadstat's verdict on a hostile file is only information
        return None, f"{type(error).__name__}: {str(error)[:120]}"
    finally:
        if source != path:
            source.unlink()


def _read_pyreadstat(path: Path, encoding: str | None = None) -> tuple[pd.DataFrame, object]:
    options = {"encoding": encoding} if encoding else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pyreadstat.read_xport(str(path), disable_datetime_conversion=True, **options)


def _decoded_per_value(frame: pd.DataFrame, meta: object) -> tuple[pd.DataFrame, object]:
    """A file pyreadstat read byte for byte (as Latin-1), each name and text value decoded as
    UTF-8 or else as Windows-1252; ValueError where a value is neither."""
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            frame[column] = [_decoded(v) if isinstance(v, str) else v for v in frame[column]]
    renamed = {column: _decoded_name(column) for column in frame.columns}
    for attribute in ("readstat_variable_types", "variable_storage_width"):
        given = getattr(meta, attribute, None) or {}
        setattr(meta, attribute, {renamed.get(k, k): v for k, v in given.items()})
    return frame.rename(columns=renamed), meta


def _decoded_name(name: str) -> str:
    """A name as trialguard shows it: UTF-8 (a byte-order mark dropped), else Windows-1252,
    else as read."""
    try:
        return _decoded(name.encode("latin-1").removeprefix(b"\xef\xbb\xbf").decode("latin-1"))
    except UnicodeDecodeError:
        return name


def _decoded(text: str) -> str:
    raw = text.encode("latin-1")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def widened(data: bytes) -> bytes:
    """`data` with 136-byte NAMESTR records widened to 140 (NUL-padded, the NAMESTR area padded
    to whole records), as ReadStat reads them; `data` itself when they are not 136 bytes."""
    count = data[7 * RECORD + 53 : 7 * RECORD + 58]
    if data[3 * RECORD + 74 : 3 * RECORD + 78] != b"0136" or not count.isdigit():
        return data
    start, variables = 8 * RECORD, int(count)
    end = start + -(-variables * 136 // RECORD) * RECORD
    namestrs = b"".join(
        data[at : at + 136].ljust(140, b"\0") for at in range(start, start + variables * 136, 136)
    )
    return data[:start] + namestrs + b" " * (-len(namestrs) % RECORD) + data[end:]


def frame_difference(frame: pd.DataFrame, reference: pd.DataFrame, meta: object) -> str:
    """The first difference between trialguard's frame and pyreadstat's, '' when none: the
    same names in order, the same values row by row, and beyond pyreadstat's last row only
    all-blank observations."""
    names, expected = list(frame.columns), list(reference.columns)
    if names != expected:
        return f"columns {names[:6]} differ from pyreadstat's {expected[:6]}"
    if len(frame) < len(reference):
        return f"{len(frame)} records where pyreadstat reads {len(reference)}"
    widths = getattr(meta, "variable_storage_width", None) or {}
    for column in names:
        difference = _column_difference(frame[column], reference[column], widths.get(column, 8))
        if difference:
            return f"{column}: {difference}"
    return ""


def type_difference(numeric: frozenset[str], meta: object) -> str:
    """The variables trialguard takes for numbers where pyreadstat does not, or the reverse."""
    types = getattr(meta, "readstat_variable_types", None) or {}
    expected = {name for name, kind in types.items() if kind == "double"}
    if set(numeric) != expected:
        return f"numeric variables {sorted(numeric ^ expected)[:6]} differ from pyreadstat's"
    return ""


def _column_difference(values: pd.Series, reference: pd.Series, width: int) -> str:
    read, tail = values.iloc[: len(reference)], values.iloc[len(reference) :]
    numeric = pd.api.types.is_numeric_dtype(reference)
    # with no value, a column's dtype says nothing (`type_difference` compares the types)
    if len(values) and numeric != pd.api.types.is_numeric_dtype(values):
        return f"{values.dtype} where pyreadstat gives {reference.dtype}"
    if numeric:
        numbers = read.to_numpy(np.float64)
        mismatch = ~_same_numbers(numbers, reference.to_numpy(np.float64))
        blank = np.float64(blank_number(width))
        extra = ~(_same_numbers(tail.to_numpy(np.float64), blank) | np.isnan(tail.to_numpy()))
    else:
        mismatch = np.array(
            [a != b for a, b in zip(_texts(read), _texts(reference), strict=True)], bool
        )
        extra = np.array([value is not None for value in _texts(tail)], bool)
    if mismatch.any():
        row = int(np.argmax(mismatch))
        return f"record {row + 1} is {read.iloc[row]!r}, pyreadstat's {reference.iloc[row]!r}"
    if extra.any():
        row = len(reference) + int(np.argmax(extra))
        return f"record {row + 1} (beyond pyreadstat's {len(reference)}) is not blank"
    return ""


def _same_numbers(a: np.ndarray, b: np.ndarray | np.float64) -> np.ndarray:
    return (a == b) | (np.isnan(a) & np.isnan(b))


def _texts(values: pd.Series) -> list[str | None]:
    """Text values with missing and whitespace-only ones as None."""
    return [v if isinstance(v, str) and v.strip() else None for v in values.astype(object)]


def blank_number(width: int) -> float:
    """The number ReadStat reads from `width` blank bytes (an 8-byte IBM float whose missing
    bytes are 0): 16 ** (0x20 - 64) times the fraction the blanks make."""
    width = max(0, min(width, 8))
    fraction = int.from_bytes((b" " * width + bytes(8 - width))[1:8], "big") / 2**56
    return fraction * 16.0 ** (0x20 - 64)


# ---------------------------------------------------------------- mutating seeds
NAMESTR = struct.Struct(">hhhh8s40s8sHHhh8shhi")  # ... nifl, nifd, npos
SPECIAL_BYTES = [b"\x00", b"\xff", b"\xe9", b"\x92", b"\x81", b" ", b"\xc3\xa9", b"\x2e"]
NUMBERS = [bytes(8), b"\x2e" + bytes(7), b"\x5f" + bytes(7), b"\x7f" + b"\xff" * 7, b" " * 8]


@dataclass(frozen=True)
class XptSeed:
    """A valid XPT file and where its parts are."""

    data: bytes
    version: int
    namestr_length: int
    variables: int
    lengths: tuple[int, ...]
    data_start: int

    @classmethod
    def of(cls, data: bytes) -> XptSeed:
        version = 8 if data[20:28] == b"LIBV8   " else 5
        namestr_length = int(data[3 * RECORD + 74 : 3 * RECORD + 78])
        variables = int(data[7 * RECORD + 53 : 7 * RECORD + 58])
        starts = range(8 * RECORD, 8 * RECORD + variables * namestr_length, namestr_length)
        lengths = tuple(struct.unpack(">h", data[at + 4 : at + 6])[0] for at in starts)
        obs = b"HEADER RECORD*******" + (b"OBSV8   " if version == 8 else b"OBS     ")
        found = data.find(obs, 8 * RECORD)
        while found % RECORD:
            found = data.find(obs, found + 1)
        return cls(data, version, namestr_length, variables, lengths, found + RECORD)

    @property
    def row_length(self) -> int:
        return sum(self.lengths)

    @property
    def rows(self) -> int:
        return max(1, (len(self.data) - self.data_start) // max(1, self.row_length))

    def namestr(self, number: int) -> int:
        return 8 * RECORD + number % self.variables * self.namestr_length


def mutate(seed: XptSeed, edits) -> bytes:
    """`seed`'s bytes after each edit (kind, position, size, payload) in turn; positions are
    taken modulo what they index (bytes, variables, observations)."""
    data = bytearray(seed.data)
    for kind, at, size, payload in edits:
        EDITS[kind](seed, data, at, size, payload)
    return bytes(data)


def _cut(seed, data, at, size, payload):
    del data[at % (len(data) + 1) :]


def _overwrite(seed, data, at, size, payload):
    at %= len(data) + 1
    data[at : at + len(payload)] = payload


def _insert(seed, data, at, size, payload):
    at %= len(data) + 1
    data[at:at] = payload


def _repeat_record(seed, data, at, size, payload):
    at = at % (len(data) // RECORD + 1) * RECORD
    data[at:at] = data[at : at + RECORD]


def _delete(seed, data, at, size, payload):
    at %= len(data) + 1
    del data[at : at + size]


def _namestr_type(seed, data, at, size, payload):
    start = seed.namestr(at)
    data[start : start + 2] = struct.pack(">h", [1, 2, 0, 3, -1, size][size % 6])


def _namestr_length(seed, data, at, size, payload):
    start = seed.namestr(at)
    current = seed.lengths[at % seed.variables]
    choice = [current + 1, current - 1, 0, -1, 1, 7, 9, 200, size, current * 2, 32767]
    data[start + 4 : start + 6] = struct.pack(">h", max(-32768, min(32767, choice[size % 11])))


def _namestr_position(seed, data, at, size, payload):
    start = seed.namestr(at) + 84
    data[start : start + 4] = struct.pack(">i", [0, size, -1, 2**31 - 1][size % 4])


def _namestr_text(seed, data, at, size, payload):
    """Bytes written into a variable's name, label, format or informat."""
    field, width = [(8, 8), (16, 40), (56, 8), (72, 8)][size % 4]
    start = seed.namestr(at) + field + size // 4 % width
    data[start : start + min(len(payload), width)] = payload[:width]


def _variable_width(seed, data, at, size, payload):
    """Store one variable in another width, every observation rewritten to match: a number
    keeps its first bytes (as SAS shortens one), text is cut or padded with blanks."""
    number = at % seed.variables
    offset, old = sum(seed.lengths[:number]), seed.lengths[number]
    new = [1, 2, 3, 4, 5, 6, 7, 9, 16, 100, 200][size % 11]
    rows = _observations(seed, data)
    rows = [
        row[:offset] + row[offset : offset + old][:new].ljust(new) + row[offset + old :]
        for row in rows
    ]
    start = seed.namestr(number)
    data[start + 4 : start + 6] = struct.pack(">h", new)
    body = b"".join(rows)
    data[seed.data_start :] = body + b" " * (-len(body) % RECORD)


def _observations(seed: XptSeed, data: bytearray) -> list[bytes]:
    """The observations as the seed's layout cuts them, blank ones in the last record left out."""
    body, length = bytes(data[seed.data_start :]).rstrip(b" "), seed.row_length
    return [body[n : n + length].ljust(length) for n in range(0, len(body), length)]


def _header_count(seed, data, at, size, payload):
    obs_count = seed.data_start - RECORD + 48  # the count an OBSV8 header declares
    fields = [(7 * RECORD + 53, 5), (3 * RECORD + 74, 4), (obs_count, 15)]
    start, width = fields[at % len(fields)]
    texts = [str(seed.variables + size % 3 - 1), "136", "140", str(size), "", "9" * width]
    if seed.version == 8:
        texts.append("x")
    value = texts[size % len(texts)].encode()[-width:].rjust(width, b"0" if size % 2 else b" ")
    data[start : start + width] = value


def _observation_value(seed, data, at, size, payload):
    row, number = at % seed.rows, size % seed.variables
    offset = seed.data_start + row * seed.row_length + sum(seed.lengths[:number])
    width = seed.lengths[number]
    value = NUMBERS[at % len(NUMBERS)] if width == 8 and size % 2 else payload
    data[offset : offset + min(width, len(value))] = value[:width]


def _observation_count(seed, data, at, size, payload):
    """Add, remove or repeat observations at a row boundary, the data re-padded to whole
    records; or change the count an XPORT v8 OBSV8 header declares."""
    length, row = seed.row_length, at % seed.rows
    rows = _observations(seed, data)
    match size % 5:
        case 0:
            rows[row:row] = [b" " * length] * (1 + size % 7)
        case 1:
            del rows[row : row + 1 + size % 3]
        case 2:
            rows[row:row] = rows[row : row + 1]
        case 3:
            rows.extend([b" " * length] * (1 + size % 11))
        case _:
            header = seed.data_start - RECORD + 48
            data[header : header + 15] = str(len(rows) + size % 3 - 1).encode().rjust(15)
    new = b"".join(rows)
    data[seed.data_start :] = new + b" " * (-len(new) % RECORD)


EDITS = {
    "cut": _cut,
    "overwrite": _overwrite,
    "insert": _insert,
    "repeat": _repeat_record,
    "delete": _delete,
    "namestr-type": _namestr_type,
    "namestr-length": _namestr_length,
    "namestr-position": _namestr_position,
    "namestr-text": _namestr_text,
    "variable-width": _variable_width,
    "header-count": _header_count,
    "observation-value": _observation_value,
    "observation-count": _observation_count,
}


# ---------------------------------------------------------------- building seeds
STAMP = b"01JAN25:00:00:00"


def build_xpt(variables, rows: bytes, version: int = 5, namestr_length: int = 140, declared=0):
    """A one-member XPT file: `variables` as (name, is text, length), then `rows` and padding;
    `declared` is the count a v8 OBSV8 header states (0: none)."""
    names = [b"LIBRARY", b"MEMBER", b"DSCRPTR", b"NAMESTR", b"OBS"]
    if version == 8:
        names = [b"LIBV8", b"MEMBV8", b"DSCPTV8", b"NAMSTV8", b"OBSV8"]
    described = b"".join(
        _namestr(name, text, length, number, namestr_length)
        for number, (name, text, length) in enumerate(variables)
    )
    member = b"0" * 16 + b"0160" + b"0" * 6 + str(namestr_length).zfill(4).encode()
    obs = b"0" * 30 if not declared else str(declared).encode().rjust(15).ljust(30)
    parts = [
        _header(names[0]),
        _record(b"SAS     SAS     SASLIB  9.4     X64_10PR".ljust(64) + STAMP),
        _record(STAMP),
        _header(names[1], member),
        _header(names[2]),
        _record(b"SAS     " + b"AE".ljust(32 if version == 8 else 8) + b"SASDATA 9.4".ljust(24)),
        _record(STAMP),
        _header(names[3], b"000000" + str(len(variables)).zfill(4).encode() + b"0" * 20),
        described + b" " * (-len(described) % RECORD),
        _header(names[4], obs),
        rows + b" " * (-len(rows) % RECORD),
    ]
    return b"".join(parts)


def _record(text: bytes) -> bytes:
    return text.ljust(RECORD)


def _header(name: bytes, numbers: bytes = b"0" * 30) -> bytes:
    return _record(b"HEADER RECORD*******" + name.ljust(8) + b"HEADER RECORD!!!!!!!" + numbers)


def _namestr(name: bytes, text: bool, length: int, number: int, size: int) -> bytes:
    fields = NAMESTR.pack(
        *(2 if text else 1, 0, length, number, name.ljust(8), b"LABEL".ljust(40), b" " * 8),
        *(0, 0, 0, 0, b" " * 8, 0, 0, 0),
    )
    return (fields + name.ljust(32) + bytes(2)).ljust(size, b"\0")


def ibm(value: float) -> bytes:
    """`value` as an 8-byte IBM float (SAS's XPORT numbers)."""
    if value == 0:
        return bytes(8)
    sign, value = (0x80, -value) if value < 0 else (0, value)
    exponent = 64
    while value >= 1:
        value, exponent = value / 16, exponent + 1
    while value < 1 / 16:
        value, exponent = value * 16, exponent - 1
    return bytes([sign | exponent]) + int(value * 2**56).to_bytes(7, "big")


def built_seeds() -> dict[str, bytes]:
    """Small files of the shapes the sample data lacks: rows under 8 bytes, numbers stored in
    fewer than 8 bytes, 136-byte NAMESTR records, v8 with a declared count, rows of 80 bytes or
    more with blank ones at the end, text that is not ASCII."""
    narrow = [(b"C", True, 1), (b"N", False, 3)]
    texts = [t.ljust(10) for t in (b"caf\xc3\xa9", b"\xe2\x80\x99", b"  lead", b"\0x", b"\t")]
    mixed = [(b"TEXT", True, 10), (b"NUM", False, 8)]
    mixed_rows = b"".join(t + ibm(v) for t, v in zip(texts, [1.5, -2, 1e10, 0, 1e-5], strict=True))
    return {
        "narrow": build_xpt(narrow, b"A" + ibm(1)[:3] + b"B" + ibm(2.5)[:3] + b"    C\0\0\0"),
        "narrow-v8": build_xpt(narrow, b"A" + ibm(7)[:3] + b" " * 4 * 3, version=8, declared=4),
        "namestr-136": build_xpt(mixed, mixed_rows, namestr_length=136),
        "wide-blank-tail": build_xpt([(b"TERM", True, 90)], b"X".ljust(90) + b" " * 180),
        "text-v8": build_xpt(mixed, mixed_rows, version=8),
        "windows-1252": build_xpt(mixed, mixed_rows.replace(b"\xc3\xa9", b"\xe9 ")),
    }
