"""Natural keys are unique: USUBJID in DM, USUBJID + --SEQ in the subject datasets, USUBJID +
VISITNUM in SV, TSPARMCD + TSSEQ in TS.

A finding is every record of a repeated key (all copies, so each can be
found).  Not run for a dataset lacking its key variables (another rule
reports them).  Reference: SDTMIG 3.4 §4.1.5 (--SEQ), DM assumption 1.
"""

import pandas as pd

from trialguard.validators.conformance.domains import keys_of
from trialguard.validators.conformance.findings import supplied_datasets
from trialguard.validators.conformance.schema import failure_table, raise_if_broke
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select
from trialguard.validators.wording import escaped, key_values


@register("unique_keys", message="key {keys} is repeated in {dataset}")
def check_unique_keys(context: StudyContext, params: NoParams) -> Outcome:
    """Record keys are unique."""
    outcome = Outcome()
    for name in (n for n in supplied_datasets(context) if keys_of(n)):
        table = failure_table(context, name)
        raise_if_broke(table[table["aspect"] == "key"], name)
        records = table.loc[table["aspect"] == "key", "record"].dropna().astype(int)
        frame = context.frame(name)
        repeated = pd.Series(frame.index.isin(records), index=frame.index)
        keys = list(keys_of(name))
        hits = select(name, frame, repeated, keys, keys=" + ".join(keys), dataset=name)
        hits.message = f"key {key_values(frame, keys)} is repeated in {escaped(name)}"
        outcome.add(hits)
    return outcome
