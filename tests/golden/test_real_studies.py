"""Golden tests on real public SDTM studies (shared/external): every finding by rule and count.

Each count was judged by hand (see the README's "Real studies" table); a change here is a
change in what trialguard sees on real data and must be judged again.  With the study's CT
release (--ct) the counts are the same, except where a bundled-subset notice disappears.
"""

from __future__ import annotations

import collections
from dataclasses import replace

import pytest
from conftest import CT_2025, EXTERNAL

import trialguard
from trialguard.pipeline import validate_study
from trialguard.readers.study import read_study
from trialguard.spec.loader import load_spec

STUDIES = {  # folder, options (the version the study's README states where it has no TS/define)
    "cdiscpilot01": ("cdiscpilot01", {"encoding": "cp1252"}),  # its TS is Windows-1252
    "tdf-cdiscpilot03": ("real/tdf-cdiscpilot03", {"ig": "3.2"}),
    "phuse-tdf-sdtm": ("define-xml/phuse-tdf-sdtm", {}),  # the same data with its define.xml
    "sdtm-msg-v2": ("real/sdtm-msg-v2", {"ig": "3.3"}),
    "nihpo-synthtrial": ("real/nihpo-synthtrial", {}),
    "pharmaversesdtm": ("real/pharmaversesdtm", {}),
    "pharmaversesdtm-vaccine": ("real/pharmaversesdtm-vaccine", {}),
    "sdtmsyn-sad": ("real/sdtmsyn-sad", {}),
    "sdtmsyn-ri": ("real/sdtmsyn-ri", {}),
}
TDF = {"SD-AEOUT-END": 21, "SD-AESER-CRIT": 32, "SD-BDSYCD": 961, "SD-RFXEN": 6}
PILOT_AE = {  # the pilot's DM, EX and AE (pharmaversesdtm holds the same three)
    "SD-AEOUT-END": 250,
    "SD-AESER-CRIT": 36,
    "SD-BDSYCD": 1191,
    "SD-DY": 1,
    "SD-REPEAT": 1,
    "SD-RFXEN": 6,
}
PILOT = PILOT_AE | {
    # CM frequencies and units no CT release holds (EVERY MORNING, EVERY NIGHT, OTHER, QS, Q4S,
    # TIS, IN, % (v/v)): notices without --ct, SD-CT-EXT warnings with CT 2025-03-25
    "SD-CT-SUBSET": 250,
    "SD-KEY": 2,  # SV: 01-711-1143 has two visits numbered 9.2 (2013-06-22 and 2013-09-22)
    "SD-METADATA": 5,  # SE, TA, TE, TI, TV: read and counted, no metadata to check them
    # 20 CM records repeating another but for CMSEQ and CMSPID, one MH record; the AE one
    "SD-REPEAT": 22,
    # the define describes QS, SUPPDS and SUPPLB, which this copy of the pilot does not hold
    "DEF-DATASET": 3,
}
EXPECTED = {
    "cdiscpilot01": PILOT,
    "tdf-cdiscpilot03": TDF,
    # With its define.xml: the define labels EXTRT 'Name of  Treatment' (two spaces), the data
    # 'Name of Treatment' (judged true: the define's typo).
    # and two where clauses naming IT.SUPPLB.QNAM, which no ItemDef is (DEF-XML; true)
    # and it describes CM, DS, MH, SV, TS, SUPPAE, SUPPDM and SUPPDS, not in the folder (true)
    "phuse-tdf-sdtm": TDF | {"DEF-LABEL": 1, "DEF-XML": 2, "DEF-DATASET": 8},
    "sdtm-msg-v2": {"SD-AESER-NOCRIT": 1, "SD-REQ-VAL": 74, "SD-RFXEN": 1},
    "nihpo-synthtrial": {
        "SD-ACTARMUD": 1000,
        "SD-AEENRTPT": 533,
        "SD-EXP-VAR": 4,
        "SD-REQ-VAL": 40,
        "SD-RFXEN": 1000,
        "SD-RFXST": 1000,
        "SD-AGE-BIRTH": 1000,
        "SD-STEN": 1000,
    },
    "pharmaversesdtm": PILOT_AE | {"SD-ARMNRS": 52, "SD-SCRNFAIL": 52},
    # SUPPDM and SUPPEX lack the Exp variable QEVAL (true)
    "pharmaversesdtm-vaccine": {"SD-CT-SUBSET": 4, "SD-EXP-VAR": 2},
    "sdtmsyn-sad": {"SD-ARM-CODE": 48, "SD-EXP-VAR": 7, "SD-MODEL": 2, "SD-SCRNFAIL": 25},
    "sdtmsyn-ri": {
        "SD-ARM-CODE": 36,
        "SD-EXP-VAR": 7,
        "SD-MODEL": 3,
        "SD-SCRNFAIL": 10,
        "SD-XPT": 1,
    },
}
IG = {"cdiscpilot01": "3.1.2", "phuse-tdf-sdtm": "3.2"}  # from their define.xml
pytestmark = pytest.mark.skipif(not EXTERNAL.is_dir(), reason="shared/external not beside")


