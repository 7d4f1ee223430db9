"""The define.xml has what the Define-XML schema requires of the elements trialguard reads: the
attributes 2.0 and 2.1 require (of MetaDataVersion, ItemGroupDef, ItemRef, ItemDef, CodeList,
ValueListDef, WhereClauseDef, RangeCheck), references that resolve (ItemOID, WhereClauseOID),
whole numbers where numbers are due (Length, KeySequence), a CheckValue and a known Comparator.

A finding is one such problem, with the line of its element (about the define, not a dataset);
what it spoils is left out of the other DEF- rules.  This is the part of XSD validation that
decides what the DEF- rules read; the whole XSD is not applied (its files are not bundled).
Reference: Define-XML 2.1 schema (define2-1-0.xsd); CORE issue 295 (def:Structure absent).
"""

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.define.common import define_of
from trialguard.validators.outcome import Hits, Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "define_structure",
    message="{file} line {line}: {element} {oid} {problem}",
)
def check_define_structure(context: StudyContext, params: NoParams) -> Outcome:
    """The define.xml holds the attributes its schema requires."""
    define = define_of(context)
    outcome = Outcome()
    for problem in define.problems:
        details = {"file": define.path.name, "line": problem.line, "element": problem.element,
                   "oid": problem.oid or "(no OID)", "problem": problem.problem}  # fmt: skip
        rows = pd.DataFrame({"USUBJID": [None]})
        outcome.add(Hits(None, rows, [], context=details, dataset_level=True))
    return outcome
