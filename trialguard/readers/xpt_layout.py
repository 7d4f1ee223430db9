"""The structure of a SAS transport (XPORT v5 or v8) file, checked before its data is trusted.

An XPT file is a sequence of 80-byte records: library, member and descriptor
headers, one namestr per variable, then the observations packed end to end and
padded with blanks to a whole record.  A v5 file does not store how many
observations it holds, so a reader that simply stops at the end of the bytes
(pyreadstat and pandas both do) takes a truncated file for a shorter one.
`xpt_layout` refuses any file that does not end where its observations do, whose
header counts are not digits or whose variables are unnamed or named twice
(`xpt_namestr`), and returns how many observations the bytes hold, for the
reader to compare with what it read.  Only blank space that fits in the last
80-byte record can be padding: all-blank observations before it are records.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from pathlib import Path

from trialguard.errors import InputError
from trialguard.readers.xpt_namestr import check_names

RECORD = 80
HEADER = b"HEADER RECORD*******"
LIBRARY = {b"LIBRARY ": 5, b"LIBV8   ": 8}
MEMBER_NAMES = (b"MEMBER  ", b"MEMBV8  ")
DESCRIPTOR_NAMES = (b"DSCRPTR ", b"DSCPTV8 ")
HEADER_TAIL = b"HEADER RECORD!!!!!!!"  # after the name, in every header record
NAMESTR_NAMES = (b"NAMESTR ", b"NAMSTV8 ")
OBS_NAMES = (b"OBS     ", b"OBSV8   ")
NAMESTR_LENGTHS = (140, 136)  # 136 on VAX/VMS writers
BLANK = 0x20


@dataclass(frozen=True)
class XptLayout:
    version: int
    variables: int
    row_length: int
    data_start: int  # byte offset of the first observation
    observations: int  # observations the bytes hold, blank padding in the last record excluded
    namestr_length: int = 140  # 136 from VAX/VMS writers
    # last observations, all blank, that ReadStat drops (rows under 80 bytes, no declared count)
    blank_tail: int = 0


def xpt_layout(path: Path) -> XptLayout:
    size = path.stat().st_size
    if size == 0:
        raise InputError(path, "empty file (0 bytes); expected a SAS transport (XPT) file")
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        version = _library_version(path, data)
        if size % RECORD:
            start = size - size % RECORD
            raise InputError(
                path,
                f"the file is {size:,} bytes, not a whole number of 80-byte records: it ends "
                f"{size % RECORD} bytes into the record at byte offset {start:,}, so it looks "
                "truncated; ask the sender for the complete file",
            )
        variables, namestr_length = _members_and_namestrs(path, data)
        row_length, namestrs_end = _row_length(path, data, variables, namestr_length)
        if version == 5:  # v8 names may come from the label records; pyreadstat's are checked
            check_names(path, data, variables, namestr_length)
        obs_header, declared = _observation_header(path, data, namestrs_end, version)
        data_start = obs_header + RECORD
        data_end = _single_member_end(path, data, data_start, row_length)
        observations = _observations(path, data, data_start, data_end, row_length, declared)
        with_data = _rows_with_data(data, data_start, observations, row_length)
    # ReadStat reads every observation an OBSV8 header declares; it drops the all-blank ones
    # that end the data only when it has to take the count from the file's size
    blank_tail = observations - with_data if row_length < RECORD and declared is None else 0
    return XptLayout(
        version, variables, row_length, data_start, observations, namestr_length, blank_tail
    )


def member_name(head: bytes, version: int) -> str | None:
    """The dataset name the member header holds (8 characters in v5, 32 in v8), upper case;
    None when it is blank or not printable ASCII.  `head` is the file's first 8 records."""
    record = head[5 * RECORD : 6 * RECORD]
    name = record[8 : 16 if version == 5 else 40].rstrip(b" ")
    if len(record) < RECORD or not name or not all(0x20 < byte < 0x7F for byte in name):
        return None
    return name.decode("ascii").upper()


def _library_version(path: Path, data: mmap.mmap) -> int:
    first = data[:RECORD]
    if first.startswith(HEADER) and first[20:28] in LIBRARY:
        return LIBRARY[first[20:28]]
    shown = first[:40].decode("latin-1").encode("unicode_escape").decode("ascii")
    raise InputError(
        path,
        "not a SAS transport (XPT) file: it does not start with the XPORT library header "
        f"(first bytes: {shown!r}); was it renamed from another format?",
    )


def _header_at(path: Path, data: mmap.mmap, offset: int, names: tuple[bytes, ...]) -> bytes:
    record = data[offset : offset + RECORD]
    if len(record) < RECORD or not record.startswith(HEADER) or record[20:28] not in names:
        wanted = " or ".join(n.decode().strip() for n in names)
        raise InputError(
            path,
            f"no {wanted} header record at byte offset {offset:,}; the XPT structure is broken "
            "(truncated or edited file)",
        )
    return record


def _members_and_namestrs(path: Path, data: mmap.mmap) -> tuple[int, int]:
    member = _header_at(path, data, 3 * RECORD, MEMBER_NAMES)
    namestr = _header_at(path, data, 7 * RECORD, NAMESTR_NAMES)
    namestr_length = _count(path, member, 74, 78, "the length of a NAMESTR record")
    variables = _count(path, namestr, 53, 58, "the number of variables")
    if namestr_length not in NAMESTR_LENGTHS:
        raise InputError(path, f"namestr records of {namestr_length} bytes; expected 140 or 136")
    return variables, namestr_length


