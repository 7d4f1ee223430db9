"""Golden tests: a clean sample gives no finding but the IG gaps the generator has by design
(conftest.SAMPLE_IG_GAPS); a defects sample exactly the planted ones and those."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CT_2025, PILOT, ROOT, SAMPLE_DATA, TRIALS, sample_ig_gaps
from test_real_studies import EXPECTED as REAL_FINDINGS
from test_real_studies import WITH_CT as REAL_FINDINGS_WITH_CT

import trialguard
from trialguard.pipeline import validate_study
from trialguard.readers import read_study
from trialguard.readers.study import DEFINE_READ
from trialguard.spec.loader import load_spec

# The extensible-codelist rule of the other terminology mode does not run: SD-CT-EXT needs a
# full CT release (--ct), SD-CT-SUBSET applies only to the bundled lists.
OTHER_CT_RULE = {False: "SD-CT-EXT", True: "SD-CT-SUBSET"}
# Rules on variables the samples do not have (seriousness criteria, outcome, MedDRA codes, ...)
NOT_IN_THE_SAMPLES = {
    "SD-AESER-CRIT",
    "SD-AESER-NOCRIT",
    "SD-AE-DEATH",
    "SD-AEOUT-END",
    "SD-AEENRTPT",
    "SD-DOSE-TXT",
    "SD-BDSYCD",
    "SD-DECOD-CODE",
    "SD-SCAT",
    "SD-TOXGR",
    "SD-CAT-DECOD",
    "SD-STRF",
    "SD-ENRF",
    "SD-AGE-BIRTH",
}
# ... except where a trial's own datasets have them (AB-101's MH: MHCAT and MHDECOD)
IN_THE_SAMPLE = {"ab-101": {"SD-CAT-DECOD"}}
# The samples come without a define.xml: the DEF- rules wait for one (the unit tests in
# tests/unit/test_define_checks.py and the real defines of tests/golden run them).
WITHOUT_A_DEFINE = {
    "DEF-DATASET", "DEF-VAR", "DEF-TYPE", "DEF-LEN", "DEF-LABEL", "DEF-CT", "DEF-KEY", "DEF-MAND",
    "DEF-XML",
}  # fmt: skip
needs_ct = pytest.mark.skipif(not CT_2025.is_file(), reason="shared/external/ct not beside")


# Rules on datasets or a CT release the samples do not have (TS, trial design, Findings, SV,
# RELREC): not run, excused.
WITHOUT_THEIR_DATASETS = {
    "SD-ORRESU", "SD-STRESU", "SD-CT-PAIR", "SD-NRIND", "SD-BLFL-ONCE", "SD-BASELINE",
    "SD-VISIT-SV", "SD-RELREC-REF", "SD-RELREC-TYPE", "SD-TS-PARM", "SD-TS-PARMCD",
    "SD-TS-REQUIRED", "SD-TS-VALNF", "SD-TS-VALFMT", "SD-TS-VALCD", "SD-TA-ARM", "SD-EPOCH",
    "SD-SE-TE", "SD-ETCD-1TO1", "SD-SE-UNPLAN", "SD-TE-END", "SD-SE-DATES", "SD-TV-VISIT",
}  # fmt: skip
# Rules on Findings variables (results, units, tests, baselines, visits): the samples' only
# Findings dataset is AB-101's RS; elsewhere they lack the variables.
ON_FINDINGS = {
    "SD-STRESU-RESULT", "SD-STRESC", "SD-STRESN", "SD-STRESN-TEXT", "SD-NOTDONE", "SD-NORESULT",
    "SD-TESTCD-TEST", "SD-TESTCD", "SD-TEST-LEN", "SD-NRANGE", "SD-BLFL-RESULT",
    "SD-LOBXFL-ORRES", "SD-VISIT",
}  # fmt: skip
# The rules that find the IG gaps every sample has by design (conftest.SAMPLE_IG_GAPS)
ON_THE_GAPS = {"SD-EXP-VAR", "SD-MODEL-ADDED"}


def gaps(report) -> set[tuple]:
    return {(f.rule_id, f.variables) for f in report.findings()}


def run(folder: Path, spec: str):
    return validate_study(read_study([folder]), load_spec(spec))


def planted(trial: str) -> set[tuple]:
    listing = json.loads((SAMPLE_DATA / trial / "expected_defects.json").read_text())
    return {(e["rule_id"], e["usubjid"], tuple(e["variables"])) for e in listing}


@pytest.mark.parametrize("trial", TRIALS)
@pytest.mark.parametrize("with_ct", [False, pytest.param(True, marks=needs_ct)])
def test_clean_sample_has_no_finding_and_every_rule_ran(trial, with_ct):
    ct = CT_2025 if with_ct else None
    report = trialguard.validate(SAMPLE_DATA / trial / "clean", trial, ct=ct)
    assert gaps(report) == sample_ig_gaps(trial) and report.not_evaluable() == []
    study_rules = report.study_results()
    other = report.rule(OTHER_CT_RULE[with_ct])
    assert other.status == "not_run" and other.excused
    lacking = NOT_IN_THE_SAMPLES - IN_THE_SAMPLE.get(trial, set())
    absent = [r for r in study_rules if r.rule.id in lacking]
    assert {(r.status, "lacks the variables" in (r.excused or "")) for r in absent} == {
        ("not_run", True)
    }
    no_define = [r for r in study_rules if r.rule.id in WITHOUT_A_DEFINE]
    assert len(no_define) == len(WITHOUT_A_DEFINE)
    assert all(r.status == "not_run" and "no define.xml" in (r.excused or "") for r in no_define)
    elsewhere = [r for r in study_rules if r.rule.id in WITHOUT_THEIR_DATASETS]
    assert {(r.status, r.excused is not None) for r in elsewhere} <= {
        ("not_run", True),
        ("passed", False),  # AB-101's RS with --ct: SD-CT-PAIR pairs RSTESTCD and RSTEST
    }
    on_findings = [r for r in study_rules if r.rule.id in ON_FINDINGS]
    assert all(
        r.status == "passed" or "lacks the variables" in (r.excused or "") for r in on_findings
    )
    ran = [
        r
        for r in study_rules
        if r is not other
        and r not in absent + no_define + elsewhere + on_findings
        and r.rule.id not in ON_THE_GAPS
    ]
    assert {r.status for r in ran} == {"passed"}
    later = [r for r in report.results if r not in study_rules]
    assert {(r.status, r.excused is not None) for r in later} == {("not_run", True)}
    assert report.verdict == "accept"


@pytest.mark.parametrize("trial", TRIALS)
@pytest.mark.parametrize("folder", ["defects", "defects-csv"])
def test_defects_sample_gives_exactly_the_planted_findings(trial, folder):
    report = run(SAMPLE_DATA / trial / folder, trial)
    found = {(f.rule_id, f.usubjid, f.variables) for f in report.findings()}
    # A CSV file stores no types: SD-TYPE judges the XPT files only.
    typed = folder != "defects-csv"
    expected = {p for p in planted(trial) if typed or p[0] != "SD-TYPE"}
    assert found == expected | {(rule, None, names) for rule, names in sample_ig_gaps(trial)}


@pytest.mark.parametrize("trial", TRIALS)
def test_every_rule_of_the_trial_spec_has_a_planted_defect(trial):
    own = {r.rule.id for r in load_spec(trial).rules if r.origin == trial}
    assert own <= {rule for rule, _, _ in planted(trial)}


def test_every_shared_rule_has_a_planted_defect_in_some_trial():
    shared = {
        r.rule.id for r in load_spec("resolution").rules if r.origin in ("sdtm", "cell-therapy")
    }
    every = set().union(*({rule for rule, _, _ in planted(t)} for t in TRIALS))
    # SD-CT-EXT: the planted term with --ct, below; rules on variables the samples lack find
    # their defects on the real studies (test_real_studies.py) or in their unit tests.
    on_real_data = set().union(
        *(set(found) for found in [*REAL_FINDINGS.values(), *REAL_FINDINGS_WITH_CT.values()])
    )
    unit_tested_only = {
        "SD-DUR",
        "SD-USUBJID-CASE",
        "SD-LEN-VAR",
        "SD-SUBJID",
        "SD-1TO1",
        "SD-DTHFL",
        "SD-AE-DEATH",
        "SD-END-START",
        "SD-AGEU",
        "SD-NOTX-DATES",
        "SD-DOSU",
        "SD-DOSE-TXT",
        "SD-DECOD-CODE",
        "SD-SCAT",
        "SD-TOXGR",
        "SD-NEGATIVE",
        "SD-NOT-OTHER",
        "SD-CAT-DECOD",
        "SD-STRF",
        "SD-ENRF",
        "SD-ARMNRS-REASON",
    }
    # Findings, trial design, TS, SUPP-- and RELREC rules on datasets or variables the samples
    # do not have and the real studies do not break: their unit tests (tests/unit/
    # test_findings_*.py, test_trial_design_checks.py, test_supp_checks.py,
    # test_relrec_checks.py) and CORE's cases (test_core_cases_sdtmig.py) plant each defect
    unit_tested_only |= {
        "SD-BLFL-ONCE", "SD-BLFL-RESULT", "SD-EPOCH", "SD-ETCD-1TO1", "SD-LOBXFL-ORRES",
        "SD-NORESULT", "SD-NRANGE", "SD-NRIND", "SD-ORRESU", "SD-RELREC-REF", "SD-RELREC-TYPE",
        "SD-SE-DATES", "SD-SE-TE", "SD-SE-UNPLAN", "SD-STRESC", "SD-STRESN", "SD-STRESU",
        "SD-STRESU-RESULT", "SD-SUPP-QLABEL", "SD-SUPP-QNAM-NAME", "SD-SUPP-QNAM-QLABEL",
        "SD-SUPP-QNAM-STD", "SD-TA-ARM", "SD-TE-END", "SD-TEST-LEN", "SD-TESTCD",
        "SD-TESTCD-TEST", "SD-TS-PARMCD", "SD-TS-VALCD", "SD-TS-VALNF", "SD-TV-VISIT",
        "SD-VISIT-SV",
    }  # fmt: skip
    assert shared - {"SD-CT-EXT"} - on_real_data - unit_tested_only - WITHOUT_A_DEFINE <= every


@needs_ct
def test_with_a_full_ct_release_the_planted_unknown_route_is_a_warning():
    folder = SAMPLE_DATA / "resolution" / "defects"
    report = trialguard.validate(folder, "resolution", ct=CT_2025)
    found = {(f.rule_id, f.usubjid, f.variables) for f in report.findings()}
    bundled = planted("resolution") | {(r, None, v) for r, v in sample_ig_gaps("resolution")}
    subset = {p for p in bundled if p[0] == "SD-CT-SUBSET"}
    assert found == (bundled - subset) | {("SD-CT-EXT", *p[1:]) for p in subset}
    assert report.rule("SD-CT-SUBSET").status == "not_run"
    assert report.standards.ct_release == "2025-03-25"
    assert "CDISC CT 2025-03-25" in report.rule("SD-CT-EXT").findings[0].message


@pytest.mark.parametrize("trial", TRIALS)
def test_every_record_read_is_accounted_for(trial):
    report = run(SAMPLE_DATA / trial / "defects", trial)
    copies = SAMPLE_DATA / trial / "defects-csv"
    names = {"dlt": "DL"}
    in_files = {
        names.get(p.stem, p.stem.upper()): len(list(csv.reader(p.open()))) - 1
        for p in copies.glob("*.csv")
    }
    assert {i.dataset: i.records for i in report.inputs} == in_files


def test_sample_files_are_current(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "sample_data" / "generate.py"), str(tmp_path)], check=True
    )
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(
        p.relative_to(SAMPLE_DATA)
        for t in TRIALS
        for p in (SAMPLE_DATA / t).rglob("*")
        if p.is_file()
    )
    assert made == committed
    for relative in made:
        assert (tmp_path / relative).read_bytes() == (SAMPLE_DATA / relative).read_bytes(), relative


@pytest.mark.skipif(
    not PILOT.is_dir(), reason="shared/external/cdiscpilot01 not beside the checkout"
)
def test_cdisc_pilot_reads_every_record_and_finds_its_known_quirks():
    report = trialguard.validate(PILOT, spec="sdtm")  # TS is Windows-1252: read with a notice
    assert {i.dataset: i.records for i in report.inputs} == {
        "AE": 1191,
        "CM": 7510,
        "DM": 306,
        "DS": 596,
        "EX": 591,
        "MH": 1818,
        "SE": 752,
        "SUPPAE": 1191,
        "SUPPDM": 1197,
        "SV": 3559,
        "TA": 8,
        "TE": 7,
        "TI": 31,
        "TS": 33,
        "TV": 21,
    }
    assert report.complete
    assert (report.standards.ig_version, report.standards.ig_model) == ("3.1.2", "3.2")
    assert report.standards.ig_source == str(PILOT / "define.xml")
    assert not [r for r in report.results if r.status == "error"]
    found = {(f.rule_id, f.domain, f.usubjid, f.variables) for f in report.findings()}
    assert ("SD-DY", "AE", "01-716-1063", ("AESTDY", "AESTDTC")) in found  # AESTDY 366, should be 1
    # SDTMIG 3.1.2 data (from its define.xml): ARMNRS did not exist yet
    assert not [f for f in report.findings() if "ARMNRS" in f.variables]


def test_the_pilots_windows_1252_ts_is_read_the_same_with_its_encoding_given():
    report = trialguard.validate(PILOT, spec="sdtm", encoding="cp1252")
    assert report.complete and report.notices == [f"define.xml: {DEFINE_READ}"]
    plain = trialguard.validate(PILOT, spec="sdtm")
    assert [f.message for f in report.findings()] == [f.message for f in plain.findings()]
