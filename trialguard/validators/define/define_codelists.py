"""Values are terms of the codelist the define.xml gives their variable, and on the records a
value-level where clause selects, of the codelist given there.

A finding is a record whose value is not a coded value of that codelist.  External codelists
(MedDRA, WHODrug) have no terms in the define and are not compared.  Reference: Define-XML 2.1
ItemDef CodeListRef, def:ValueListDef and def:WhereClauseDef.
"""

import pandas as pd

from trialguard.readers.define_metadata import Define, DefineVariable
from trialguard.validators.context import StudyContext
from trialguard.validators.define.common import define_of, described
from trialguard.validators.define.where import holds, in_terms
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select


@register(
    "define_codelists",
    message="{dataset}.{variable} value '{value}' is not in the define.xml codelist {codelist}",
)
def check_define_codelists(context: StudyContext, params: NoParams) -> Outcome:
    """Values are terms of the define's codelists."""
    define, outcome = define_of(context), Outcome()
    for name, metadata in described(context):
        frame = context.frame(name)
        for variable in (v for v in metadata.variables if v.name in frame.columns):
            for codelist, outside in _outside(define, frame, variable):
                outcome.add(select(name, frame, outside, [variable.name], dataset=name,
                                   variable=variable.name, codelist=codelist))  # fmt: skip
    return outcome


def _outside(define: Define, frame: pd.DataFrame, variable: DefineVariable):
    """(codelist OID, records outside it) for the variable's value levels, then the rest."""
    values = frame[variable.name]
    present = values.notna()
    unclaimed = pd.Series(True, index=frame.index)
    levels = define.value_levels.get(variable.value_list, ()) if variable.value_list else ()
    for level in levels:
        selected = holds(frame, level.conditions) & unclaimed
        unclaimed &= ~selected
        if level.codelist in define.codelists:
            yield (
                level.codelist,
                selected & present & ~in_terms(values, define.codelists[level.codelist]),
            )
    if variable.codelist in define.codelists:
        terms = define.codelists[variable.codelist]
        yield variable.codelist, unclaimed & present & ~in_terms(values, terms)
