"""CDISC CORE's own test cases (core-open-rules/cases-sdtmig: 882 cases of 323 rules, every
domain) run with CDISC's Open Rules (core-open-rules/rules) through `trialguard.validate`.

Each case runs its rule alone (`select=[CORE id]`).  A negative case must give the rule's
finding on every record CORE flags (or on the dataset, where CORE flags the dataset); a
positive case none.  A case without DM carries a fill-in DM so that trialguard reads it;
findings on a fill-in dataset are not compared.  Where CORE's expectation is wrong the case is
in CORE_IS_WRONG with the reason and what trialguard rightly does; where trialguard misses
what CORE rightly expects, in TRIALGUARD_MISSES (a strict xfail, so a fix is noticed).
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from conftest import EXTERNAL

import trialguard
from trialguard.openrules.rules import with_open_rules
from trialguard.spec.loader import Spec, load_spec

CASES = EXTERNAL / "core-open-rules" / "cases-sdtmig"
RULES = EXTERNAL / "core-open-rules" / "rules"
pytestmark = pytest.mark.skipif(not CASES.is_dir(), reason=f"{CASES} is absent")

Place = tuple[str, int | None]  # (dataset, record); record None: the dataset itself


class Wrong(NamedTuple):
    """A case whose CORE expectation is wrong, and what trialguard rightly flags instead:
    these places exactly, or (`counts`) this many records per dataset."""

    why: str
    flagged: frozenset[Place] = frozenset()
    counts: dict[str, int] | None = None


def places(dataset: str, *records: int | None) -> frozenset[Place]:
    return frozenset((dataset, record) for record in records)


BLANKS = (
    "trialguard reads a value of only blanks (and line breaks) as missing, as SAS does, so it "
    "is empty, not a value with a leading space or a flag"
)
LONG_NAME = (
    "trialguard does not take {file} as a dataset: SDTMIG names a split dataset by its domain "
    "and up to two characters, a SUPP-- dataset SUPP and its parent's name (8 characters at "
    "most); the file is listed as not read"
)
LIBRARY = "needs the CDISC Library ({what}), which cannot be had offline: the rule is not run"

CORE_IS_WRONG: dict[tuple[str, str], Wrong] = {
    ("CORE-000088", "negative-01"): Wrong(
        "TX (Trial Sets) is a SEND domain: SDTMIG has no TX, so trialguard gives it no class "
        "and the rule's classes (special purpose, trial design) do not take it; CORE classes "
        "it from SEND's metadata.  DM's four SETCD values of 9 or more characters are flagged",
        places("DM", 1, 2, 6, 7),
    ),
    ("CORE-000170", "negative-01"): Wrong(
        f"LB 6's LBLOBXFL is blanks around a line break: {BLANKS}; the other nine are flagged",
        places("LB", 1, 2, 3, 4, 5, 7, 8, 9, 10),
    ),
    ("CORE-000616", "negative-01"): Wrong(
        "CORE's result on PP is its own 'column not found' row (PP has no PPSTINT), not a "
        "finding; LB 2 and 4 (LBSTINT without LBTPTREF) are flagged",
        places("LB", 2, 4),
    ),
    ("CORE-000867", "negative-01"): Wrong(
        f"LB 3's LBENRTPT is five blanks: {BLANKS}; the 17 values with a leading space are flagged",
        places("CE", *range(4, 15)) | places("CM", 1, 2, 3, 4) | places("LB", 1) | places("SE", 1),
    ),
    ("CORE-000142", "positive-01"): Wrong(
        "FT VISITNUM 201, FTTPTREF BREAKFAST, FTTPTNUM 2 holds FTELTM PT1H (records 3, 4, 6) "
        "and PT2H (record 5): the elapsed time is inconsistent for one time point.  Records 3 "
        "and 4 are the group's records with FTTPT; CORE 0.17.1 flags only the minority value "
        "(record 5, without FTTPT), the CORE that wrote CORE-000612's and 000699's "
        "expectations every record of the group, as trialguard does",
        places("FT", 3, 4),
    ),
    ("CORE-000168", "positive-01"): Wrong(
        "SV holds visits 1 and 2 of CDISC004 and CDISC005 only; LB and OE hold visits 4 to 13 "
        "and subjects SV lacks, so their VISITNUM is not among the subject's SV.VISITNUM (as "
        "the rule says); CORE's empty result looks like a run that failed",
        counts={"LB": 814, "OE": 60},
    ),
    ("CORE-000732", "positive-01"): Wrong(
        "FA 2 has FASTRESC '111@' (not a number) with FASTRESN '<5', VS 3 VSSTRESC 'SMALL' "
        "with VSSTRESN 111: a character result with a numeric one, what the rule flags",
        places("FA", 2) | places("VS", 3),
    ),
    ("CORE-000457", "negative-01"): Wrong(
        "the case has no DM; trialguard reads a transfer only with DM, EX, AE or DL, so the test "
        "adds a fill-in DM, and SUPPDM's RDOMAIN DM then names a dataset the study holds",
    ),
    ("CORE-000457", "positive-01"): Wrong(
        "ec.csv starts with an empty line and rows of labels and types, no header naming "
        "DOMAIN: trialguard refuses EC as unreadable, so SUPPEC's RDOMAIN EC names no dataset "
        "read; CORE's own results flag SUPPEC too (case.json, core_flags_in_positive)",
        places("SUPPEC", None),
    ),
    ("CORE-000598", "negative-02"): Wrong(
        "trialguard reads alb.csv as LB, the dataset its DOMAIN names; the finding names "
        "dataset_name ALB, which does not start with its DOMAIN, on LB",
        places("LB", None),
    ),
    ("CORE-000866", "positive-01"): Wrong(
        "LB 1: LBDTC 2018-01-29T07:00:00 equals LBENDTC, and the rule flags --DTC on or after "
        "--ENDTC",
        places("LB", 1),
    ),
}
TRIALGUARD_MISSES: dict[tuple[str, str], str] = {
    ("CORE-000180", "negative-01"): (
        "ae1.csv and dmx.csv hold DOMAIN AE1 and DMX, codes of no dataset (the defect the rule "
        "looks for): trialguard does not read them as datasets, and lists them as not read"
    ),
    ("CORE-000182", "negative-01"): LONG_NAME.format(file="apmhe.csv"),
    ("CORE-000293", "negative-01"): LONG_NAME.format(file="suppapfamh.csv"),
    ("CORE-000293", "negative-02"): LONG_NAME.format(file="suppdmmmm.csv"),
    ("CORE-000357", "negative-01"): LONG_NAME.format(file="suppqscqi.csv or suppqsswls.csv"),
    ("CORE-000398", "negative-01"): LIBRARY.format(what="SDTMIG 3.2's variable labels"),
    ("CORE-000929", "negative-01"): LIBRARY.format(what="the define.xml against its metadata"),
    ("CORE-000929", "negative-02"): LIBRARY.format(what="the define.xml against its metadata"),
}


@cache
def listed_rules() -> list[dict[str, Any]]:
    if not CASES.is_dir():
        return []
    return json.loads((CASES / "rules.json").read_text())["rules"]


@cache
def rule_types() -> dict[str, str]:
    return {rule["id"]: rule["rule_type"] for rule in listed_rules()}


def all_cases() -> list[tuple[str, str]]:
    return [
        (rule["id"], case)
        for rule in listed_rules()
        for case in rule["cases"]
        if case not in {e["case"].replace("/", "-") for e in rule["excluded_cases"]}
    ]


@cache
def spec_with_open_rules() -> Spec:
    return with_open_rules(load_spec("sdtm"), RULES)[0]


def case_ig(case: dict[str, Any]) -> str:
    version = str(case.get("sdtmig") or "").replace("-", ".")
    return version if version in ("3.2", "3.3", "3.4") else "3.4"


def flagged_places(core_id: str, folder: Path) -> tuple[set[Place], str]:
    """What the rule flags on the case (fill-in datasets left out), and its status."""
    case = json.loads((folder / "case.json").read_text())
    fillins = folder / "fillin"
    paths = [folder / "data"] + ([fillins] if fillins.is_dir() else [])
    report = trialguard.validate(paths, spec_with_open_rules(), ig=case_ig(case), select=[core_id])
    result = next(r for r in report.results if r.rule.id == core_id)
    filled = {p.stem.upper() for p in fillins.glob("*")} if fillins.is_dir() else set()
    places = {(f.domain or "", f.record) for f in result.findings if f.domain not in filled}
    return places, result.status.value


def expected_places(folder: Path) -> set[Place]:
    case = json.loads((folder / "case.json").read_text())
    return {(e["dataset"], e["record"]) for e in case["expected"]}


METADATA_TYPES = ("Dataset Metadata Check", "Variable Metadata Check")


def caught(expected: set[Place], flagged: set[Place], rule_type: str = "Record Data") -> bool:
    """Every place CORE flags is flagged: a dataset-level result by any finding on the
    dataset; in a metadata rule type, CORE's "record" is a row of its table of the dataset's
    (or its variables') metadata, which trialguard reports as a finding on the dataset."""
    datasets = {dataset for dataset, _ in flagged}
    about = {dataset for dataset, record in flagged if record is None}
    return all(
        place in flagged
        or (place[1] is None and place[0] in datasets)
        or (rule_type in METADATA_TYPES and place[0] in about)
        for place in expected
    )


def params():
    marks = {
        key: pytest.mark.xfail(strict=True, reason=why) for key, why in TRIALGUARD_MISSES.items()
    }
    return [
        pytest.param(
            core_id,
            case,
            id=f"{core_id}-{case}",
            marks=[marks[(core_id, case)]] if (core_id, case) in marks else [],
        )
        for core_id, case in all_cases()
    ]


@pytest.mark.parametrize(("core_id", "case"), params())
def test_open_rule_on_cores_case(core_id, case):
    folder = CASES / core_id / case
    flagged, status = flagged_places(core_id, folder)
    wrong = CORE_IS_WRONG.get((core_id, case))
    if wrong is not None and wrong.counts is not None:
        counted = Counter(dataset for dataset, _ in flagged)
        assert counted == wrong.counts, wrong.why
    elif wrong is not None:
        assert flagged == set(wrong.flagged), wrong.why
    elif case.startswith("negative"):
        expected = expected_places(folder)
        assert caught(expected, flagged, rule_types()[core_id]), (
            f"CORE flags {sorted(expected, key=str)}; {status}: {sorted(flagged, key=str)}"
        )
    else:
        assert not flagged, (
            f"CORE expects no finding; trialguard ({status}): {sorted(flagged, key=str)}"
        )


def test_judged_cases_are_cases_that_run():
    cases = set(all_cases())
    assert set(CORE_IS_WRONG) <= cases and set(TRIALGUARD_MISSES) <= cases
    assert not set(CORE_IS_WRONG) & set(TRIALGUARD_MISSES)


@pytest.mark.skipif(not CASES.is_dir(), reason="no cases")
def test_at_least_95_percent_of_negative_cases_caught_and_at_most_2_percent_positives_flagged():
    cases = all_cases()
    negatives = [k for k in cases if k[1].startswith("negative")]
    positives = [k for k in cases if k[1].startswith("positive")]
    missed = [k for k in TRIALGUARD_MISSES if k[1].startswith("negative")]
    false = [k for k in TRIALGUARD_MISSES if k[1].startswith("positive")]
    assert len(negatives) == 426 and len(positives) == 456
    assert len(missed) <= 0.05 * len(negatives), missed
    assert len(false) <= 0.02 * len(positives), false
