"""The other ids a rule is known by, as the workbook shows them beside trialguard's own: its
Pinnacle 21 ids (SD0072), its publishers' ids (FDA FDAC065 or FB3208, CDISC CG0628) and its
CDISC CORE ids (CORE-000538), as its source cites them (read by trialguard.spec.cited_ids).
A rule that cites none has blank ids.
"""

from __future__ import annotations

from trialguard.findings import RuleInfo
from trialguard.report_model import ReportModel
from trialguard.spec.cited_ids import LONGEST_RANGE, NO_IDS, CitedIds, cited_ids

ID_COLUMNS = ("Pinnacle 21 ID", "Publisher ID", "CORE ID")
RuleIds = CitedIds  # Pinnacle 21, publisher, CORE: each a comma-separated list
__all__ = ["ID_COLUMNS", "LONGEST_RANGE", "NO_IDS", "RuleIds", "ids_by_rule", "rule_ids"]


def ids_by_rule(report: ReportModel) -> dict[str, RuleIds]:
    """Every rule of the report that cites another id, by its trialguard id."""
    ids = {r.rule.id: rule_ids(r.rule) for r in report.results}
    return {rule: cited for rule, cited in ids.items() if cited != NO_IDS}


def rule_ids(rule: RuleInfo) -> RuleIds:
    """The Pinnacle 21, publisher and CORE ids of one rule, each joined by commas."""
    return cited_ids(rule.id, rule.source)
