"""Reading a small input file (spec, waivers, manifest, previous report) within bounds: only a
regular file, never a FIFO that would block or a device that never ends, and no more bytes than
the limit, even from a file that grows or says it is smaller than it is."""

from __future__ import annotations

import stat
from pathlib import Path

from trialguard.errors import InputError

MAX_REPORT_BYTES = 2 * 2**30  # a previous JSON report: large studies have many findings


def read_bounded(path: Path, what: str, limit: int) -> bytes:
    """The bytes of `path`, or an InputError naming the file and why it is not read."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise InputError(path, f"cannot read the {what} ({error.strerror or error})") from error
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a pipe or a device?)"
        raise InputError(path, f"the {what} is {kind}: give a file")
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise InputError(path, f"cannot read the {what} ({error.strerror or error})") from error
    if len(data) > limit:
        raise InputError(path, f"the {what} is larger than {limit:,} bytes, the limit")
    return data
