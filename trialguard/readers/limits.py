"""Resource bounds on input: a file too large to read safely is refused before it is opened."""

from __future__ import annotations

import re
from pathlib import Path

from trialguard.errors import InputError

# Reading costs, measured by benchmarks/reader_memory.py on LB and AE datasets, up to 4 times
# the file's size in memory for XPT v5 and CSV, 8 for SAS7BDAT and XPT v8 (text as Python
# strings before the distinct values are shared), 10 for Dataset-JSON (the parsed document);
# 2 GiB of input stays inside a 24 GiB workstation.
DEFAULT_MAX_FILE_BYTES = 2 * 1024**3
# An SDTM dataset is submitted as XPT v5, which holds at most 9,999 variables (a few dozen is
# usual); a wider CSV header or Dataset-JSON column list is not a dataset, and would cost
# minutes of per-column checks to say so.
MAX_COLUMNS = 9_999
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


def too_many_columns(count: int, where: str) -> str | None:
    """The refusal of `count` columns (`where`: what holds them), None within MAX_COLUMNS."""
    if count <= MAX_COLUMNS:
        return None
    return (
        f"{where} {count:,} columns, more than the {MAX_COLUMNS:,} variables a SAS transport "
        "(XPT v5) file can hold: not an SDTM dataset"
    )


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
            "raise it with --max-file-size if this machine has the memory (reading takes up to "
            "4 times the file's size for XPT v5 and CSV, 8 for SAS7BDAT and XPT v8, 10 for "
            "Dataset-JSON)",
        )


def out_of_memory(path: Path) -> str:
    """Why a file could not be read when the machine ran out of memory reading it."""
    return (
        f"ran out of memory reading this {human_size(path.stat().st_size)} file; read it on a "
        "machine with more free memory (or close other programs); see --max-file-size"
    )
