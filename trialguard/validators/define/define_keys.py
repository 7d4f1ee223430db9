"""The key variables the define.xml gives a dataset (ItemRef KeySequence) identify its records.

A finding is every record of a repeated key (all copies).  A dataset whose define gives no
KeySequence (Define-XML 1.0), or whose data lacks a key variable, is named in a note.
Reference: Define-XML 2.1 ItemRef @KeySequence; SDTMIG 3.4 §3.2.1.1 (natural keys).
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.define.common import described
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select
from trialguard.validators.wording import escaped, key_values


@register("define_keys", message="{dataset}: the define.xml key {keys} is repeated")
def check_define_keys(context: StudyContext, params: NoParams) -> Outcome:
    """Records are unique on the define's keys."""
    outcome = Outcome()
    for name, metadata in described(context):
        keyed = sorted(
            (v for v in metadata.variables if v.key_sequence), key=lambda v: v.key_sequence or 0
        )
        keys = [v.name for v in keyed]
        frame = context.frame(name)
        if metadata.key_problem:
            outcome.notes.append(f"{name}: not checked; the define {metadata.key_problem}")
            continue
        if not keys or not set(keys) <= set(frame.columns):
            lacking = sorted(set(keys) - set(frame.columns))
            why = f"lacks key variable(s) {', '.join(lacking)}" if keys else "has no KeySequence"
            outcome.notes.append(f"{name}: not checked; the define {why}" if not keys
                                 else f"{name}: not checked; the data {why}")  # fmt: skip
            continue
        repeated = frame.duplicated(subset=keys, keep=False)
        hits = select(name, frame, repeated, keys, dataset=name, keys=" + ".join(keys))
        hits.message = f"{escaped(name)}: the define.xml key {key_values(frame, keys)} is repeated"
        outcome.add(hits)
    return outcome
