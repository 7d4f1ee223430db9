"""Instrument results are within the instrument's range, and responder results are Y or N.

No params: the instruments come from the spec's `protocol.endpoints`; each names the range
of its score and items by --TESTCD.  Findings, at any visit: a result of a ranged test code
that is not a number or is outside its range, and a recorded responder result other than Y
or N (the NY codelist).
"""

from __future__ import annotations

import pandas as pd

from trialguard.spec.models import Instrument
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import Hits, Outcome
from trialguard.validators.protocol.endpoint_records import (
    empty_instruments,
    endpoints_of,
    records_by_instrument,
    upper_text,
)
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

RESPONDER_RESULTS = ("Y", "N")


@register("endpoint_values", message="{instrument} result {test} = {result} is {problem}")
def check_endpoint_values(context: StudyContext, params: NoParams) -> Outcome:
    """Instrument results are numbers in range; responder results are Y or N."""
    endpoints = endpoints_of(context)
    records = records_by_instrument(context, endpoints, dated=False)
    outcome = Outcome(notes=empty_instruments(endpoints, records))
    for instrument in endpoints.instruments:
        if not records[instrument.disease].empty:
            for hits in _out_of_range(context, instrument, records[instrument.disease]):
                outcome.add(hits)
    return outcome


def _out_of_range(
    context: StudyContext, instrument: Instrument, records: pd.DataFrame
) -> list[Hits]:
    p = instrument.dataset
    frame = context.frame(p)
    shown = [f"{p}TESTCD", *[c for c in (f"{p}ORRES", f"{p}STRESC", f"{p}STRESN") if c in frame]]
    extra = {"test": records["TESTCD"], "result": records["TEXT"]}
    label = {"instrument": instrument.name}
    written = records["TEXT"].notna()
    value = records["VALUE"]
    found = []
    for test, (low, high) in instrument.ranges.items():
        this = records["TESTCD"].eq(test.upper()).fillna(False)
        outside = this & ((value < low) | (value > high)).fillna(False)
        found += [
            select(
                p,
                frame,
                this & written & value.isna(),
                shown,
                extra,
                **label,
                problem="not a number",
            ),
            select(
                p,
                frame,
                outside,
                shown,
                extra,
                **label,
                problem=f"outside the instrument's range, {low:g} to {high:g}",
            ),
        ]
    responder = records["TESTCD"].eq(instrument.responder.testcd.upper()).fillna(False)
    answer = upper_text(records["TEXT"])
    not_yes_no = responder & written & ~answer.isin(RESPONDER_RESULTS).fillna(False)
    problem = "a responder result other than Y or N"
    return [*found, select(p, frame, not_yes_no, shown, extra, **label, problem=problem)]
