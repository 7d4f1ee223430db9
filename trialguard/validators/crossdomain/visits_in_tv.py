"""Planned visits of SV are visits of TV, and unplanned ones have no planned study day: a
VISITNUM of a planned visit (SVUPDES empty) is a VISITNUM of TV, and an unplanned visit
(SVUPDES given) has no VISITDY.

VISITNUM is compared as a number.  Without SVUPDES in SV, a visit TV lacks is not evaluable
(it may be unplanned).  A finding is an SV record of a planned visit whose
VISITNUM TV lacks, or of an unplanned visit with VISITDY.  Not run without SV and its
VISITNUM, or TV and its VISITNUM.  Reference: SDTMIG 3.4 SV and TV (planned visits);
Pinnacle 21 SD1017, SD1019.
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.trial_design import given, worded
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register

NOT_IN_TV = "planned visit {VISITNUM} ({VISIT}) is no visit of TV"
UNTOLD = "visit {VISITNUM} ({VISIT}) is no visit of TV; SV has no SVUPDES to tell if it was planned"
UNPLANNED_DAY = "unplanned visit {VISITNUM} ({SVUPDES}) has a planned study day (VISITDY {VISITDY})"


@register("visits_in_tv", message="visit {VISITNUM} does not agree with TV")
def check_visits_in_tv(context: StudyContext, params: NoParams) -> Outcome:
    """Planned visits are visits of TV; unplanned visits have no planned day."""
    context.supplied("SV")
    sv = context.require_columns("SV", "VISITNUM")
    context.require_columns("TV", "VISITNUM")
    planned = ~given(sv, "SVUPDES")
    number = context.numbers("SV", "VISITNUM")
    unknown = planned & number.notna() & ~number.isin(context.numbers("TV", "VISITNUM").dropna())
    shown = [c for c in ("VISITNUM", "VISIT", "SVUPDES", "VISITDY") if c in sv.columns]
    if "SVUPDES" not in sv.columns:  # planned or not cannot be told
        return Outcome().undecided(worded("SV", sv, unknown, shown, UNTOLD))
    outcome = Outcome().add(worded("SV", sv, unknown, shown, NOT_IN_TV))
    dated = ~planned & given(sv, "VISITDY")
    return outcome.add(worded("SV", sv, dated, shown, UNPLANNED_DAY))
