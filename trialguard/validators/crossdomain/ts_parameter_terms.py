"""Trial summary parameters are CDISC terms: TSPARMCD of codelist C66738 (Trial Summary
Parameter Test Code), TSPARM of C67152 (Test Name), and each record's pair the same term.

Both codelists are extensible: a sponsor parameter is allowed but is to be checked against the
study's CT release, which is why this needs the release given with --ct (without it the rule
does not run).  A finding is a TS record whose TSPARMCD or TSPARM is no term of its codelist,
or whose two are terms of different parameters.  Reference: CDISC CT (the release given);
SDTMIG 3.4 TS; Pinnacle 21 CT2002 (value not in an extensible codelist), CT2003 (coded and
decoded values with different codes).
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.crossdomain.release_terms import codelist_terms
from trialguard.validators.crossdomain.trial_design import text, worded
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register

PARAMETER_CODES = "C66738"  # Trial Summary Parameter Test Code
PARAMETER_NAMES = "C67152"  # Trial Summary Parameter Test Name
NOT_A_TERM = "{variable} '{value}' is not a term of codelist {codelist} ({release})"
NOT_PAIRED = (
    "TSPARMCD '{TSPARMCD}' and TSPARM '{TSPARM}' are terms of different parameters ({release})"
)


@register("ts_parameter_terms", message="TS parameter {TSPARMCD} ({TSPARM}) is not a CDISC term")
def check_ts_parameter_terms(context: StudyContext, params: NoParams) -> Outcome:
    """Trial summary parameters are terms of the CT release, code and name paired."""
    context.supplied("TS")
    release = context.standards.ct
    codes = codelist_terms(release, PARAMETER_CODES)
    names = codelist_terms(release, PARAMETER_NAMES)
    ts = context.require_columns("TS", "TSPARMCD", "TSPARM")
    code_of_cd = text(ts, "TSPARMCD").map(codes)
    code_of_name = text(ts, "TSPARM").map(names)
    outcome, about = Outcome(), {"release": release.title}
    for variable, found, codelist in (
        ("TSPARMCD", code_of_cd, PARAMETER_CODES),
        ("TSPARM", code_of_name, PARAMETER_NAMES),
    ):
        unknown = ts[variable].notna() & found.isna()
        outcome.add(
            worded(
                "TS",
                ts,
                unknown,
                [variable],
                NOT_A_TERM,
                variable=variable,
                codelist=codelist,
                **about,
            )
        )
    crossed = code_of_cd.notna() & code_of_name.notna() & (code_of_cd != code_of_name)
    outcome.add(worded("TS", ts, crossed, ["TSPARMCD", "TSPARM"], NOT_PAIRED, **about))
    return outcome
