"""The define.xml has the attributes the Define-XML 2.0 / 2.1 schema requires of the elements
trialguard reads (MetaDataVersion, ItemGroupDef, ItemRef, ItemDef, CodeList).

A finding is one missing attribute, with the line of its element (about the define, not a
dataset).  This is the part of XSD validation that decides what the DEF- rules read; the whole
XSD is not applied (its files are not bundled).  Reference: Define-XML 2.1 schema
(define2-1-0.xsd); CORE issue 295 (def:Structure absent).
"""

import pandas as pd

from trialguard.validators.context import StudyContext
from trialguard.validators.define.common import define_of
from trialguard.validators.outcome import Hits, NotApplicable, Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "define_structure",
    message="{file} line {line}: {element} {oid} lacks the required attribute {attribute}",
)
def check_define_structure(context: StudyContext, params: NoParams) -> Outcome:
    """The define.xml holds the attributes its schema requires."""
    define = define_of(context)
    if define.version not in ("2.0", "2.1"):
        raise NotApplicable(f"Define-XML {define.version}: only 2.0 and 2.1 are checked")
    outcome = Outcome()
    for omission in define.omissions:
        details = {"file": define.path.name, "line": omission.line, "element": omission.element,
                   "oid": omission.oid or "(no OID)", "attribute": omission.attribute}  # fmt: skip
        rows = pd.DataFrame({"USUBJID": [None]})
        outcome.add(Hits(None, rows, [], context=details, dataset_level=True))
    return outcome
