"""Each variable is stored with the type SDTMIG gives it: Char or Num.

A value can look right and be stored wrong: AESTDTC held as a SAS date number
(DATE9.) prints as a date, AGE held as text "34" reads as a number. The file's
own types tell: XPT and SAS7BDAT store Char or Num for every variable,
Dataset-JSON declares a dataType. A finding per dataset and variable gives the
type SDTMIG gives and the type found (with the SAS format of a number shown as a
date). The variables judged are the dataset's SDTMIG variables and every --DTC
variable (ISO 8601 text). A CSV file stores no types: its datasets are judged by
their values only (SD-NUM, SD-DTC), and the rule says so.
Reference: SDTMIG 3.4 domain specifications (the Type of each variable) and
§4.4 (dates as ISO 8601 text); FDA Study Data Technical Conformance Guide §3.3.
"""

from __future__ import annotations

from collections.abc import Callable

from trialguard.readers.dataset import Dataset
from trialguard.validators.conformance.domains import checked_variables, variable
from trialguard.validators.conformance.findings import about_dataset, supplied_datasets, typed
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotRun, Outcome
from trialguard.validators.registry import NoParams, register

DATE_FORMATS = ("DATE", "TIME", "DT", "YYMMDD", "MMDDYY", "DDMMYY", "E8601", "B8601", "IS8601")


@register(
    "stored_types",
    message="{dataset}: {variable} is stored as {found}; SDTMIG gives {expected}",
)
def check_stored_types(context: StudyContext, params: NoParams) -> Outcome:
    """SDTMIG Char and Num variables are stored as such (XPT, SAS7BDAT, Dataset-JSON)."""
    datasets = [context.study.datasets[n] for n in supplied_datasets(context)]
    stored = [d for d in datasets if typed(context, d.name)]
    if not stored:
        raise NotRun("CSV files store no variable types: judged by their values (SD-NUM, SD-DTC)")
    model = context.standards.ig.model
    outcome = Outcome()
    for dataset in stored:
        for column, expected, found in _mistyped(dataset, model):
            outcome.add(about_dataset(dataset.name, column, expected=expected, found=found))
    outcome.notes += [
        f"{d.name} was not checked by this rule: a CSV file stores no variable types"
        for d in datasets
        if d not in stored
    ]
    return outcome


def _mistyped(dataset: Dataset, model: str) -> list[tuple[str, str, str]]:
    """(variable, type SDTMIG gives, type found) of each variable stored with the other type."""
    numeric_in_ig = _numeric_in_ig(dataset, model)
    wrong = []
    for column in dataset.frame.columns:
        numeric = numeric_in_ig(column)
        stored = column in dataset.numeric
        if numeric is not None and numeric != stored:
            expected = "Num" if numeric else "Char"
            expected += " (ISO 8601 text)" if column.endswith("DTC") else ""
            wrong.append((column, expected, _found(dataset, column, stored)))
    return wrong


def _numeric_in_ig(dataset: Dataset, model: str) -> Callable[[str], bool | None]:
    """For a variable of `dataset`: True for an SDTMIG Num variable, False for Char (every
    --DTC), None when not known."""
    columns = tuple(dataset.frame.columns)
    checked = {v.name: v for v in checked_variables(dataset.name, model, columns)}

    def numeric(column: str) -> bool | None:
        known = variable(dataset.name, column, model, columns) or checked.get(column)
        if known is not None:
            return known.numeric
        return False if column.endswith("DTC") else None

    return numeric


def _found(dataset: Dataset, column: str, stored: bool) -> str:
    if not stored:
        return "Char"
    sas_format = (dataset.formats.get(column) or "").upper()
    if sas_format and any(sas_format.startswith(f) for f in DATE_FORMATS):
        return f"Num with the SAS format {sas_format} (a SAS date or time number)"
    return "Num"
