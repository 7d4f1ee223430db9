"""Every DLT links (DLAESEQ) to an AE of the same subject with the same onset date.

A finding is a DLT record whose DLAESEQ names no AE record of its subject, or
whose onset (DLSTDTC) and the AE's (AESTDTC) are different days.  A pair
whose partial dates may or may not be the same day is not evaluable.
"""

from __future__ import annotations

import pandas as pd

from trialguard.validators.context import StudyContext, looked_up
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

ONSETS = (
    "DLT linked to AESEQ {{DLAESEQ}}: the AE {verb} on another day (AESTDTC '{{AESTDTC}}', "
    "DLSTDTC '{{DLSTDTC}}')"
)


@register("dlt_ae_link", message="DLT linked to AESEQ {DLAESEQ}: {problem}")
def check_dlt_ae_link(context: StudyContext, params: NoParams) -> Outcome:
    """DLTs link to an AE with the same onset."""
    dl = context.require_columns("DL", "USUBJID", "DLAESEQ")
    ae = context.require_columns("AE", "USUBJID", "AESEQ")
    linked = _link(context, dl, ae)
    unmatched = linked["ae_record"].isna()
    outcome = Outcome()
    outcome.add(
        select("DL", dl, unmatched, ["DLAESEQ"], problem="no AE of this subject has that AESEQ")
    )
    if "DLSTDTC" in dl.columns and "AESTDTC" in ae.columns:
        outcome.add(*_onsets(context, dl, linked, ~unmatched))
    return outcome


def _link(context, dl, ae) -> pd.DataFrame:
    """Per DL record, the record number and onset of the AE it names (NaN where none)."""
    ae_keys = pd.DataFrame(
        {"USUBJID": ae["USUBJID"], "AESEQ": context.numbers("AE", "AESEQ"), "ae_record": ae.index}
    ).drop_duplicates(["USUBJID", "AESEQ"])
    dl_keys = pd.DataFrame(
        {"USUBJID": dl["USUBJID"], "AESEQ": context.numbers("DL", "DLAESEQ"), "dl_record": dl.index}
    )
    merged = dl_keys.merge(ae_keys, on=["USUBJID", "AESEQ"], how="left")
    return merged.set_index("dl_record").reindex(dl.index)


def _onsets(context, dl, linked, matched):
    dlt = context.dates("DL", "DLSTDTC")
    ae_dates = context.dates("AE", "AESTDTC")
    ae_rows = linked["ae_record"].where(matched)
    ae_lo = looked_up(ae_rows, ae_dates["earliest"].dt.normalize())
    ae_hi = looked_up(ae_rows, ae_dates["latest"].dt.normalize())
    dl_lo, dl_hi = dlt["earliest"].dt.normalize(), dlt["latest"].dt.normalize()
    apart = (dl_hi < ae_lo) | (dl_lo > ae_hi)
    same = (dl_lo == dl_hi) & (ae_lo == ae_hi) & (dl_lo == ae_lo)
    known = dl_lo.notna() & ae_lo.notna()
    ae_onset = looked_up(ae_rows, context.frame("AE")["AESTDTC"])
    extra = {"AESTDTC": ae_onset}
    label = {"problem": "the AE started on another day"}
    shown = ["DLAESEQ", "DLSTDTC"]
    apart_hits = select("DL", dl, matched & known & apart, shown, extra, **label)
    apart_hits.message = ONSETS.format(verb="started")
    unclear = select("DL", dl, matched & ~(known & (apart | same)), shown, extra, **label)
    unclear.message = ONSETS.format(verb="may have started")
    return apart_hits, unclear