def findings_by_rule(report) -> dict[str, int]:
    return dict(sorted(collections.Counter(f.rule_id for f in report.findings()).items()))


@pytest.mark.parametrize("study", STUDIES)
def test_findings_on_a_real_study_by_rule_and_count(study):
    folder, options = STUDIES[study]
    report = trialguard.validate(EXTERNAL / folder, "sdtm", **options)
    assert findings_by_rule(report) == EXPECTED[study]
    assert not [r.rule.id for r in report.results if r.status == "error"]
    if study in IG:
        assert report.standards.ig_version == IG[study]


@pytest.mark.parametrize("study", ["pharmaversesdtm-vaccine", "cdiscpilot01"])
@pytest.mark.skipif(not CT_2025.is_file(), reason="shared/external/ct not beside")
def test_with_the_full_ct_release_a_valid_extensible_term_is_no_longer_listed(study):
    folder, options = STUDIES[study]
    report = trialguard.validate(EXTERNAL / folder, "sdtm", ct=CT_2025, **options)
    expected = {k: v for k, v in EXPECTED[study].items() if k != "SD-CT-SUBSET"}
    if study == "cdiscpilot01":  # the CM terms no release holds
        expected["SD-CT-EXT"] = 250
    assert findings_by_rule(report) == expected  # SYRINGE is a UNIT term of CT 2025-03-25


def test_the_pilot_names_the_defects_an_independent_check_found():
    report = trialguard.validate(EXTERNAL / "cdiscpilot01", "sdtm")
    serious = report.rule("SD-AESER-CRIT").findings
    assert sum(f.values.get("AESDTH") == "Y" for f in serious) == 3  # all 3 fatal AEs: AESER N
    assert {f.values["AESER"] for f in serious} == {"N"}
    outcome = report.rule("SD-AEOUT-END").findings
    assert {f.values["AEOUT"] for f in outcome} == {"NOT RECOVERED/NOT RESOLVED"}


def test_the_pilot_records_its_primary_diagnosis_as_the_endpoint_rules_read_it():
    """The CDISC pilot holds one MH record of MHCAT PRIMARY DIAGNOSIS per subject (MHTERM
    ALZHEIMER'S DISEASE, MHDECOD empty).  Read with AB-101's endpoints and xanomeline as the
    Day 0 treatment, each of its 168 treated subjects has exactly one diagnosis, of a disease
    AB-101 does not treat; without RS or QS the instrument rules do not run."""
    spec = load_spec("ab-101")
    day0 = spec.protocol.day0.model_copy(update={"extrt": "XANOMELINE"})
    spec = replace(spec, protocol=spec.protocol.model_copy(update={"day0": day0}))
    study = read_study([EXTERNAL / "cdiscpilot01"], encoding="cp1252")
    report = validate_study(study, spec)
    diagnosis = report.rule("AB-DX").findings
    assert len(diagnosis) == 168 and {f.domain for f in diagnosis} == {"MH"}
    assert {(f.values["MHTERM"], f.values.get("MHDECOD")) for f in diagnosis} == {
        ("ALZHEIMER'S DISEASE", None)
    }
    for rule in ("AB-W52", "AB-W52-RANGE", "AB-W52-RESP", "AB-DAS28"):
        assert report.rule(rule).reason == "RS not supplied (the endpoint instruments' datasets)"
