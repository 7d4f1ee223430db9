"""Report files written whole or not at all: a reader of the target sees the previous complete
file or the new one, never part of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_report(path: str | Path, text: str | None, write=None, text_writer=None) -> Path:
    """Write to a temporary file of its own beside the target, then rename it into place: a
    reader sees the old complete report or the new one, never part of one, and two runs never
    share a temporary file.  A failed write removes its temporary file; OSError is left to the
    caller, which names the file.  A name that is not UTF-8 (held as surrogate escapes) is
    written as its escape, `\\udce9`: valid JSON that reads back as the same name."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    partial = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as out:
            if text_writer is not None:
                text_writer(out)
            elif write is None:
                out.write(text or "")
        if write is not None:  # a writer of its own (the Excel workbook) writes to the path
            write(partial)
        os.chmod(partial, 0o666 & ~_umask())  # as an ordinary new file (mkstemp makes it 0600)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
