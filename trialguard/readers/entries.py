"""What an entry of a transfer folder is, before anything opens it.

Only regular files are read. A symbolic link is followed only while it stays
inside the folder it was found in: a link out of the transfer would copy
someone else's file into the reports. Folders, FIFOs, sockets and devices named
like datasets are never opened (a FIFO would hang the run); they are reported
with what they are. Archives are named with what to do, since nothing inside
them is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# Archive suffix -> the command that unpacks it (longest suffixes first).
ARCHIVES = {
    ".tar.gz": "tar -xf",
    ".tar.bz2": "tar -xf",
    ".tar.xz": "tar -xf",
    ".tbz2": "tar -xf",
    ".txz": "tar -xf",
    ".tgz": "tar -xf",
    ".tar": "tar -xf",
    ".zip": "unzip",
    ".gz": "gunzip",
    ".bz2": "bunzip2",
    ".xz": "unxz",
    ".7z": "7z x",
    ".rar": "unrar x",
}
KINDS = (
    (stat.S_ISDIR, "a folder, not a file"),
    (stat.S_ISFIFO, "a FIFO (named pipe), not a regular file"),
    (stat.S_ISSOCK, "a socket, not a regular file"),
    (stat.S_ISCHR, "a character device, not a regular file"),
    (stat.S_ISBLK, "a block device, not a regular file"),
)


def entry_problem(path: Path, folder: Path | None = None) -> str | None:
    """Why `path` cannot be read as a dataset file, or None for a regular file we may read.

    `folder` is the transfer folder the entry was found in: a symbolic link
    must resolve inside it. A path given on the command line (no folder) may
    link anywhere: the user named it.
    """
    try:
        mode = path.lstat().st_mode
    except OSError as error:
        return f"cannot be examined ({os_reason(error)})"
    if stat.S_ISLNK(mode):
        return _link_problem(path, folder) or entry_problem(path.resolve(strict=True))
    if stat.S_ISREG(mode):
        return None
    return next((what for test, what in KINDS if test(mode)), "not a regular file")


def _link_problem(path: Path, folder: Path | None) -> str | None:
    try:
        target = path.resolve()
    except (OSError, RuntimeError):  # Python 3.11 raises RuntimeError on a loop of links
        return "a symbolic link that cannot be followed (a loop of links)"
    if not target.exists():
        return f"a broken symbolic link (to {os.readlink(path)})"
    if folder is not None and not target.is_relative_to(folder.resolve()):
        return (
            f"a symbolic link to {target}, outside the transfer folder: not read "
            "(copy the file into the folder to check it)"
        )
    return None


def is_archive(path: Path) -> bool:
    return path.name.lower().endswith(tuple(ARCHIVES))


def unpack_command(path: Path) -> str:
    suffix = next(s for s in ARCHIVES if path.name.lower().endswith(s))
    return f"{ARCHIVES[suffix]} {path.name}"


def archive_reason(path: Path) -> str:
    """What to do with an archive in a transfer: nothing inside it is read."""
    return (
        f"an archive: nothing inside it is read; unpack it ({unpack_command(path)}) "
        "and give the folder of its files"
    )


def os_reason(error: OSError) -> str:
    """The system's words for an OSError ("Permission denied"), without the path it repeats."""
    return error.strerror or type(error).__name__
