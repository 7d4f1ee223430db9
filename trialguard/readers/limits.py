"""Resource bounds on input: a file too large to read safely is refused before it is opened."""

from __future__ import annotations

import re
from pathlib import Path

from trialguard.errors import InputError

# Reading costs several times the file's size in memory (text columns as
# Python strings); 2 GiB of input stays well inside a 16 GiB workstation.
DEFAULT_MAX_FILE_BYTES = 2 * 1024**3
UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def parse_size(text: str) -> int | None:
    """'500M', '2G', '750000' -> bytes; '0' or 'none' -> no limit (None)."""
    cleaned = text.strip().upper().removesuffix("B").removesuffix("I")
    if cleaned in ("0", "NONE"):
        return None
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGT]?)", cleaned)
    if not match:
        raise ValueError(f"{text!r} is not a size such as 500M, 2G or 750000 (bytes)")
    return int(float(match.group(1)) * UNITS[match.group(2)])


def human_size(size: int) -> str:
    for unit in ("T", "G", "M", "K"):
        if size >= UNITS[unit]:
            return f"{size / UNITS[unit]:.1f} {unit}iB"
    return f"{size} bytes"


def check_file_size(path: Path, limit: int | None) -> None:
    size = path.stat().st_size
    if limit is not None and size > limit:
        raise InputError(
            path,
            f"the file is {human_size(size)}, above the limit of {human_size(limit)}; "
            "raise it with --max-file-size if this machine has the memory (about 5 times "
            "the file's size)",
        )
