"""Every rule kind's finding names what fails: the variable, its value, and the date or bound
it is held to (a dataset-level finding names the dataset and the variable).

One case per registered kind (and the GX kind), each on a record built to fail it; a kind
registered without a case here fails `test_every_kind_has_a_case`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from conftest import STUDY, check, dataset, make_ae, make_dl, make_dm, make_ex, make_spec, subject

from trialguard.findings import Finding, RuleResult, Severity
from trialguard.openrules.model import parse_rule
from trialguard.readers.define_metadata import read_define
from trialguard.readers.study import Study
from trialguard.report import Comparison, WaiverEntry
from trialguard.runner import run_rule
from trialguard.sdtm.ct_release import NCI_HEADER, load_ct_release
from trialguard.sdtm.ig_version import IgVersion
from trialguard.spec.loader import LoadedRule
from trialguard.spec.models import Endpoints, Rule
from trialguard.standards import DEFAULT_STANDARDS, Standards
from trialguard.transfer.context import TransferContext
from trialguard.transfer.manifest import ManifestEntry
from trialguard.validators.catalogue import all_kinds
from trialguard.validators.context import StudyContext

GX_KIND = "gx_expectation"  # GX suites' rules: made per run, not in the registry
DAY0 = "2025-03-10"
Case = Callable[[Path], tuple[Finding, list[str]]]
CASES: dict[str, Case] = {}


def case(kind: str) -> Callable[[Case], Case]:
    def register(function: Case) -> Case:
        CASES[kind] = function
        return function

    return register


def first(result: RuleResult, undecided: bool = False) -> Finding:
    """The first finding (or record not evaluable) of a rule that must have failed."""
    found = result.not_evaluable if undecided else result.findings
    assert found, f"no finding: {result.status} {result.reason}"
    return found[0]


def record(result: RuleResult, number: int, domain: str | None = None) -> Finding:
    return next(f for f in result.findings if f.record == number and domain in (None, f.domain))


# builders ------------------------------------------------------------------------------------
def product(n: int, **extra) -> dict:
    return {"USUBJID": subject(n), "EXTRT": "PRODUCT", "EXSTDTC": DAY0, "EXENDTC": DAY0} | extra


def agent(n: int, name: str, start: str, end: str | None = None) -> dict:
    return {"USUBJID": subject(n), "EXTRT": name, "EXSTDTC": start, "EXENDTC": end or start}


def rows(name: str, *records: dict, seq: bool = True):
    """A dataset of `name` (its DOMAIN and, with `seq`, its --SEQ numbered from 1)."""
    base = {"STUDYID": STUDY, "DOMAIN": name[:2]}
    numbered = [({f"{name[:2]}SEQ": str(i)} if seq else {}) | r for i, r in enumerate(records, 1)]
    return dataset(name, [base | r for r in numbered])


def trial_design(name: str, *records: dict):
    return dataset(name, [{"STUDYID": STUDY, "DOMAIN": name} | r for r in records])


def supp(name: str, *records: dict):
    base = {"STUDYID": STUDY, "RDOMAIN": name[4:], "QLABEL": "Flag", "QVAL": "Y", "QORIG": "CRF"}
    return dataset(name, [base | r for r in records])


def qualifier(n: int, value: str = "1", qnam: str = "AETRTEM", **more) -> dict:
    return {"USUBJID": subject(n), "IDVAR": "AESEQ", "IDVARVAL": value, "QNAM": qnam} | more


def release(tmp_path: Path, terms: list[tuple]) -> Standards:
    """A CT release file of the given codelist and term rows (NCI EVS columns)."""
    path = tmp_path / "SDTM Terminology 2025-03-25.txt"
    path.write_text("\n".join(["\t".join(NCI_HEADER), *map("\t".join, terms)]) + "\n")
    return Standards(IgVersion("3.4", "default"), load_ct_release(path))


def term(code: str, codelist: str, value: str, name: str = "n") -> tuple:
    extensible = "Yes" if not codelist else ""
    return (code, codelist, extensible, name, value, "", "d", "p")


# conformance ---------------------------------------------------------------------------------
CRITERIA = {"AESDTH": {"equals": "Y"}, "AESHOSP": {"equals": "Y"}}


@case("conditional_values")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "AESER": "N", "AESHOSP": "Y", "AESDTH": "N"})
    params = {"datasets": ["AE"], "when_any": CRITERIA, "then": {"AESER": {"equals": "Y"}}}
    finding = first(check("conditional_values", ae, params=params))
    assert "AESDTH" not in finding.message  # a criterion that is not Y is not named
    assert finding.context == {"AESHOSP": "Y", "AESER": "N"}
    return finding, ["AESHOSP is 'Y'", "AESER is 'N' (not 'Y')"]


@case("conformance_metadata")
def _(tmp_path):
    tx = dataset("TX", [{"STUDYID": STUDY, "SETCD": "1", "TXVAL": "A"}])
    return first(check("conformance_metadata", make_dm({"USUBJID": subject(1)}), tx)), ["TX"]


@case("controlled_terminology")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "SEX": "MALE"})
    return first(check("controlled_terminology", dm)), ["SEX", "'MALE'", "codelist SEX"]


@case("domain_value")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "DOMAIN": "EA"})
    return first(check("domain_value", ae)), ["'EA'", "expected AE"]


@case("iso8601_dates")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "AESTDTC": "2025-02-30"})
    return first(check("iso8601_dates", ae)), ["AESTDTC", "'2025-02-30'"]


@case("iso8601_durations")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "AEDUR": "2 days"})
    return first(check("iso8601_durations", ae)), ["AEDUR", "'2 days'"]


@case("legacy_screen_failure")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "ARMCD": "A", "ACTARMCD": "SCRNFAIL"})
    finding = first(check("legacy_screen_failure", dm))
    assert "ARMCD 'A'" not in finding.message  # ARMCD is not the legacy code
    return finding, ["ACTARMCD 'SCRNFAIL'"]


@case("model_added_variables")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "AEDTC": "2025-03-12"})
    finding = first(check("model_added_variables", ae))
    assert finding.record is None
    return finding, ["AEDTC", "table of AE"]


@case("model_variables")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "MYFLAG": "Y"})
    return first(check("model_variables", dm)), ["MYFLAG", "in DM"]


@case("numeric_values")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "AGE": "forty"})
    return first(check("numeric_values", dm)), ["AGE", "'forty'"]


@case("one_to_one")
def _(tmp_path):
    dm = make_dm(
        {"USUBJID": subject(1), "ARMCD": "A", "ARM": "Arm A"},
        {"USUBJID": subject(2), "ARMCD": "A", "ARM": "Arm B"},
    )
    result = check("one_to_one", dm, params={"pairs": [["ARMCD", "ARM"]]})
    return first(result), ["ARMCD 'A' goes with ARM 'Arm A', 'Arm B'"]


@case("paired_terminology")
def _(tmp_path):
    standards = release(
        tmp_path,
        [
            term("C65047", "", "LBTESTCD"),
            term("C64431", "C65047", "ALB"),
            term("C105585", "C65047", "GLUC"),
            term("C67154", "", "LBTEST"),
            term("C64431", "C67154", "Albumin"),
            term("C105585", "C67154", "Glucose"),
        ],
    )
    lb = rows("LB", {"USUBJID": subject(1), "LBTESTCD": "ALB", "LBTEST": "Glucose"})
    result = check("paired_terminology", lb, standards=standards)
    return first(result), ["LBTESTCD 'ALB'", "LBTEST 'Glucose'", "'Albumin'"]


@case("printable_text")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "AETERM": "FEVER\nCHILLS"})
    return first(check("printable_text", ae)), ["AETERM", "FEVER[U+000A]CHILLS", "(U+000A)"]


@case("reference_range_indicator")
def _(tmp_path):
    lb = rows(
        "LB",
        {"USUBJID": subject(1), "LBTESTCD": "K", "LBNRIND": "LOW", "LBSTRESN": "5",
         "LBSTNRLO": "3.5", "LBSTNRHI": "5.1"},
    )  # fmt: skip
    result = check("reference_range_indicator", lb)
    return first(result), ["LBNRIND 'LOW'", "LBSTRESN '5'", "range '3.5' to '5.1'"]


@case("repeated_records")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1)}, {"USUBJID": subject(1)})
    return first(check("repeated_records", ae)), ["AESEQ '2'", "repeats record 1"]


@case("required_values")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "SITEID": ""})
    return first(check("required_values", dm)), ["SITEID is empty"]


@case("required_variables")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1)})
    dm.frame = dm.frame.drop(columns=["SITEID"])
    finding = first(check("required_variables", dm, params={"core": "Req"}))
    assert finding.record is None
    return finding, ["DM", "SITEID"]


@case("result_units")
def _(tmp_path):
    lb = rows(
        "LB",
        {"USUBJID": subject(1), "LBTESTCD": "ALT", "LBORRES": "30", "LBORRESU": "U/L"},
        {"USUBJID": subject(1), "LBTESTCD": "ALT", "LBORRES": "35", "LBORRESU": ""},
    )
    params = {"result": "--ORRES", "unit": "--ORRESU"}
    return first(check("result_units", lb, params=params)), ["LBORRES '35'", "ALT", "LBORRESU"]


@case("single_baseline")
def _(tmp_path):
    lb = rows(
        "LB",
        {"USUBJID": subject(1), "LBTESTCD": "ALT", "LBSPEC": "SERUM", "LBBLFL": "Y"},
        {"USUBJID": subject(1), "LBTESTCD": "ALT", "LBSPEC": "SERUM", "LBBLFL": "Y"},
    )
    result = check("single_baseline", lb)
    return first(result), ["LBBLFL", "LBTESTCD 'ALT'", "LBSPEC 'SERUM'"]


@case("single_studyid")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1)}, {"USUBJID": subject(2)})
    ae = make_ae({"USUBJID": subject(1), "STUDYID": "S2"})
    return first(check("single_studyid", dm, ae)), ["'S2'", "'S1'"]


@case("stored_types")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "AGE": "40"})
    dm.format = "xpt"
    finding = first(check("stored_types", dm))
    return finding, ["AGE", "stored as Char", "gives Num"]


@case("transport_metadata")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "target_egfr": "1"})
    return first(check("transport_metadata", dm)), ["target_egfr"]


@case("unique_keys")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1)}, {"USUBJID": subject(1)})
    return first(check("unique_keys", dm)), [f"USUBJID '{subject(1)}'", "in DM"]


@case("unique_values")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "SUBJID": "7"}, {"USUBJID": subject(2), "SUBJID": "7"})
    params = {"dataset": "DM", "variables": ["STUDYID", "SUBJID"]}
    return first(check("unique_values", dm, params=params)), ["STUDYID 'S1'", "SUBJID '7'"]


@case("value_length")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "AETERM": "X" * 210})
    return first(check("value_length", ae)), ["AETERM", "(210 bytes)", "longer than 200 bytes"]


@case("variable_length")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "ARMCD": "A" * 25, "ACTARMCD": "A"})
    finding = first(check("variable_length", dm))
    return finding, ["ARMCD", f"'{'A' * 25}'", "(25 characters)", "longer than 20 characters"]


# cross-domain --------------------------------------------------------------------------------
TA = trial_design(
    "TA",
    {"ARMCD": "A", "ARM": "Arm A", "TAETORD": "1", "ETCD": "SCRN", "ELEMENT": "Screen",
     "EPOCH": "SCREENING"},
)  # fmt: skip
TE = trial_design("TE", {"ETCD": "SCRN", "ELEMENT": "Screen", "TEENRL": "1 week"})


@case("age_from_birth")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "AGE": "40", "BRTHDTC": "1980-01-01"})
    finding = first(check("age_from_birth", dm))
    return finding, ["AGE 40", "BRTHDTC '1980-01-01'", "45 at RFSTDTC '2025-03-05'"]


@case("arms_in_ta")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "ARMCD": "Z", "ARM": "Arm Z", "ACTARMCD": "A"})
    return first(check("arms_in_ta", dm, TA)), ["ARMCD 'Z'", "ARM 'Arm Z'"]


@case("element_dates")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "RFICDTC": "2025-02-01"})
    se = trial_design("SE", {"USUBJID": subject(1), "ETCD": "SCRN", "SESTDTC": "2025-01-15"})
    return first(check("element_dates", dm, se)), ["SESTDTC 2025-01-15", "RFICDTC 2025-02-01"]


@case("element_end_rule")
def _(tmp_path):
    te = trial_design("TE", {"ETCD": "FU", "ELEMENT": "Follow-up", "TEENRL": "", "TEDUR": ""})
    return first(check("element_end_rule", te)), ["element FU"]


@case("element_one_to_one")
def _(tmp_path):
    te = trial_design(
        "TE",
        {"ETCD": "SCRN", "ELEMENT": "Screen", "TEENRL": "x"},
        {"ETCD": "SCRN", "ELEMENT": "Screening", "TEENRL": "x"},
    )
    finding = first(check("element_one_to_one", te))
    return finding, ["ETCD 'SCRN'", "goes with ELEMENT 'Screen', 'Screening'"]


@case("elements_in_te")
def _(tmp_path):
    ta = trial_design("TA", {"ARMCD": "A", "ARM": "Arm A", "ETCD": "ZZ", "ELEMENT": "Other"})
    return first(check("elements_in_te", ta, TE)), ["ETCD 'ZZ'", "ELEMENT 'Other'"]


@case("epoch_in_ta")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "EPOCH": "FOLLOW-UP"})
    return first(check("epoch_in_ta", ae, TA)), ["EPOCH 'FOLLOW-UP'", "'SCREENING'"]


@case("exposure_reference_dates")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "RFXSTDTC": "2025-03-02"})
    ex = make_ex({"USUBJID": subject(1), "EXSTDTC": "2025-03-01"})
    result = check("exposure_reference_dates", dm, ex, params={"date": "RFXSTDTC"})
    return first(result), ["RFXSTDTC '2025-03-02'", "first EXSTDTC is 2025-03-01"]


@case("relrec_records")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1)})
    relrec = dataset(
        "RELREC",
        [{"STUDYID": STUDY, "USUBJID": subject(1), "RDOMAIN": "AE", "IDVAR": "AESEQ",
          "IDVARVAL": "9", "RELTYPE": "", "RELID": "R1"}],
    )  # fmt: skip
    return first(check("relrec_records", ae, relrec)), ["no AE record", "AESEQ = '9'"]


@case("relrec_types")
def _(tmp_path):
    relrec = dataset(
        "RELREC",
        [{"STUDYID": STUDY, "USUBJID": subject(1), "RDOMAIN": "AE", "IDVAR": "AESEQ",
          "IDVARVAL": str(n), "RELTYPE": "ONE", "RELID": "R1"} for n in (1, 2)],
    )  # fmt: skip
    return first(check("relrec_types", relrec)), ["RELTYPE 'ONE'"]


@case("start_not_after_end")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "AESTDTC": "2025-03-12", "AEENDTC": "2025-03-10"})
    return first(check("start_not_after_end", ae)), ["AESTDTC '2025-03-12'", "'2025-03-10'"]


@case("study_days")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "RFSTDTC": "2025-03-05"})
    ae = make_ae({"USUBJID": subject(1), "AESTDTC": "2025-03-05", "AESTDY": "2"})
    finding = first(check("study_days", dm, ae))
    return finding, ["AESTDY is 2", "AESTDTC '2025-03-05'", "RFSTDTC '2025-03-05'", "be 1"]


@case("subject_baseline")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1)}, {"USUBJID": subject(2)})
    ex = make_ex(product(1), product(2))
    lb = rows(
        "LB",
        {"USUBJID": subject(1), "LBTESTCD": "ALT", "LBBLFL": "Y"},
        {"USUBJID": subject(2), "LBTESTCD": "ALT", "LBBLFL": ""},
    )
    return first(check("subject_baseline", dm, ex, lb)), [subject(2), "in LB"]


@case("subject_in_dm")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1)})
    return first(check("subject_in_dm", dm, make_ae({"USUBJID": subject(9)}))), [subject(9)]


@case("supp_parent")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1)})
    finding = first(check("supp_parent", ae, supp("SUPPAE", qualifier(1, value="7"))))
    return finding, ["SUPPAE", "no AE record of the subject has AESEQ = '7'"]


@case("supp_qlabel")
def _(tmp_path):
    label = "A label that runs on past the forty characters"
    found = first(check("supp_qlabel", supp("SUPPAE", qualifier(1, QLABEL=label))))
    return found, [f"'{label}'", "AETRTEM", f"{len(label)} characters"]


@case("supp_qnam_name")
def _(tmp_path):
    found = first(check("supp_qnam_name", supp("SUPPAE", qualifier(1, qnam="1FLAG"))))
    return found, ["QNAM 1FLAG"]


@case("supp_qnam_qlabel")
def _(tmp_path):
    data = supp("SUPPAE", qualifier(1, QLABEL="Treated"), qualifier(1, "2", QLABEL="Emergent"))
    finding = first(check("supp_qnam_qlabel", data))
    return finding, ["QNAM AETRTEM", "goes with QLABEL 'Treated', 'Emergent'"]


@case("supp_qnam_standard")
def _(tmp_path):
    found = first(check("supp_qnam_standard", supp("SUPPAE", qualifier(1, qnam="AESER"))))
    return found, ["QNAM AESER", "variable of AE"]


@case("supp_qnam_unique")
def _(tmp_path):
    data = supp("SUPPAE", qualifier(1, QVAL="Y"), qualifier(1, QVAL="N"))
    finding = first(check("supp_qnam_unique", data))
    return finding, ["QNAM AETRTEM", "AESEQ = '1'", "QVAL is 'Y'"]


def ts(*records: dict):
    return trial_design("TS", *({"TSSEQ": "1"} | r for r in records))


@case("ts_null_flavors")
def _(tmp_path):
    data = ts({"TSPARMCD": "TITLE", "TSPARM": "Trial Title", "TSVAL": "A trial",
               "TSVALNF": "NA"})  # fmt: skip
    return first(check("ts_null_flavors", data)), ["TITLE", "'A trial'", "'NA'"]


@case("ts_parameter_names")
def _(tmp_path):
    data = ts({"TSPARMCD": "AGEMINIMUM", "TSPARM": "Minimum Age", "TSVAL": "P18Y"})
    return first(check("ts_parameter_names", data)), ["'AGEMINIMUM'", "longer than 8"]


@case("ts_parameter_terms")
def _(tmp_path):
    standards = release(
        tmp_path,
        [
            term("C66738", "", "TSPARMCD"),
            term("C49703", "C66738", "ADDON"),
            term("C67152", "", "TSPARM"),
            term("C49703", "C67152", "Added on to Existing Treatments"),
        ],
    )
    data = ts({"TSPARMCD": "AGESPAN", "TSPARM": "Added on to Existing Treatments"})
    result = check("ts_parameter_terms", data, standards=standards)
    return first(result), ["TSPARMCD 'AGESPAN'", "codelist C66738"]


@case("ts_required_parameters")
def _(tmp_path):
    data = ts({"TSPARMCD": "TITLE", "TSPARM": "Trial Title", "TSVAL": "A trial"})
    params = {"parameters": ["TITLE", "SSTDTC"]}
    finding = first(check("ts_required_parameters", data, params=params))
    assert finding.record is None
    return finding, ["SSTDTC"]


@case("ts_value_codes")
def _(tmp_path):
    data = ts(
        {"TSPARMCD": "ADDON", "TSVAL": "Y", "TSVALCD": "C49488"},
        {"TSPARMCD": "RANDOM", "TSVAL": "N", "TSVALCD": "C49488"},
    )
    finding = first(check("ts_value_codes", data))
    return finding, ["TSVALCD 'C49488'", "TSVAL 'Y'", "goes with TSVAL 'Y', 'N'"]


@case("ts_value_formats")
def _(tmp_path):
    data = ts({"TSPARMCD": "SSTDTC", "TSVAL": "last spring"})
    result = check("ts_value_formats", data, params={"dates": ["SSTDTC"]})
    return first(result), ["TSVAL 'last spring'", "SSTDTC", "ISO 8601 date"]


@case("unplanned_elements")
def _(tmp_path):
    se = trial_design("SE", {"USUBJID": subject(1), "ETCD": "UNPLAN", "ELEMENT": "Extra"})
    return first(check("unplanned_elements", se)), ["ELEMENT", "'Extra'"]


@case("visits_in_sv")
def _(tmp_path):
    sv = rows("SV", {"USUBJID": subject(1), "VISITNUM": "1"}, seq=False)
    ae = make_ae({"USUBJID": subject(1), "VISITNUM": "2"})
    return first(check("visits_in_sv", sv, ae)), ["VISITNUM 2"]


@case("visits_in_tv")
def _(tmp_path):
    sv = rows(
        "SV", {"USUBJID": subject(1), "VISITNUM": "9", "VISIT": "WEEK 9", "SVUPDES": ""}, seq=False
    )
    tv = trial_design("TV", {"VISITNUM": "1", "VISIT": "SCREENING"})
    return first(check("visits_in_tv", sv, tv)), ["visit 9", "(WEEK 9)"]


# define.xml ----------------------------------------------------------------------------------
DM_DEFINED = [  # name, DataType, Length, label, Mandatory, KeySequence, codelist
    ("STUDYID", "text", 8, "Study Identifier", "Yes", 1, None),
    ("USUBJID", "text", 8, "Unique Subject Identifier", "Yes", 2, None),
    ("AGE", "integer", 3, "Age", "No", None, None),
    ("SEX", "text", 1, "Sex", "Yes", None, "CL.SEX"),
]


def define(tmp_path: Path, groups: dict[str, list[tuple]] | None = None) -> Standards:
    """The standards with a define.xml describing `groups` (DM by default)."""
    refs, items = [], []
    for group, variables in (groups or {"DM": DM_DEFINED}).items():
        item_refs = []
        for name, kind, length, label, mandatory, key, codelist in variables:
            key_attr = f' KeySequence="{key}"' if key else ""
            item_refs.append(f'<ItemRef ItemOID="IT.{name}" Mandatory="{mandatory}"{key_attr}/>')
            ref = f'<CodeListRef CodeListOID="{codelist}"/>' if codelist else ""
            items.append(
                f'<ItemDef OID="IT.{name}" Name="{name}" DataType="{kind}" Length="{length}">'
                f"<Description><TranslatedText>{label}</TranslatedText></Description>{ref}"
                "</ItemDef>"
            )
        refs.append(f'<ItemGroupDef OID="IG.{group}" Name="{group}">{"".join(item_refs)}'
                    "</ItemGroupDef>")  # fmt: skip
    text = (
        '<?xml version="1.0"?><ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" '
        'xmlns:def="http://www.cdisc.org/ns/def/v2.1"><Study OID="S"><MetaDataVersion OID="M">'
        + "".join(refs) + "".join(items)
        + '<CodeList OID="CL.SEX" Name="Sex" DataType="text"><CodeListItem CodedValue="F"/>'
        '<CodeListItem CodedValue="M"/></CodeList></MetaDataVersion></Study></ODM>'
    )  # fmt: skip
    path = tmp_path / "define.xml"
    path.write_text(text, encoding="utf-8")
    return dataclasses.replace(DEFAULT_STANDARDS, define=read_define(path))


def defined_dm(*records: dict, typed: bool = True):
    """A DM of the defined variables, as an XPT file gives it when `typed`."""
    dm = make_dm(*({"USUBJID": subject(1), "SEX": "F"} | r for r in records or [{}]))
    dm.frame = dm.frame[[v[0] for v in DM_DEFINED]].copy()
    if typed:
        dm.frame["AGE"] = pd.to_numeric(dm.frame["AGE"])
        dm.format, dm.numeric = "xpt", frozenset({"AGE"})
        dm.labels = {v[0]: v[3] for v in DM_DEFINED}
        dm.lengths = {v[0]: v[2] for v in DM_DEFINED if v[1] == "text"}
    return dm


@case("define_codelists")
def _(tmp_path):
    found = first(check("define_codelists", defined_dm({"SEX": "U"}), standards=define(tmp_path)))
    return found, ["DM.SEX", "'U'", "CL.SEX"]


@case("define_datasets")
def _(tmp_path):
    standards = define(tmp_path, {"DM": DM_DEFINED, "EX": DM_DEFINED[:2]})
    finding = first(check("define_datasets", defined_dm(), standards=standards))
    return finding, ["EX", "not supplied"]


@case("define_keys")
def _(tmp_path):
    dm = defined_dm({}, {})
    finding = first(check("define_keys", dm, standards=define(tmp_path)))
    return finding, ["STUDYID 'S1'", f"USUBJID '{subject(1)}'"]


@case("define_labels")
def _(tmp_path):
    dm = defined_dm()
    dm.labels = dm.labels | {"AGE": "Age in Years"}
    finding = first(check("define_labels", dm, standards=define(tmp_path)))
    return finding, ["DM.AGE", "'Age in Years'", "'Age'"]


@case("define_lengths")
def _(tmp_path):
    dm = defined_dm({"USUBJID": "S1-00001"}, {"USUBJID": "S1-000002"})
    finding = first(check("define_lengths", dm, standards=define(tmp_path)))
    return finding, ["DM.USUBJID", "'S1-000002'", "9 bytes", "Length 8"]


@case("define_mandatory")
def _(tmp_path):
    finding = first(check("define_mandatory", defined_dm({"SEX": ""}), standards=define(tmp_path)))
    return finding, ["DM.SEX", "empty"]


@case("define_structure")
def _(tmp_path):
    standards = define(tmp_path)
    text = Path(standards.define.path).read_text().replace(' DataType="integer"', "")
    Path(standards.define.path).write_text(text)
    standards = dataclasses.replace(standards, define=read_define(standards.define.path))
    result = check("define_structure", defined_dm(), standards=standards)
    finding = next(f for f in result.findings if f.context["oid"] == "IT.AGE")
    return finding, ["define.xml line", "IT.AGE", "DataType"]


@case("define_types")
def _(tmp_path):
    dm = defined_dm()
    dm.numeric = frozenset()
    finding = first(check("define_types", dm, standards=define(tmp_path)))
    return finding, ["DM.AGE", "character", "integer"]


@case("define_variables")
def _(tmp_path):
    dm = defined_dm()
    dm.frame["RACE"] = "ASIAN"
    finding = first(check("define_variables", dm, standards=define(tmp_path)))
    return finding, ["DM.RACE", "not in the define.xml"]


# protocol ------------------------------------------------------------------------------------
ENDPOINTS = Endpoints.model_validate(
    {
        "disease": {"category": "PRIMARY DIAGNOSIS", "source": "test"},
        "visit": {"name": "WEEK 52", "day": 364, "before": 14, "after": 14, "source": "test"},
        "instruments": [
            {
                "name": "DAS28-ESR",
                "disease": "RA",
                "terms": ["RHEUMATOID ARTHRITIS"],
                "category": "DAS28-ESR",
                "score": "DAS28ESR",
                "ranges": {"DAS28ESR": [0, 10]},
                "responder": {"testcd": "DASRESP", "operator": "<", "threshold": 2.6},
                "source": "test",
            }
        ],
    }
)
ENDPOINT_SPEC = make_spec(endpoints=ENDPOINTS)
WEEK_52 = "2026-03-09"  # Day 364 from DAY0


def diagnosis(n: int, term: str) -> dict:
    return {"USUBJID": subject(n), "MHTERM": term, "MHCAT": "PRIMARY DIAGNOSIS"}


def scored(n: int, code: str, value, day: str = WEEK_52, **more) -> dict:
    return {"USUBJID": subject(n), "RSTESTCD": code, "RSCAT": "DAS28-ESR",
            "RSORRES": str(value), "RSDTC": day} | more  # fmt: skip


def treated(*numbers: int):
    dm = make_dm(*({"USUBJID": subject(n)} for n in numbers))
    return dm, make_ex(*(product(n) for n in numbers))


@case("age_range")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "AGE": "17"})
    finding = first(check("age_range", dm, params={"min_age": 18, "max_age": 70}))
    return finding, ["AGE 17", "18 <= AGE < 70"]


@case("arm_unexposed")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "ACTARMCD": "SOC"})
    finding = first(check("arm_unexposed", dm, make_ex(product(1)), params={"arms": ["SOC"]}))
    return finding, ["PRODUCT", "control arm SOC"]


@case("das28_recomputed")
def _(tmp_path):
    parts = {"TJC28": 2, "SJC28": 1, "ESR": 12, "PTGLOBAL": 20, "DAS28ESR": 2.5}
    rs = rows("RS", *(scored(1, c, v, VISITNUM="1") for c, v in parts.items()))
    params = {"instrument": "DAS28-ESR", "components": {"tjc28": "TJC28", "sjc28": "SJC28",
              "esr": "ESR", "patient_global": "PTGLOBAL"}}  # fmt: skip
    finding = first(check("das28_recomputed", rs, params=params, spec=ENDPOINT_SPEC))
    return finding, ["DAS28-ESR = 2.5", "give 3.09"]


@case("dlt_ae_link")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "AESTDTC": "2025-03-12"})
    dl = make_dl({"USUBJID": subject(1), "DLAESEQ": "1", "DLSTDTC": "2025-03-13"})
    finding = first(check("dlt_ae_link", ae, dl))
    return finding, ["AESEQ 1", "AESTDTC '2025-03-12'", "DLSTDTC '2025-03-13'"]


@case("dlt_window")
def _(tmp_path):
    dl = make_dl({"USUBJID": subject(1), "DLSTDTC": "2025-04-08"})
    finding = first(check("dlt_window", make_ex(product(1)), dl))
    return finding, ["2025-04-08", "protocol day 29", "Day 0 to Day 28"]


@case("dose_matches_arm")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "ACTARMCD": "DL2-FC"})
    params = {"levels": {"DL1": 40, "DL2": 120}, "unit": "10^6 cells"}
    finding = first(check("dose_matches_arm", dm, make_ex(product(1)), params=params))
    return finding, ["dose 40 10^6 cells", "arm DL2-FC", "expected 120"]


@case("endpoint_assessed")
def _(tmp_path):
    dm, ex = treated(1)
    mh = rows("MH", diagnosis(1, "RHEUMATOID ARTHRITIS"))
    rs = rows("RS", scored(1, "DAS28ESR", 2.1, "2025-06-01", VISIT="WEEK 52"))
    finding = first(check("endpoint_assessed", dm, ex, mh, rs, spec=ENDPOINT_SPEC))
    return finding, ["WEEK 52", "'2025-06-01'", "protocol day 83", "Day 350 to Day 378"]


@case("endpoint_responder")
def _(tmp_path):
    dm, ex = treated(1)
    rs = rows("RS", scored(1, "DAS28ESR", 3.4), scored(1, "DASRESP", "Y"))
    finding = first(check("endpoint_responder", dm, ex, rs, spec=ENDPOINT_SPEC))
    return finding, ["responder result Y", "DAS28-ESR 3.4", "(< 2.6)"]


@case("endpoint_values")
def _(tmp_path):
    rs = rows("RS", scored(1, "DAS28ESR", 11))
    finding = first(check("endpoint_values", rs, spec=ENDPOINT_SPEC))
    return finding, ["DAS28ESR = 11", "0 to 10"]


@case("escalation_3plus3")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "ACTARMCD": "DL1-FC"})
    ex = make_ex(product(1, EXDOSE="120"))
    params = {"levels": ["DL1", "DL2"], "doses": {"DL1": 40, "DL2": 120}, "data_cut": "2025-04-10"}
    finding = first(check("escalation_3plus3", dm, ex, make_dl(), params=params))
    return finding, ["DL1:", "another level's dose", f"EXSTDTC {DAY0}", "DL2's"]


@case("exposure_route")
def _(tmp_path):
    finding = first(check("exposure_route", make_ex(product(1, EXROUTE="SUBCUTANEOUS"))))
    return finding, ["PRODUCT", "'SUBCUTANEOUS'", "INTRAVENOUS"]


@case("infusion_after_procedure")
def _(tmp_path):
    pr = rows("PR", {"USUBJID": subject(1), "PRTRT": "HSCT", "PRSTDTC": "2025-01-01"})
    params = {"procedure": "HSCT", "first_day": 1, "last_day": 30}
    finding = first(check("infusion_after_procedure", make_ex(product(1)), pr, params=params))
    return finding, [f"PRODUCT on {DAY0}", "68 days after the HSCT", "1 to 30 days"]


@case("lymphodepletion_agents")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "ACTARMCD": "DL1-CY"})
    ex = make_ex(agent(1, "FLUDARABINE", "2025-03-05"), product(1))
    params = {"arms": {"CY": ["CYCLOPHOSPHAMIDE"], "FC": ["FLUDARABINE", "CYCLOPHOSPHAMIDE"]}}
    finding = first(check("lymphodepletion_agents", dm, ex, params=params))
    return finding, ["arm DL1-CY", "FLUDARABINE", "CYCLOPHOSPHAMIDE"]


@case("lymphodepletion_window")
def _(tmp_path):
    ex = make_ex(agent(1, "CYCLOPHOSPHAMIDE", "2025-03-03", "2025-03-05"), product(1))
    params = {"agents": ["CYCLOPHOSPHAMIDE"], "start_first_day": -5, "start_last_day": -3}
    finding = first(check("lymphodepletion_window", ex, params=params))
    return finding, ["EXSTDTC 2025-03-03", "protocol day -7", "Day -5 to Day -3"]


@case("planned_enrollment")
def _(tmp_path):
    dm = make_dm(*({"USUBJID": subject(n)} for n in range(1, 5)))
    finding = first(check("planned_enrollment", dm, params={"planned": 3}))
    assert finding.record is None
    return finding, ["4 subjects", "the 3 the protocol plans"]


@case("primary_diagnosis")
def _(tmp_path):
    dm, ex = treated(1)
    mh = rows("MH", diagnosis(1, "PSORIASIS"))
    finding = first(check("primary_diagnosis", dm, ex, mh, spec=ENDPOINT_SPEC))
    return finding, ["'PSORIASIS'", "(RA)"]


@case("required_comedication")
def _(tmp_path):
    result = check("required_comedication", make_ex(product(1)), params={"treatment": "RTX"})
    return first(result), ["PRODUCT", "RTX"]


@case("screen_failure_unexposed")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "ARMCD": "", "ARMNRS": "SCREEN FAILURE"})
    ex = make_ex(agent(1, "CYCLOPHOSPHAMIDE", "2025-03-05"))
    return first(check("screen_failure_unexposed", dm, ex)), ["CYCLOPHOSPHAMIDE"]


@case("screening_window")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1), "RFICDTC": "2025-02-04"})
    ex = make_ex(agent(1, "CYCLOPHOSPHAMIDE", "2025-03-05"), product(1))
    params = {"max_days": 28, "treatments": ["PRODUCT", "CYCLOPHOSPHAMIDE"]}
    finding = first(check("screening_window", dm, ex, params=params))
    return finding, ["(2025-02-04)", "29 days", "(2025-03-05)", "at most 28 days"]


@case("single_exposure")
def _(tmp_path):
    ex = make_ex(product(1), product(1, EXSTDTC="2025-03-20"))
    return first(check("single_exposure", ex)), ["2 PRODUCT exposure records"]


@case("unreported_dlt")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "AETERM": "SEPSIS", "AETOXGR": "3",
                  "AESTDTC": "2025-03-12"})  # fmt: skip
    dl = make_dl({"USUBJID": subject(1), "DLAESEQ": "9", "DLSTDTC": "2025-03-15"})
    finding = first(check("unreported_dlt", make_ex(product(1)), ae, dl))
    return finding, ["grade 3", "'SEPSIS'", "protocol day 2"]


# transfer and waivers ------------------------------------------------------------------------
def transfer_rule(kind: str, context: TransferContext) -> RuleResult:
    checker = all_kinds()[kind]
    rule = Rule(id="T-1", kind=kind, severity=Severity.ERROR, description="t", source="t")
    return run_rule(LoadedRule(rule, checker.params(), checker, "test"), context)


def compared(**fields) -> Comparison:
    return Comparison("old", "folder", True, **fields)


@case("removed_records")
def _(tmp_path):
    gone = {"usubjid": subject(1), "seq": 2, "record_before": 2}
    comparison = compared(datasets={"AE": {"removed": [gone], "key": ["AESEQ"]}})
    finding = first(transfer_rule("removed_records", TransferContext(Study({}), None, None,
                                                                    comparison)))  # fmt: skip
    return finding, ["AE record", subject(1), "AESEQ=2", "(record 2)"]


@case("removed_subjects")
def _(tmp_path):
    gone = {"usubjid": subject(3), "seq": 1, "record_before": 4}
    comparison = compared(
        datasets={"AE": {"removed": [gone], "key": ["AESEQ"]}}, subjects_removed=[subject(3)]
    )
    result = transfer_rule("removed_subjects", TransferContext(Study({}), None, None, comparison))
    return first(result), [subject(3), "1 AE records"]


@case("transfer_manifest")
def _(tmp_path):
    dm = make_dm({"USUBJID": subject(1)})
    entry = ManifestEntry(dataset="DM", file="dm.csv", records=5, sha256=dm.sha256 * 64)
    context = TransferContext(Study({"DM": dm}), tmp_path / "manifest.csv", [entry])
    finding = first(transfer_rule("transfer_manifest", context))
    return finding, ["dm.csv", "records 5", "has 1"]


def waiver(state: str) -> WaiverEntry:
    return WaiverEntry(1, "SD-CT", subject(1), "DM", None, "known", "QA", "2024-01-31", state, 0)


@case("waiver_expired")
def _(tmp_path):
    context = TransferContext(Study({}), waivers=[], waiver_entries=[waiver("expired")])
    finding = first(transfer_rule("waiver_expired", context))
    return finding, ["waiver 1", "rule SD-CT", subject(1), "2024-01-31"]


@case("waiver_unused")
def _(tmp_path):
    context = TransferContext(Study({}), waivers=[], waiver_entries=[waiver("unused")])
    finding = first(transfer_rule("waiver_unused", context))
    return finding, ["waiver 1", "rule SD-CT", subject(1)]


# CDISC Open Rules and GX suites: their messages are the rule's or the expectation's ----------
OPEN_RULE = {
    "Core": {"Id": "CORE-900001", "Status": "Published", "Version": "1"},
    "Check": {"all": [{"name": "AESER", "operator": "equal_to", "value": "Y"}]},
    "Description": "Raise an error when AESER is Y.",
    "Executability": "Fully Executable",
    "Outcome": {"Message": "AESER is Y."},
    "Rule Type": "Record Data",
    "Scope": {"Classes": {"Include": ["ALL"]}, "Domains": {"Include": ["AE"]}},
    "Sensitivity": "Record",
}


@case("open_rule")
def _(tmp_path):
    ae = make_ae({"USUBJID": subject(1), "AESER": "Y"})
    params = {"open_rule": parse_rule(OPEN_RULE)}
    finding = first(check("open_rule", ae, params=params))
    # the rule's own message, written by CDISC; the values it read are the finding's
    assert finding.values == {"AESER": "Y"}
    return finding, ["AESER is Y."]


@case(GX_KIND)
def _(tmp_path):
    pytest.importorskip("great_expectations")
    from trialguard.gx.rules import gx_rule
    from trialguard.validators.gx.gx_suite import Member
    from trialguard.validators.gx.suites import load_suite

    expectation = {
        "type": "expect_column_values_to_be_between",
        "kwargs": {"column": "AGE", "min_value": 18, "max_value": 65},
    }
    path = tmp_path / "team.json"
    path.write_text(json.dumps({"name": "team", "expectations": [expectation]}))
    loaded = gx_rule("GX-TEAM-1", (Member(load_suite("DM", path), 0),))
    dm = make_dm({"USUBJID": subject(1), "AGE": "70"})
    study = StudyContext(Study({"DM": dm}), make_spec())
    finding = first(run_rule(loaded, study))
    return finding, ["DM:", "AGE '70'", "min_value 18", "max_value 65"]


# the ways a conditional rule can fail, each worded with the record's values ------------------
@pytest.mark.parametrize(
    ("params", "record", "said"),
    [
        (  # a value of the subject's DM record, spelled out
            {"datasets": ["AE"], "when": {"AEOUT": {"equals": "FATAL"}},
             "then": {"DM.DTHFL": {"equals": "Y"}}},
            {"AEOUT": "FATAL"},
            "AEOUT is 'FATAL', but DM.DTHFL is 'N' (not 'Y')",
        ),
        (  # two variables compared
            {"then": {"--STDY": {"at_most": "--ENDY"}}},
            {"AESTDY": "5", "AEENDY": "3"},
            "AESTDY '5' is greater than AEENDY '3'",
        ),
        (  # variables the dataset lacks, counted as empty
            {"datasets": ["AE"], "absent_as_empty": True, "when": {"AESER": {"equals": "Y"}},
             "then_any": {"AESMIE": {"equals": "Y"}, "AESCONG": {"equals": "Y"}}},
            {"AESER": "Y"},
            "AESER is 'Y', but AESMIE and AESCONG are absent",
        ),
        (  # a pattern holding braces, and the value that does not match it
            {"then": {"--TERM": {"matches": "[A-Z ]{2,}"}}},
            {"AETERM": "x"},
            "AETERM is 'x' (does not match [A-Z ]{2,})",
        ),
        (  # filled together, or not at all
            {"datasets": ["AE"], "then": {"AEDECOD": {"populated_as": "AETERM"}}},
            {"AEDECOD": "Nausea", "AETERM": ""},
            "AEDECOD is 'Nausea' and AETERM is empty",
        ),
    ],
)  # fmt: skip
def test_a_conditional_rule_names_the_tests_that_failed_with_their_values(params, record, said):
    dm = make_dm({"USUBJID": subject(1), "DTHFL": "N"})
    ae = make_ae({"USUBJID": subject(1)} | record)
    result = check("conditional_values", dm, ae, params=params)
    assert [f.message for f in result.findings] == [said]


def test_a_conditional_rule_names_only_the_criteria_that_hold():
    ae = make_ae(
        {"USUBJID": subject(1), "AESER": "N", "AESHOSP": "Y", "AESDTH": "N"},
        {"USUBJID": subject(2), "AESER": "", "AESHOSP": "Y", "AESDTH": "Y"},
    )
    params = {"datasets": ["AE"], "when_any": CRITERIA, "then": {"AESER": {"equals": "Y"}}}
    result = check("conditional_values", ae, params=params)
    assert [(f.record, f.message) for f in result.findings] == [
        (1, "AESHOSP is 'Y', but AESER is 'N' (not 'Y')"),
        (2, "AESDTH is 'Y' and AESHOSP is 'Y', but AESER is empty (not 'Y')"),
    ]


def test_records_not_evaluable_say_why_and_name_their_values():
    dm = make_dm({"USUBJID": subject(1), "RFXSTDTC": "2025-03"})
    ex = make_ex({"USUBJID": subject(1), "EXSTDTC": "2025-03-04"})
    result = check("exposure_reference_dates", dm, ex, params={"date": "RFXSTDTC"})
    assert first(result, undecided=True).message == (
        "RFXSTDTC '2025-03' is partial: it cannot be compared with the first EXSTDTC 2025-03-04"
    )
    ae = make_ae({"USUBJID": subject(1), "AESTDTC": "2025-03", "AEENDTC": "2025-03-10"})
    assert first(check("start_not_after_end", ae), undecided=True).message == (
        "AESTDTC '2025-03' may be after AEENDTC '2025-03-10': a partial date leaves it open"
    )


# every kind ------------------------------------------------------------------------------------
def test_every_kind_has_a_case():
    assert set(CASES) == {*all_kinds(), GX_KIND}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_the_message_names_what_fails(kind, tmp_path):
    finding, named = CASES[kind](tmp_path)
    assert finding.kind == kind
    missing = [text for text in named if text not in finding.message]
    assert not missing, f"{finding.message!r} does not name {missing}"
