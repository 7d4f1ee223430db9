"""trialguard beside a real Pinnacle 21 Community report (2.2.0, 2018) of the PHUSE Test Data
Factory study, run with the study's define.xml: for DM, AE and EX, the checks both make agree,
and every difference is listed with its reason (the README shows the same table)."""

from __future__ import annotations

import collections
import warnings

import openpyxl
import pytest
from conftest import EXTERNAL

import trialguard

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
}
# (dataset, rule): (Pinnacle 21's count, trialguard's count, why they differ)
DIFFERENCES = {
    ("AE", "SD0021"): (472, 0, "P21 wants an end time point (AEENRTPT) where AEENDTC is empty; "
                               "trialguard has no such rule (an ongoing AE may have neither)"),
    ("AE", "SD1076"): (3, 0, "P21 warns of model-permissible variables added (AEDTC, AEDY, "
                             "EPOCH); trialguard accepts every SDTM model variable (SD-MODEL)"),
    ("EX", "SD1076"): (3, 0, "the same for EX (EXDTC, EXDY, EPOCH)"),
    ("DM", "SD0006"): (1, 0, "a subject without a baseline LB result: trialguard does not read LB"),
    ("DM", "SD2236"): (12, 0, "ACTARMCD differs from ARMCD: trialguard has no rule (the IG "
                              "allows an actual arm other than the planned one)"),
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
def pinnacle21() -> collections.Counter:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the file has no default style; openpyxl says so
        book = openpyxl.load_workbook(P21_REPORT)
    rows = book["Details"].iter_rows(min_row=2, values_only=True)
    return collections.Counter((row[0], row[5]) for row in rows if row[0] in DATASETS)


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
