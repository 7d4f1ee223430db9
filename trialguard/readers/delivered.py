"""Which dataset each file of a transfer holds: by its file name, by the dataset name stored in
it, or as the user says.

A file named after a dataset (`ae.xpt`) is that dataset without being opened; when it is read
and the name it stores says another dataset (an XPT member DM), the file name is kept and the
report notes the difference.  A file named otherwise (`CDISC01_ae.xpt`, `ae_20251201.xpt`) is
matched by the name stored in it (`trialguard.readers.stored_names`); one that stores no dataset
name, or cannot be opened, is skipped with why.  `--dataset-name FILE=NAME` decides above both.
A CSV file matched by its DOMAIN must hold that one DOMAIN value (RDOMAIN for a SUPP--).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from trialguard.errors import InputError, UsageError
from trialguard.readers.dataset import Dataset, dataset_name, dataset_of, file_format
from trialguard.readers.entries import os_reason
from trialguard.readers.names import explain_unmatched
from trialguard.readers.stored_names import WHERE, read_stored_name
from trialguard.sdtm.naming import domain_code, is_supp, supp_parent

BY_FILE_NAME = "file name"
GIVEN = "--dataset-name"
CSV_CODES = ("DOMAIN", "RDOMAIN")


@dataclass(frozen=True)
class Match:
    """A file and the dataset it was taken as (None: skipped), and how, or why it was not."""

    path: Path
    dataset: str | None
    taken_by: str = BY_FILE_NAME  # or the stored name's kind (XPT member name, ...) or GIVEN
    reason: str = ""  # why a skipped file was not taken as a dataset

    @property
    def shown(self) -> str:
        """The file as the reports name it: `CDISC01_ae.xpt (by its XPT member name)`."""
        if self.taken_by == BY_FILE_NAME:
            return self.path.name
        return f"{self.path.name} ({taken_by_text(self.taken_by)})"


def taken_by_text(taken_by: str) -> str:
    return "by --dataset-name" if taken_by == GIVEN else f"by its {taken_by}"


def match_file(
    path: Path, given: dict[Path, str], problems: dict[Path, str], delimiter: str | None
) -> Match:
    """The dataset `path` holds: as given, by its file name, else by its stored name."""
    if path in given:
        return Match(path, given[path], GIVEN)
    named = dataset_name(path)
    if named is not None:
        return Match(path, named)
    if path in problems or path.name.startswith("."):
        return Match(path, None, reason=problems.get(path) or explain_unmatched(path))
    return _by_stored_name(path, delimiter)


def _by_stored_name(path: Path, delimiter: str | None) -> Match:
    try:
        stored = read_stored_name(path, delimiter)
    except InputError as error:
        return _unmatched(path, f"the dataset name it holds cannot be read: {error.reason}")
    except OSError as error:
        return _unmatched(path, f"it cannot be read ({os_reason(error)})")
    dataset = dataset_of(stored) if stored else None
    if dataset is None:
        return Match(path, None, reason=explain_unmatched(path))
    return Match(path, dataset, _stored_kind(path, dataset))


def _unmatched(path: Path, why: str) -> Match:
    return Match(path, None, reason=f"{explain_unmatched(path)}; {why}")


def _stored_kind(path: Path, dataset: str) -> str:
    kind = WHERE[file_format(path) or ""]
    return "RDOMAIN" if kind == "DOMAIN" and is_supp(dataset) else kind


def name_notices(dataset: Dataset, match: Match) -> list[str]:
    """What the report notes on the dataset's name: the file name kept over a stored name that
    disagrees.  Raises InputError for a CSV file taken by a DOMAIN it does not hold alone."""
    if match.taken_by in CSV_CODES:
        _one_code(dataset, match.taken_by)
        return []
    stored = dataset.stored_name
    if match.taken_by != BY_FILE_NAME or not stored or _agree(dataset.name, stored):
        return []
    file = match.path.name
    return [
        f"{file}: named for {dataset.name}, but its {WHERE[dataset.format]} is {stored}; read "
        f"as {dataset.name} (--dataset-name {file}={stored} reads it as {stored})"
    ]


def _agree(name: str, stored: str) -> bool:
    """Whether a stored name names dataset `name`, or its domain (QS for QSCO, SUPPQS for
    SUPPQSCO)."""
    taken = dataset_of(stored)
    if taken is None:
        return False
    if taken in (name, domain_code(name)):
        return True
    parent = supp_parent(name)
    return parent is not None and supp_parent(taken) == domain_code(parent)


def _one_code(dataset: Dataset, column: str) -> None:
    if column not in dataset.frame.columns:
        return
    values = sorted(dataset.frame[column].dropna().astype(str).str.strip().unique())
    if len(values) > 1:
        raise InputError(
            dataset.path,
            f"not named after a dataset, and its {column} holds {len(values)} values "
            f"({', '.join(values[:5])}): name the file after its dataset or give "
            f"--dataset-name {dataset.path.name}=NAME",
        )


def given_names(names: Mapping[str, str], files: list[Path]) -> dict[Path, str]:
    """`--dataset-name` (FILE=NAME) by file: FILE is a path or a file name of the transfer.
    A FILE matching no file, or a NAME that names no SDTM dataset, is a UsageError."""
    given: dict[Path, str] = {}
    for file, name in names.items():
        dataset = dataset_of(name.strip())
        if dataset is None:
            raise UsageError(
                f"--dataset-name {file}={name}: {name!r} is not an SDTM dataset name "
                "(e.g. AE, TS, QSCO, SUPPLBCH)"
            )
        found = [path for path in files if _names(file, path)]
        if not found:
            raise UsageError(f"--dataset-name {file}={name}: no such dataset file was given")
        given |= dict.fromkeys(found, dataset)
    return given


def _names(file: str, path: Path) -> bool:
    if file in (path.name, str(path)):
        return True
    try:
        return Path(file).resolve() == path.resolve()
    except (OSError, RuntimeError):
        return False
