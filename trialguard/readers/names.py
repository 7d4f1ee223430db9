"""Why an entry of a transfer is not read as a dataset, said so that the user can fix it.

Dataset files are matched by their exact name (`dataset_name`, any case), else by the dataset
name stored in them (`trialguard.readers.delivered`): a file that neither names nor holds a
dataset's name, or sits in a sub-folder, is never read, only explained, in the study's skipped
list and in the exit-2 message when no dataset is found at all.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from pathlib import Path

from trialguard.readers.dataset import DATASET_NAMES, FORMATS, dataset_of, file_format
from trialguard.readers.entries import is_archive, unpack_command

WORD = re.compile(r"[a-z0-9]+", re.IGNORECASE)
SHOWN = 10  # entries named per kind in the no-dataset message
NOT_DATA = "not a dataset file"
NO_CHECKS = (
    "not named after an SDTM dataset (e.g. mh.xpt, suppae.csv) and holds no dataset name: not read"
)
NOT_SEARCHED = "a folder: sub-folders are not searched"


def explain_unmatched(path: Path) -> str:
    """Why a data file (.xpt, .csv, .sas7bdat) whose name names no checked dataset is skipped."""
    if path.name.startswith("."):
        return "a hidden file: not read"
    words = list(WORD.finditer(path.stem))
    known = [word for word in words if _names_a_dataset(word.group())]
    return _misnamed(path, known[0]) if len(known) == 1 else NO_CHECKS


def _names_a_dataset(word: str) -> bool:
    return word.lower() in DATASET_NAMES or (
        word.lower().startswith("supp") and dataset_of(word) is not None
    )


def _misnamed(path: Path, word: re.Match[str]) -> str:
    before, after = path.stem[: word.start()], path.stem[word.end() :]
    extra = [f"a sponsor prefix '{before}'"] if before else []
    extra += [f"extra text '{after}' after the name"] if after else []
    dataset = DATASET_NAMES.get(word.group().lower(), word.group().upper())
    return f"looks like {dataset} with {' and '.join(extra)}: name it {word.group()}{path.suffix}"


def explain_folder(path: Path) -> str:
    """Why a sub-folder is skipped; when it holds data files, how to check them."""
    held = count_data_files(path)
    if not held:
        return NOT_SEARCHED
    return f"{NOT_SEARCHED}; it holds {_count(held, 'data file')}: give {path} as a path of its own"


def count_data_files(folder: Path) -> int:
    try:
        return sum(1 for p in folder.iterdir() if p.is_file() and file_format(p))
    except OSError:  # unreadable folder: it holds nothing we could read
        return 0


def explain_no_dataset(skipped: list[tuple[str, str]]) -> str:
    """The exit-2 reason when nothing was read: the naming rule, then every entry found."""
    entries = [(Path(p), why) for p, why in skipped]
    folders = [p for p, _ in entries if p.is_dir() and count_data_files(p)]
    data = [(p, why) for p, why in entries if not p.is_dir() and file_format(p)]
    archives = [p for p, _ in entries if not p.is_dir() and is_archive(p)]
    other = [
        p
        for p, _ in entries
        if p not in folders and p not in archives and (p.is_dir() or not file_format(p))
    ]
    found = [
        _data_sentence(data),
        _folder_sentence(folders),
        _archive_sentence(archives),
        _other_sentence(other),
    ]
    found = [s for s in found if s] or ["Found no files or sub-folders."]
    return " ".join(["no DM, EX, AE or DLT dataset found.", naming_rule(), *found])


def naming_rule() -> str:
    return (
        f"A dataset file is named after its dataset and nothing else: {_either(DATASET_NAMES)}, "
        f"with {_either(FORMATS)}, in any case (e.g. dm.xpt, AE.csv), or holds its dataset's "
        "name (XPT member, SAS7BDAT table, Dataset-JSON name, CSV DOMAIN)."
    )


def _data_sentence(data: list[tuple[Path, str]]) -> str:
    if not data:
        return ""
    listed = _listed(f"{path.name} ({why})" for path, why in data)
    return f"Found {_count(len(data), 'data file')} with other names: {listed}."


def _folder_sentence(folders: list[Path]) -> str:
    if not folders:
        return ""
    these = "a sub-folder" if len(folders) == 1 else f"{len(folders)} sub-folders"
    fix = "as the path" if len(folders) == 1 else "as the paths"
    listed = _listed(f"{folder.name}/" for folder in folders)
    return (
        f"Found {these} holding data files: {listed} "
        f"(folders are searched one level deep: give {shlex.join(map(str, folders))} {fix})."
    )


def _archive_sentence(archives: list[Path]) -> str:
    if not archives:
        return ""
    listed = _listed(path.name for path in archives)
    commands = "; ".join(unpack_command(path) for path in archives[:SHOWN])
    return (
        f"Found {_count(len(archives), 'archive')}: {listed}. Nothing inside an archive is read: "
        f"unpack it ({commands}) and give the folder of its files."
    )


def _other_sentence(other: list[Path]) -> str:
    if not other:
        return ""
    kind = ("other entry", "other entries") if any(p.is_dir() for p in other) else ("other file",)
    what = "not a dataset file" if len(other) == 1 else "not dataset files"
    listed = _listed(f"{path.name}/" if path.is_dir() else path.name for path in other)
    return f"Found {_count(len(other), *kind)} ({what}): {listed}."


def _listed(items: Iterable[str]) -> str:
    items = list(items)
    if len(items) <= SHOWN + 1:
        return ", ".join(items)
    return f"{', '.join(items[:SHOWN])} and {len(items) - SHOWN} more"


def _either(items: Iterable[str]) -> str:
    items = list(items)
    return f"{', '.join(items[:-1])} or {items[-1]}" if len(items) > 1 else "".join(items)


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one}" if n == 1 else f"{n:,} {many or one + 's'}"
