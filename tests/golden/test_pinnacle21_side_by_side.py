"""trialguard beside a real Pinnacle 21 Community report (2.2.0, 2018) of the PHUSE Test Data
Factory study, run with the study's define.xml: for DM, AE and EX, the checks both make agree,
and every difference is listed with its reason (docs/standards-checks.md shows the same table).

The report's other datasets (CM, DS, MH, SE, SV, TS, LB, QS, VS) are not in the TDF folder; the
CDISC pilot it revises (cdiscpilot01) and pharmaverse's re-derivation of it
(pharmaversesdtm-full) hold most of them, so P21's issue kinds there are compared with what
trialguard finds in those cuts of the same study."""

from __future__ import annotations

import collections
import warnings

import openpyxl
import pytest
from conftest import CT_2025, EXTERNAL

import trialguard
from trialguard.readers.study import read_study

P21_REPORT = EXTERNAL / "validation-reports" / "pinnacle21-report-TDF_SDTM.xlsx"
TDF = EXTERNAL / "define-xml" / "phuse-tdf-sdtm"
DATASETS = ("DM", "AE", "EX")
# Pinnacle 21 rule -> the trialguard rule that makes the same check (both find nothing here)
BOTH_MAKE = {
    "SD0002": "SD-REQ-VAL",  # NULL value in variable marked as Required
    "SD0056": "SD-REQ-VAR",  # SDTM Required variable not found
    "SD0083": "SD-KEY",  # Duplicate USUBJID
    "SD0005": "SD-KEY",  # Duplicate value for --SEQ variable
    "CT2001": "SD-CT",  # value not found in non-extensible codelist
    "SD0037": "DEF-CT",  # value not found in user-defined (define.xml) codelist
    "SD0059": "DEF-TYPE",  # define.xml/dataset variable type mismatch
    "SD0060": "DEF-VAR",  # variable in dataset not present in define.xml
    "SD1063": "DEF-DATASET",  # dataset not present in define.xml
    "SD0021": "SD-AEEND",  # missing end time point (AEENDTC, AEENRF, AEENRTPT all empty)
    "SD1076": "SD-MODEL-ADDED",  # model permissible variable added into a standard domain
    "SD2236": "SD-ACTARM",  # ACTARMCD does not equal ARMCD
}
# (dataset, rule): (Pinnacle 21's count, trialguard's count, why they differ)
DIFFERENCES = {
    ("DM", "SD0006"): (1, 0, "a subject without a baseline LB result: the TDF folder holds no LB "
                             "(the same subject is found in pharmaversesdtm-full: see below)"),
    ("AE", "SD-BDSYCD"): (0, 961, "AEBODSYS without its MedDRA code AEBDSYCD (CORE-000024); "
                                  "P21 2.2.0 does not check it"),
    ("AE", "SD-AESER-CRIT"): (0, 32, "a seriousness criterion Y, AESER not Y (CORE-000022)"),
    ("AE", "SD-AEOUT-END"): (0, 21, "AEOUT not recovered yet AEENDTC given (sdtmchecks "
                                     "check_ae_aeout_aeendtc)"),
    ("DM", "SD-RFXEN"): (0, 6, "RFXENDTC is not the last EX date (CORE-000238)"),
    (None, "DEF-XML"): (0, 2, "two where clauses of the define name IT.SUPPLB.QNAM, an ItemDef "
                              "it lacks; P21 Community does not check the define's references"),
    ("EX", "DEF-LABEL"): (0, 1, "the define labels EXTRT 'Name of  Treatment' (two spaces); P21 "
                                "compares labels with the IG, not with the define"),
}  # fmt: skip


