"""Builders of small hand-made studies, and a helper that runs one rule on them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from trialguard.findings import RuleResult, Severity
from trialguard.readers.dataset import Dataset, blank_to_missing, number_records
from trialguard.readers.study import Study
from trialguard.runner import run_rule
from trialguard.spec.loader import LoadedRule, Spec
from trialguard.spec.models import Day0, Endpoints, Protocol, Rule, Terminology, Window
from trialguard.standards import DEFAULT_STANDARDS, Standards
from trialguard.validators.catalogue import all_kinds
from trialguard.validators.context import StudyContext

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DATA = ROOT / "sample_data"
SAMPLES = SAMPLE_DATA / "resolution"
TRIALS = ("resolution", "reset-02", "wu-cart-007", "ab-101")
EXTERNAL = ROOT.parent / "shared" / "external"
PILOT = EXTERNAL / "cdiscpilot01"
CT_2025 = EXTERNAL / "ct" / "sdtm-ct-2025-03-25.txt"  # a full CDISC CT release (NCI EVS file)
CT_2023 = EXTERNAL / "ct" / "sdtm-ct-2023-12-15.txt"
STUDY = "S1"


def subject(n: int) -> str:
    return f"S1-{n:03d}"


def dataset(name: str, rows: list[dict], columns: list[str] | None = None) -> Dataset:
    frame = number_records(blank_to_missing(pd.DataFrame(rows, columns=columns)))
    return Dataset(
        name=name, path=Path(f"{name.lower()}.csv"), format="csv", frame=frame, sha256="0"
    )


def make_dm(*rows: dict) -> Dataset:
    base = {
        "STUDYID": STUDY,
        "DOMAIN": "DM",
        "SUBJID": "1",
        "SITEID": "01",
        "SEX": "F",
        "COUNTRY": "USA",
        "AGE": "40",
        "AGEU": "YEARS",
        "ARMCD": "DL1-FC",
        "ACTARMCD": "DL1-FC",
        "RFSTDTC": "2025-03-05",
    }
    return dataset("DM", [base | row for row in rows])


def make_ex(*rows: dict) -> Dataset:
    base = {
        "STUDYID": STUDY,
        "DOMAIN": "EX",
        "EXTRT": "PRODUCT",
        "EXDOSE": "40",
        "EXDOSU": "10^6 cells",
        "EXROUTE": "INTRAVENOUS",
        "EXSTDTC": "2025-03-10",
        "EXENDTC": "2025-03-10",
    }
    return dataset("EX", [base | {"EXSEQ": str(i)} | row for i, row in enumerate(rows, 1)])


def make_ae(*rows: dict) -> Dataset:
    base = {
        "STUDYID": STUDY,
        "DOMAIN": "AE",
        "AETERM": "NAUSEA",
        "AEDECOD": "Nausea",
        "AETOXGR": "1",
        "AESTDTC": "2025-03-12",
    }
    return dataset("AE", [base | {"AESEQ": str(i)} | row for i, row in enumerate(rows, 1)])


def make_dl(*rows: dict) -> Dataset:
    base = {"STUDYID": STUDY, "DOMAIN": "DL", "DLTERM": "ICANS", "DLTOXGR": "3"}
    columns = None if rows else [*base, "USUBJID", "DLSEQ", "DLAESEQ", "DLSTDTC"]
    return dataset("DL", [base | {"DLSEQ": str(i)} | row for i, row in enumerate(rows, 1)], columns)


def make_spec(
    day0: str | None = "PRODUCT",
    window: tuple[int, int] | None = (0, 28),
    endpoints: Endpoints | None = None,
) -> Spec:
    protocol = Protocol(
        endpoints=endpoints,
        day0=Day0(extrt=day0, source="test") if day0 else None,
        dlt_window=Window(first_day=window[0], last_day=window[1], source="test")
        if window
        else None,
    )
    return Spec(
        "test",
        "1",
        "test",
        Path("test.yaml"),
        "0",
        (),
        protocol,
        Terminology(sponsor_terms={"UNIT": ["10^6 cells"]}),
        (),
    )


def check(
    kind: str,
    *datasets: Dataset,
    params: dict | None = None,
    spec: Spec | None = None,
    severity: str = "error",
    standards: Standards = DEFAULT_STANDARDS,
    unreadable: list | None = None,
    message: str | None = None,
) -> RuleResult:
    """Run one check kind on hand-made datasets (and datasets that could not be read) and
    return its result (`message`: the rule's own message template, as a spec may give)."""
    checker = all_kinds()[kind]
    rule = Rule(
        id="T-1",
        kind=kind,
        severity=Severity(severity),
        description="test",
        source="test",
        params=params or {},
        message=message,
    )
    loaded = LoadedRule(rule, checker.params.model_validate(params or {}), checker, "test")
    study = Study({d.name: d for d in datasets}, unreadable=unreadable or [])
    return run_rule(loaded, StudyContext(study, spec or make_spec(), standards))


def hits(result: RuleResult) -> list[tuple]:
    """(domain, record, usubjid) of each finding, sorted."""
    return sorted((f.domain, f.record, f.usubjid) for f in result.findings)


def undecided(result: RuleResult) -> list[tuple]:
    return sorted((f.domain, f.record, f.usubjid) for f in result.not_evaluable)


@pytest.fixture
def tmp_csv(tmp_path):
    def write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return write


# A report with markup, script and template payloads in every field a user or a spec controls.
PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "{{ 7*7 }}"]
HOSTILE_SPEC = """\
id: hostile
version: "<script>alert(1)</script>"
title: '"><img src=x onerror=alert(1)>'
extends: [sdtm]
protocol:
  day0: {extrt: "<script>alert(1)</script>", source: "{{ 7*7 }}", assumed: true}
  dlt_window: {first_day: 0, last_day: 28, source: "<b>bold</b>", assumed: true}
rules:
  - id: H-AGE
    kind: age_range
    severity: error
    description: "<script>alert(1)</script>"
    source: '"><img src=x onerror=alert(1)>'
    assumed: true
    assumption: "{{ 7*7 }}"
    message: "{{{{ 7*7 }}}} <i>{AGE}</i> {USUBJID}"
    params: {min_age: 18}
"""


