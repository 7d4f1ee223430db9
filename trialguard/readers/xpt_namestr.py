"""The NAMESTR records of a SAS transport file: one per variable, 140 bytes (136 from VAX/VMS
writers), holding its type, length, name, label and formats.

`check_names` refuses a v5 file whose variable has no name or whose two variables share one,
named as ReadStat (pyreadstat) reads them: trailing blanks and NULs stripped, then ending at
the first NUL.  pyreadstat itself would name the first `nan` and rename the second
`X_duplicated1` without a word.  `with_140_byte_namestrs` gives pyreadstat, which reads every
NAMESTR as 140 bytes, a copy of a 136-byte file it can read.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from trialguard.errors import InputError

RECORD = 80
FIRST_NAMESTR = 8 * RECORD  # after the library, member and descriptor header records
NAME = slice(8, 16)  # nname: the v5 variable name
FULL_LENGTH = 140


def stored_name(field: bytes) -> bytes:
    """A name field as ReadStat reads it: trailing blanks and NULs stripped, then up to the
    first NUL."""
    return field.rstrip(b" \0").split(b"\0", 1)[0]


def check_names(path: Path, data, variables: int, namestr_length: int) -> None:
    """Refuse (InputError) a blank variable name or a name given twice, by NAMESTR number."""
    positions: dict[bytes, list[int]] = defaultdict(list)
    for number in range(1, variables + 1):
        start = FIRST_NAMESTR + (number - 1) * namestr_length
        positions[stored_name(data[start + NAME.start : start + NAME.stop])].append(number)
    blank = sorted(n for name, at in positions.items() if not name.strip(b" ") for n in at)
    if blank:
        raise InputError(path, _blank_reason(blank, variables))
    repeated = {name: at for name, at in positions.items() if len(at) > 1}
    if repeated:
        raise InputError(path, _repeated_reason(repeated))


def _blank_reason(numbers: list[int], variables: int) -> str:
    more = f" (and {len(numbers) - 1:,} more)" if len(numbers) > 1 else ""
    return (
        f"variable {numbers[0]:,} of {variables:,} (NAMESTR record {numbers[0]:,}){more} has a "
        "blank name: a SAS variable name is never blank, so the file is damaged or was not "
        "written by SAS"
    )


def _repeated_reason(repeated: dict[bytes, list[int]]) -> str:
    shown = "; ".join(
        f"{_shown(name)} (NAMESTR records {', '.join(map(str, at))})"
        for name, at in sorted(repeated.items())
    )
    return f"names a variable twice: {shown}; each variable of a dataset needs its own name"


def _shown(name: bytes) -> str:
    text = name.decode("latin-1")
    return text if text.isprintable() else repr(text)


def with_140_byte_namestrs(data: bytes, variables: int) -> bytes:
    """The file with its 136-byte NAMESTR records widened to 140 (4 NUL bytes each) and padded
    to a whole 80-byte record, every other byte as it was."""
    short = FULL_LENGTH - 4
    namestrs_end = FIRST_NAMESTR + -(-variables * short // RECORD) * RECORD
    namestrs = b"".join(
        data[start : start + short].ljust(FULL_LENGTH, b"\0")
        for start in range(FIRST_NAMESTR, FIRST_NAMESTR + variables * short, short)
    )
    padding = b" " * (-len(namestrs) % RECORD)
    return data[:FIRST_NAMESTR] + namestrs + padding + data[namestrs_end:]