@pytest.fixture(scope="module")
def details() -> list[tuple]:
    """The Details sheet: (dataset, record, count, variables, values, P21 id, ...) per row."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the file has no default style; openpyxl says so
        book = openpyxl.load_workbook(P21_REPORT)
    return list(book["Details"].iter_rows(min_row=2, values_only=True))


@pytest.fixture(scope="module")
def pinnacle21(details) -> collections.Counter:
    return collections.Counter((row[0], row[5]) for row in details if row[0] in DATASETS)


@pytest.fixture(scope="module")
def ours() -> collections.Counter:
    report = trialguard.validate(TDF, spec="sdtm")
    assert report.standards.ig_version == "3.2" and "define.xml" in report.standards.ig_source
    return collections.Counter((f.domain, f.rule_id) for f in report.findings())


def test_the_checks_both_make_agree(pinnacle21, ours):
    for p21_rule, rule in BOTH_MAKE.items():
        for name in DATASETS:
            assert pinnacle21[(name, p21_rule)] == ours[(name, rule)], (name, p21_rule, rule)


def test_every_difference_is_the_listed_one(pinnacle21, ours):
    listed = {key: (p21, tg) for key, (p21, tg, _) in DIFFERENCES.items()}
    theirs = {key: n for key, n in pinnacle21.items() if key[1] not in BOTH_MAKE}
    mine = {key: n for key, n in ours.items() if key[1] not in BOTH_MAKE.values()}
    seen = {key: (theirs.get(key, 0), mine.get(key, 0)) for key in set(theirs) | set(mine)}
    assert seen == listed


def p21_values(details, p21_rule: str) -> dict[str, set[str]]:
    """Dataset -> the values P21 names for one of its rules (the added variables of SD1076)."""
    found: dict[str, set[str]] = collections.defaultdict(set)
    for row in details:
        if row[5] == p21_rule:
            found[row[0]].add(row[4])
    return found


def test_the_pilot_cut_has_the_added_model_variables_p21_lists_where_it_holds_them(details):
    """SD1076 on the TDF study (CM, DS, MH, SE, SV ...) against SD-MODEL-ADDED on the pilot cut
    it revises: every variable P21 lists that the pilot's dataset holds is found, and no other
    (TDF added EPOCH, --DY and SESTDY/SEENDY, which the pilot's datasets do not hold)."""
    report = trialguard.validate(EXTERNAL / "cdiscpilot01", spec="sdtm")
    ours = collections.defaultdict(set)
    for finding in report.rule("SD-MODEL-ADDED").findings:
        ours[finding.domain].update(finding.variables)
    pilot = read_study([EXTERNAL / "cdiscpilot01"]).datasets
    for name, listed in p21_values(details, "SD1076").items():
        if name in pilot:
            assert ours[name] == listed & set(pilot[name].frame.columns), name
    assert set(ours) <= set(p21_values(details, "SD1076"))


def test_the_pilot_cut_has_the_ts_parameters_p21_finds_outside_ct(details):
    """CT2002 on TDF's TS (TSPARMCD AGESPAN, TSPARM Age Group) is found by SD-TS-PARM on the
    pilot's TS with a CT release given (CT 2025-03-25 also renames two parameters the pilot uses:
    Trial Indication, Trial Indication Type, found as well)."""
    report = trialguard.validate(EXTERNAL / "cdiscpilot01", spec="sdtm", ct=CT_2025)
    flagged = {v for f in report.rule("SD-TS-PARM").findings for v in f.values.values()}
    assert p21_values(details, "CT2002")["TS"] <= flagged


def test_the_subject_p21_finds_without_a_baseline_lab_is_the_one_trialguard_finds(details):
    """SD0006 on TDF's DM names 01-703-1119 (record 58, no baseline LB); pharmaverse's
    re-derivation of the pilot holds LB, and SD-BASELINE names that subject alone."""
    (row,) = [r for r in details if r[5] == "SD0006"]
    report = trialguard.validate(EXTERNAL / "real" / "pharmaversesdtm-full", spec="sdtm")
    baseline = report.rule("SD-BASELINE").findings
    assert [(f.domain, f.record, f.usubjid) for f in baseline] == [("DM", 58, "01-703-1119")]
    assert row[4].endswith("01-703-1119") and int(row[1]) == 58