def _count(path: Path, record: bytes, start: int, end: int, meaning: str) -> int:
    """The count a header record holds in bytes `start` to `end`: decimal digits, nothing else."""
    field = record[start:end]
    if not field.isdigit():
        header = record[20:28].decode("ascii").strip()
        shown = field.decode("latin-1").encode("unicode_escape").decode("ascii")
        raise InputError(
            path,
            f"the {header} header record holds {shown!r} in bytes {start + 1}-{end}, where "
            f"{meaning} belongs: expected {end - start} digits; the XPT structure is broken "
            "(edited file?)",
        )
    return int(field)


def _row_length(path: Path, data: mmap.mmap, variables: int, namestr_length: int):
    start = 8 * RECORD
    end = start + variables * namestr_length
    if end > len(data):
        raise InputError(
            path,
            f"the file ends at byte {len(data):,}, inside the descriptions of its {variables} "
            "variables: it looks truncated",
        )
    lengths = [
        struct.unpack(">h", data[offset + 4 : offset + 6])[0]
        for offset in range(start, end, namestr_length)
    ]
    if not lengths:
        raise InputError(path, "the dataset declares no variables")
    unusable = [number for number, length in enumerate(lengths, 1) if length <= 0]
    if unusable:
        raise InputError(path, _length_reason(unusable[0], lengths, namestr_length))
    return sum(lengths), start + -(-(end - start) // RECORD) * RECORD


def _length_reason(number: int, lengths: list[int], namestr_length: int) -> str:
    at = 8 * RECORD + (number - 1) * namestr_length + 4
    return (
        f"variable {number:,} of {len(lengths):,} (NAMESTR record {number:,}, byte offset "
        f"{at:,}) has a length of {lengths[number - 1]}: a SAS variable holds 1 to 32,767 "
        "bytes, so the file is damaged"
    )


def _observation_header(path: Path, data: mmap.mmap, offset: int, version: int):
    """Offset of the OBS header and, for v8, the observation count it declares (or None)."""
    if version == 5:
        _header_at(path, data, offset, OBS_NAMES[:1])
        return offset, None
    # v8 may put label records (LABELV8 / LABELV9) of any length between namestrs and OBSV8.
    found = data.find(HEADER + OBS_NAMES[1], offset)
    while found != -1 and found % RECORD:
        found = data.find(HEADER + OBS_NAMES[1], found + 1)
    if found == -1:
        raise InputError(path, "no OBSV8 header record: the XPT structure is broken or truncated")
    count = data[found + 48 : found + 63].strip()
    return found, int(count) if count.isdigit() and int(count) > 0 else None


def _single_member_end(path: Path, data: mmap.mmap, data_start: int, row_length: int) -> int:
    """The end of the data, refusing a second member: its member and descriptor header records
    at an 80-byte boundary where whole observations and blank padding end (the same bytes in a
    text value, anywhere else, are data)."""
    for name in MEMBER_NAMES:
        found = data.find(HEADER + name, data_start)
        while found != -1 and not _second_member_at(data, data_start, found, row_length):
            found = data.find(HEADER + name, found + 1)
        if found != -1:
            raise InputError(
                path,
                f"holds more than one dataset (a second member starts at byte offset {found:,}); "
                "send one dataset per file",
            )
    return len(data)


def _second_member_at(data: mmap.mmap, data_start: int, offset: int, row_length: int) -> bool:
    if (offset - data_start) % RECORD:
        return False
    descriptor = data[offset + RECORD : offset + RECORD + 48]
    if data[offset + 28 : offset + 48] != HEADER_TAIL or not any(
        descriptor == HEADER + name + HEADER_TAIL for name in DESCRIPTOR_NAMES
    ):
        return False
    rest = (offset - data_start) % row_length
    return rest < RECORD and data[offset - rest : offset].count(BLANK) == rest


def _observations(path, data, data_start: int, data_end: int, row_length: int, declared):
    complete, rest = divmod(data_end - data_start, row_length)
    tail_start = data_start + complete * row_length
    if declared is not None:
        return _declared_observations(path, data, data_start, data_end, row_length, declared)
    if rest and (rest >= RECORD or data[tail_start:data_end].count(BLANK) != rest):
        raise InputError(
            path,
            f"the file ends {rest} bytes into observation {complete + 1} (which starts at byte "
            f"offset {tail_start:,} and needs {row_length} bytes): it looks truncated",
        )
    with_data = _rows_with_data(data, data_start, complete, row_length)
    return max(_fewest_observations(data_end - data_start, row_length), with_data)


def _fewest_observations(size: int, row_length: int) -> int:
    """The fewest observations `size` bytes of data can hold: padding fills the last 80-byte
    record only, so the observations reach into it; all-blank ones before it are records."""
    return (size - RECORD) // row_length + 1 if size else 0


def _declared_observations(path, data, data_start, data_end, row_length, declared) -> int:
    needed = data_start + declared * row_length
    if needed > data_end:
        held = (data_end - data_start) // row_length
        raise InputError(
            path,
            f"the header declares {declared:,} observations but the file ends at byte "
            f"{data_end:,}, after {held:,} of them: it looks truncated",
        )
    padding = data[needed:data_end]
    if len(padding) >= RECORD or padding.count(BLANK) != len(padding):
        raise InputError(
            path,
            f"unexpected data after the {declared:,} declared observations "
            f"(byte offset {needed:,})",
        )
    return declared


def _rows_with_data(data, data_start: int, rows: int, row_length: int) -> int:
    """How many of the first `rows` observations remain once the all-blank ones that end them
    are taken away (ReadStat takes them for padding when a row is shorter than 80 bytes)."""
    end = data_start + rows * row_length
    last_data = end
    while last_data > data_start:
        chunk_start = max(data_start, last_data - (1 << 20))
        kept = len(data[chunk_start:last_data].rstrip(b" "))
        if kept:
            last_data = chunk_start + kept
            break
        last_data = chunk_start
    return -(-(last_data - data_start) // row_length)
