"""SAS7BDAT files (plain or compressed) through pyreadstat, after checking the file is whole."""

from __future__ import annotations

import struct
from pathlib import Path

import pyreadstat

from trialguard.errors import InputError
from trialguard.readers.dataset import Dataset
from trialguard.readers.sas import read_with_pyreadstat

MAGIC = bytes(12) + bytes.fromhex("c2ea8160b31411cfbd92080009c7318c181f1011")
HEADER_BYTES = 288


def read_sas7bdat(path: Path, name: str, encoding: str | None = None) -> Dataset:
    check_whole(path)
    return read_with_pyreadstat(pyreadstat.read_sas7bdat, path, name, "sas7bdat", encoding)


def check_whole(path: Path) -> None:
    """The header gives header length, page size and page count: the file must be that long."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(HEADER_BYTES)
    if size == 0:
        raise InputError(path, "empty file (0 bytes); expected a SAS7BDAT dataset")
    if not head.startswith(MAGIC):
        raise InputError(
            path, "not a SAS7BDAT file: its first 32 bytes are not the SAS7BDAT signature"
        )
    if len(head) < HEADER_BYTES:
        raise InputError(path, f"the file ends at byte {size}, inside its header: truncated")
    wide = head[32] == 0x33  # 64-bit layout: fields shifted by 4, page count 8 bytes
    shift = 4 if wide else 0
    order = "<" if head[37] == 0x01 else ">"
    header_length, page_size = struct.unpack(order + "ii", head[196 + shift : 204 + shift])
    count_format = order + ("q" if wide else "i")
    count_at = 204 + shift
    (pages,) = struct.unpack(
        count_format, head[count_at : count_at + struct.calcsize(count_format)]
    )
    expected = header_length + page_size * pages
    if size < expected:
        raise InputError(
            path,
            f"the file is {size:,} bytes but its header describes {pages:,} pages of "
            f"{page_size:,} bytes ({expected:,} bytes in all): it is truncated at byte "
            f"offset {size:,}",
        )