def hostile_report(tmp_path: Path, command: str = PAYLOADS[0]):
    """(Report, spec) of a one-subject study whose values and spec texts are all payloads."""
    from trialguard.pipeline import validate_study
    from trialguard.spec.loader import load_spec

    spec_path = tmp_path / "hostile.yaml"
    spec_path.write_text(HOSTILE_SPEC, encoding="utf-8")
    spec = load_spec(str(spec_path))
    who = PAYLOADS[1]
    dm = make_dm({"USUBJID": who, "SEX": PAYLOADS[0], "AGE": "12", "STUDYID": PAYLOADS[2]})
    ex = make_ex(
        {"USUBJID": who, "EXTRT": PAYLOADS[0], "EXSTDTC": "2025-03-10"},
        {"USUBJID": who, "EXTRT": PAYLOADS[2], "EXSTDTC": "2025-03-06", "EXDOSU": PAYLOADS[1]},
    )
    ae = make_ae(
        {"USUBJID": who, "AETERM": PAYLOADS[0], "AETOXGR": PAYLOADS[1], "AESTDTC": "2025-03-12"},
        {"USUBJID": who, "AETERM": PAYLOADS[2], "AESTDTC": PAYLOADS[0], "DOMAIN": PAYLOADS[1]},
    )
    dm.path = Path(f"{PAYLOADS[1]}/dm.csv")
    study = Study({"DM": dm, "EX": ex, "AE": ae}, skipped=[(PAYLOADS[0], PAYLOADS[1])])
    return validate_study(study, spec, command=command)


# What every sample holds that SDTMIG asks otherwise, by design of the generator: AE carries
# AEDECOD and AEBODSYS but not the rest of the MedDRA hierarchy (a licensed dictionary the
# generator does not code), which SDTMIG 3.2 to 3.4 expect; EX carries VISITNUM, a model
# variable the SDTMIG EX table does not list.  (rule id, variables) of each finding.
MEDDRA_CODED = "AELLT AELLTCD AEPTCD AEHLT AEHLTCD AEHLGT AEHLGTCD AEBDSYCD AESOC AESOCCD"
SAMPLE_IG_GAPS = frozenset(
    {("SD-EXP-VAR", (name,)) for name in MEDDRA_CODED.split()} | {("SD-MODEL-ADDED", ("VISITNUM",))}
)
# AB-101's RS has no RSLOBXFL, which SDTMIG 3.4 (the samples' version) expects.
TRIAL_IG_GAPS = {"ab-101": frozenset({("SD-EXP-VAR", ("RSLOBXFL",))})}


def sample_ig_gaps(trial: str) -> frozenset[tuple[str, tuple[str, ...]]]:
    return SAMPLE_IG_GAPS | TRIAL_IG_GAPS.get(trial, frozenset())
