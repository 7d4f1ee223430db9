"""Trial summary value codes go with their values: TSVALCD and TSVAL map one to one, and where
TSVCDREF is CDISC (CDISC CT), TSVAL is the submission value of the term whose C-code is
TSVALCD in the CT release given with --ct.

Records with TSVAL or TSVALCD empty are left out.  A finding is a TS record whose TSVALCD goes
with more than one TSVAL (or the reverse), or, with --ct, a CDISC-coded record whose TSVALCD
is no term code of the release or whose TSVAL is not that term's submission value.  Without
--ct only the one-to-one test runs (a note says so).  Not run without TS or its TSVAL and
TSVALCD.  Reference: SDTMIG 3.4 TS assumptions (TSVALCD, TSVCDREF); CORE-000152; Pinnacle 21
CT2003 (coded and decoded values of different CDISC CT terms).
"""

import pandas as pd

from trialguard.validators.conformance.one_to_one import conflicts, not_one_to_one
from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.release_terms import NO_RELEASE, release_terms
from trialguard.validators.crossdomain.trial_design import given, text, worded
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

CDISC_REFERENCES = {"CDISC", "CDISC CT"}
SHOWN = ["TSPARMCD", "TSVAL", "TSVALCD", "TSVCDREF"]
NOT_ONE_TO_ONE = "TSVALCD '{TSVALCD}' and TSVAL '{TSVAL}' do not map one to one in TS: {conflict}"
UNKNOWN_CODE = "TSVALCD '{TSVALCD}' of {TSPARMCD} is no term code of {release}"
OTHER_VALUE = "TSVAL '{TSVAL}' of {TSPARMCD} is not the submission value of {TSVALCD} ({release})"


@register("ts_value_codes", message="TSVALCD '{TSVALCD}' does not go with TSVAL '{TSVAL}'")
def check_ts_value_codes(context: StudyContext, params: NoParams) -> Outcome:
    """Trial summary value codes go with their values."""
    context.supplied("TS")
    ts = context.require_columns("TS", "TSVAL", "TSVALCD")
    shown = [c for c in SHOWN if c in ts.columns]
    outcome = Outcome()
    crossed = not_one_to_one(ts, "TSVALCD", "TSVAL")
    extra = {"conflict": conflicts(ts, "TSVALCD", "TSVAL", crossed)}
    unmapped = select("TS", ts, crossed, shown, extra)
    unmapped.message = NOT_ONE_TO_ONE
    outcome.add(unmapped)
    release = context.standards.ct
    if release.bundled:
        outcome.notes.append(f"TSVAL not compared with the CDISC term of TSVALCD: {NO_RELEASE}")
        return outcome
    coded = given(ts, "TSVAL") & given(ts, "TSVALCD") & _cdisc(ts)
    known, matches = _against_release(ts, release_terms(release))
    about = {"release": release.title}
    outcome.add(worded("TS", ts, coded & ~known, shown, UNKNOWN_CODE, **about))
    return outcome.add(worded("TS", ts, coded & known & ~matches, shown, OTHER_VALUE, **about))


def _cdisc(ts: pd.DataFrame) -> pd.Series:
    if "TSVCDREF" not in ts.columns:
        return pd.Series(False, index=ts.index)
    return text(ts, "TSVCDREF").str.strip().str.upper().isin(CDISC_REFERENCES)


def _against_release(ts: pd.DataFrame, terms: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Whether each TSVALCD is a term code of the release, and TSVAL one of its values."""
    code = text(ts, "TSVALCD").str.strip()
    known = code.isin(terms["code"]).fillna(False).astype(bool)
    pairs = pd.MultiIndex.from_arrays([terms["code"], terms["value"]])
    record = pd.MultiIndex.from_arrays([code, text(ts, "TSVAL")])
    return known, pd.Series(record.isin(pairs), index=ts.index)
