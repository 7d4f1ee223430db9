"""A test code and its test name are the code and the name of one term of CDISC CT (--TESTCD and
--TEST): the two paired codelists give them the same C-code.

The pairs come from the CT release given with --ct: a codelist ending CD and its partner without
CD (LBTESTCD and LBTEST), used by the variables of the domain they name; PKPARMCD and PKPARM by
PPTESTCD and PPTEST; every questionnaire, rating and scale pair (AIMS01TC and AIMS01TN) by the
--TESTCD and --TEST of QS, FT and RS; the therapeutic-area pairs of Findings About (ASFATSCD and
ASFATS, ...) by FATESTCD and FATEST besides FATESTCD's. TSPARMCD and TSPARM are the trial
summary rule's (ts_parameter_terms). No params. A finding is a record whose code or name is a
term of its paired codelists while the two are not the code and name of one term (a sponsor code
beside a CDISC name, or the name of another test); a pair of sponsor terms, unknown to the
release, is left alone. Not run without a CT release (--ct), or when no dataset has a pair with
codelists in the release. Reference: CDISC CT (paired codelists share term C-codes); Pinnacle 21
CT2003 (FDA FDAC342).
"""

from __future__ import annotations

import re

import pandas as pd

from trialguard.sdtm.ct_release import CtRelease, ReleaseCodelist
from trialguard.sdtm.naming import variable_prefix
from trialguard.validators.conformance.findings import supplied_datasets
from trialguard.validators.context import StudyContext
from trialguard.validators.outcome import NotApplicable, Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

Pair = tuple[ReleaseCodelist, ReleaseCodelist]
SCORED = ("QS", "FT", "RS")  # questionnaires, functional tests, disease response scales
FA_LISTS = re.compile(r"[A-Z0-9]+FATS?CD")


@register(
    "paired_terminology",
    message="{code_variable} and {name_variable} are not the code and name of one term of "
    "{codelists} ({release})",
)
def check_paired_terminology(context: StudyContext, params: NoParams) -> Outcome:
    """Test codes and test names are the code and name of one CT term."""
    release = context.standards.ct
    if release.bundled:
        raise NotApplicable("needs the study's CT release: give --ct")
    outcome, checked = Outcome(), 0
    for name in supplied_datasets(context):
        frame = context.frame(name)
        for code, label in _variables(name):
            lists = _codelists(release, variable_prefix(name), code[2:])
            if not lists or not {code, label} <= set(frame.columns):
                continue
            checked += 1
            outcome.add(_pair_hits(name, frame, (code, label), lists, release))
    if not checked:
        raise NotApplicable("no dataset has a code and name pair with codelists in the release")
    return outcome


def _pair_hits(
    name: str, frame: pd.DataFrame, pair: tuple[str, str], lists: list[Pair], release: CtRelease
):
    code, label = pair
    terms = _term_pairs(lists)
    broken = _unpaired(frame[code], frame[label], terms)
    described = " and ".join(f"{c.short_name}/{n.short_name}" for c, n in lists[:3])
    more = f" and {len(lists) - 3} more" if len(lists) > 3 else ""
    hits = select(
        name,
        frame,
        broken,
        [code, label],
        {"release_name": _release_names(frame[code], terms)},
        code_variable=code,
        name_variable=label,
        codelists=described + more,
        release=f"CDISC CT {release.release}",
    )
    hits.message = (  # the record's own code and name, by this dataset's variable names
        f"{code} '{{{code}}}' and {label} '{{{label}}}' are not the code and name of one term "
        f"of {{codelists}} ({{release}}): {{release_name}}"
    )
    return hits


def _release_names(codes: pd.Series, terms: pd.DataFrame) -> pd.Series:
    """What the release says of each code: the name it gives it, or that it has no such code."""
    names = terms.drop_duplicates("code").set_index("code")["name"]
    text = codes.astype("string")
    known = text.map(names)
    said = "the release names " + text + " '" + known + "'"
    return said.where(known.notna(), text + " is not a code of these codelists").astype(object)


def _variables(name: str) -> list[tuple[str, str]]:
    """The test code and name of a Findings dataset (TSPARMCD and TSPARM are SD-TS-PARM's)."""
    prefix = variable_prefix(name)
    return [(f"{prefix}TESTCD", f"{prefix}TEST")]


def _codelists(release: CtRelease, prefix: str, kind: str) -> list[Pair]:
    """The codelist pairs the variables `prefix` + `kind` (TESTCD, PARMCD) take terms of."""
    pairs = release.paired_codelists()
    own = [p for p in pairs if p[0].short_name == f"{prefix}{kind}"]
    if kind != "TESTCD":
        return own
    if prefix == "PP":
        return [p for p in pairs if p[0].short_name == "PKPARMCD"]
    if prefix in SCORED:
        return own + [p for p in pairs if p[0].short_name.endswith("TC")]
    if prefix == "FA":
        return own + [p for p in pairs if FA_LISTS.fullmatch(p[0].short_name)]
    return own


def _unpaired(codes: pd.Series, names: pd.Series, terms: pd.DataFrame) -> pd.Series:
    """Records whose code or name is a term of the paired codelists (`terms`: see
    `_term_pairs`) but that are no code and name of one term; once per distinct (code, name)."""
    given = pd.DataFrame({"code": codes.astype("string"), "name": names.astype("string")})
    filled = given.notna().all(axis=1)
    distinct = given[filled].drop_duplicates()
    known = distinct["code"].isin(terms["code"]) | distinct["name"].isin(terms["name"])
    paired = pd.MultiIndex.from_frame(distinct).isin(pd.MultiIndex.from_frame(terms))
    broken = pd.MultiIndex.from_frame(distinct[known.to_numpy() & ~paired])
    return filled & pd.Series(pd.MultiIndex.from_frame(given).isin(broken), index=given.index)


def _term_pairs(lists: list[Pair]) -> pd.DataFrame:
    """(code, name) of every term of the paired codelists: the terms sharing a C-code."""
    frames = []
    for codes, names in lists:
        by_code = pd.Series(codes.term_codes, dtype="string").rename("ccode")
        name_of = pd.Series({c: n for n, c in names.term_codes.items()}, dtype="string")
        frames.append(pd.DataFrame({"code": by_code.index, "name": by_code.map(name_of).values}))
    table = pd.concat(frames, ignore_index=True).astype("string")
    return table.dropna().drop_duplicates().reset_index(drop=True)
