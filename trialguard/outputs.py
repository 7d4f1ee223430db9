"""The report files a run is asked to write, checked before anything runs: no two outputs name
one file, and no output names a file the run reads (a dataset, the spec, the define, ...)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from trialguard.errors import UsageError
from trialguard.readers.dataset import dataset_name, file_format

DEFINE_NAME = "define.xml"


def check_outputs(outputs: dict[str, Path | None], inputs: Iterable[Path]) -> None:
    """`outputs` by option (--json, ...); `inputs` the files and folders the run reads."""
    read = {_key(p): p for p in _input_files(inputs)}
    named: dict[str, str] = {}
    for option, path in outputs.items():
        if path is None:
            continue
        if path.is_dir():
            raise UsageError(f"{option} {path}: is a folder; give the report's file name")
        key = _key(path)
        if key in named:
            raise UsageError(
                f"{named[key]} and {option} both name {path}: give each report its own file"
            )
        if key in read:
            raise UsageError(
                f"{option} {path}: is a file this run reads ({read[key]}); it is not overwritten"
            )
        named[key] = option


def _input_files(inputs: Iterable[Path]) -> list[Path]:
    """The given files, and in each given folder the data files and define.xml it reads."""
    files = []
    for path in inputs:
        if path.is_dir():
            files += [p for p in path.iterdir() if _read_from_folder(p)]
        elif path.exists():
            files.append(path)
    return files


def _read_from_folder(path: Path) -> bool:
    """A dataset file the folder's reading takes (dm.xpt, ts.csv, ae.json), or its define.xml."""
    if not path.is_file():
        return False
    if path.name.lower() == DEFINE_NAME:
        return True
    return file_format(path) is not None and dataset_name(path) is not None


def _key(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:  # a path the system cannot resolve is compared as written
        return str(path.absolute())
