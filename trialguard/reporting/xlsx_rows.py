"""The workbook's tables: the report's plain rows (shared with the findings CSV) with what
Pinnacle 21 users look for beside them: each dataset's SDTMIG label and class, each rule's
Pinnacle 21, publisher and CORE ids, and the Issue Summary most severe and most frequent first.

The label is the SDTMIG's for the dataset's domain (`Adverse Events`; a split dataset's is its
domain's, a SUPP-- dataset's `Supplemental Qualifiers for AE`), blank for a dataset the SDTMIG
does not define: the label a file itself holds is not kept when it is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from trialguard.findings import Finding, FindingTable, Severity
from trialguard.report_model import ReportModel
from trialguard.reporting import table_rows
from trialguard.reporting.xlsx_ids import ID_COLUMNS, NO_IDS, RuleIds
from trialguard.sdtm.naming import domain_code, is_supp, supp_parent
from trialguard.sdtm.sdtmig import domain_rows

DATASET_COLUMNS = ("Dataset", "Label", "Class", *table_rows.DATASET_COLUMNS[1:])
ISSUE_COLUMNS = ("Dataset", "Rule", *ID_COLUMNS, "Message", "Severity", "Count")
RULE_COLUMNS = ("Rule", *ID_COLUMNS, *table_rows.RULE_COLUMNS[1:])
DETAIL_COLUMNS = ("Rule", *ID_COLUMNS, *table_rows.DETAIL_COLUMNS[1:])


def dataset_rows(report: ReportModel) -> list[tuple]:
    """Per dataset read (or not read): its name, SDTMIG label and class, then the plain row."""
    return [(row[0], *dataset_label(row[0]), *row[1:]) for row in table_rows.dataset_rows(report)]


def dataset_label(name: str) -> tuple[str, str]:
    """The SDTMIG label and class of dataset `name`; blank for one the SDTMIG lacks."""
    domains = domain_rows()
    if is_supp(name):
        parent = supp_parent(name)
        label = f"Supplemental Qualifiers for {parent}" if parent else "Supplemental Qualifiers"
        return label, domains["SUPP--"].cls
    domain = domains.get(domain_code(name))
    return (domain.label, domain.cls) if domain else ("", "")


def issue_rows(report: ReportModel, ids: dict[str, RuleIds]) -> list[tuple]:
    """One row per dataset and rule: errors first, then warnings, then notices; within a
    severity the most frequent first, then by dataset and rule."""
    rows = sorted(table_rows.issue_rows(report), key=_issue_order)
    return [
        (dataset, rule, *ids.get(rule, NO_IDS), message, severity, count)
        for dataset, rule, message, severity, count in rows
    ]


def _issue_order(row: tuple[str, str, str, str, int]) -> tuple[Any, ...]:
    dataset, rule, _, severity, count = row
    return -Severity(severity).rank, -count, dataset, rule


def rule_rows(report: ReportModel, ids: dict[str, RuleIds]) -> list[tuple]:
    return [_with_ids(row, ids) for row in table_rows.rule_rows(report)]


@dataclass(frozen=True)
class More:
    """The row after a rule's listed findings: how many more the JSON report holds."""

    rule_id: str
    severity: str
    count: int

    def row(self) -> tuple:
        said = f"{self.count:,} more findings of {self.rule_id} in the JSON report"
        return (self.rule_id, self.severity, "", "", "", "", "", "", said, "", "")


def details_per_rule(findings: FindingTable, per_rule: int | None) -> Iterator[Finding | More]:
    """The first `per_rule` findings of each rule (None: all), then a More row for a rule with
    more; made as they are written."""
    for table in findings.by_rule():
        yield from table if per_rule is None else table.head(per_rule)
        if per_rule is not None and len(table) > per_rule:
            first = table[0]
            yield More(first.rule_id, first.severity.value, len(table) - per_rule)


def detail_count(findings: FindingTable, per_rule: int | None) -> int:
    """How many rows `details_per_rule` gives."""
    sizes = [len(table) for table in findings.by_rule()]
    if per_rule is None:
        return sum(sizes)
    return sum(min(size, per_rule) + (size > per_rule) for size in sizes)


def detail_rows(findings: Iterable[Finding | More], ids: dict[str, RuleIds]) -> Iterator[tuple]:
    """One row per finding, made as it is written (Details may hold a million)."""
    for item in findings:
        row = item.row() if isinstance(item, More) else table_rows.detail_row(item)
        yield _with_ids(row, ids)


def _with_ids(row: tuple, ids: dict[str, RuleIds]) -> tuple:
    """The row with its rule's other ids after the rule's own (its first value)."""
    return (row[0], *ids.get(row[0], NO_IDS), *row[1:])
