"""The SDTMIG version and CT release a study is judged by: where each comes from, and what
changes with them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CT_2023, CT_2025, check, hits, make_ae, make_dm, make_ex

from trialguard.errors import InputError, UsageError
from trialguard.readers.define import define_ig_version
from trialguard.sdtm.ct_release import BUNDLED, NCI_HEADER, load_ct_release
from trialguard.sdtm.ig_version import IgVersion, known_ig, study_ig
from trialguard.sdtm.terminology import CODELISTS
from trialguard.standards import Standards, check_pinned_release, given_ig

EXTERNAL_DEFINES = CT_2025.parents[1] / "define-xml"
needs_ct = pytest.mark.skipif(not CT_2025.is_file(), reason="shared/external/ct not beside")


def nci_file(tmp_path: Path, rows: list[tuple], name: str = "SDTM Terminology 2024-09-27.txt"):
    lines = ["\t".join(NCI_HEADER), *("\t".join(row) for row in rows)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


NY_ROWS = [
    ("C66742", "", "No", "No Yes Response", "NY", "", "def", "pt"),
    ("C49487", "C66742", "", "No Yes Response", "N", "No", "def", "No"),
    ("C48660", "C66742", "", "No Yes Response", "NA", "", "def", "Not Applicable"),
    ("C49488", "C66742", "", "No Yes Response", "Y", "Yes", "def", "Yes"),
]


# ---------------------------------------------------------------- the CT file
def test_a_ct_file_keeps_na_as_a_term_and_takes_its_release_from_the_file_name(tmp_path):
    release = load_ct_release(nci_file(tmp_path, NY_ROWS))
    assert release.release == "2024-09-27" and not release.bundled
    assert release.codelists["C66742"].terms == {"N", "NA", "Y"}
    assert release.codelist("NY").terms == {"N", "NA", "Y"}
    assert release.codelist("NY_YN").terms == {"Y", "N"}  # the IG's subset stays
    assert release.sha256 and len(release.sha256) == 64


@pytest.mark.parametrize(
    ("rows", "header", "says"),
    [
        (NY_ROWS, "Code\tName\n", "line 1: expected the NCI EVS header"),
        ([NY_ROWS[0], ("C1", "C66742", "", "x", "y")], None, "line 3: 5 fields, expected 8"),
        ([NY_ROWS[1]], None, "line 2: term C49487 of codelist C66742 before its codelist row"),
        ([("C1", "", "Maybe", "n", "X", "", "d", "p")], None, "Extensible 'Maybe', not Yes/No"),
        ([], None, "holds no codelist"),
    ],
)
def test_a_broken_ct_file_is_refused_naming_the_line(tmp_path, rows, header, says):
    path = nci_file(tmp_path, rows)
    if header is not None:
        path.write_text(header + path.read_text().split("\n", 1)[1])
    with pytest.raises(InputError, match=says):
        load_ct_release(path)


def test_a_ct_file_that_is_not_utf8_is_refused(tmp_path):
    path = nci_file(tmp_path, NY_ROWS)
    path.write_bytes(path.read_bytes().replace(b"Yes Response", b"Yes \xff"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_ct_release(path)


@needs_ct
def test_the_bundled_closed_codelists_equal_the_2025_release_and_subsets_are_subsets():
    full = load_ct_release(CT_2025)
    for name, bundled in CODELISTS.items():
        if not bundled.from_release and bundled.code == "sponsor":
            continue
        terms = full.codelists[bundled.code].terms
        if bundled.subset_of_codelist or bundled.extensible:
            assert bundled.terms - bundled.extra_terms <= terms, name
        else:
            assert bundled.terms - bundled.extra_terms == terms, name


@needs_ct
def test_two_releases_differ_where_cdisc_changed_them():
    old, new = load_ct_release(CT_2023), load_ct_release(CT_2025)
    assert (old.release, new.release) == ("2023-12-15", "2025-03-25")
    assert len(new.codelists["C71620"].terms) == 929 and len(old.codelists["C71620"].terms) == 890
    assert "EARLY PHASE I" in new.codelists["C66737"].terms
    assert "EARLY PHASE I" not in old.codelists["C66737"].terms
    assert not old.codelists["C119014"].extensible and new.codelists["C119014"].extensible


# ---------------------------------------------------------------- CT rules
def test_aeser_na_is_refused_although_na_is_a_term_of_ny():
    result = check("controlled_terminology", make_ae({"USUBJID": "S1-001", "AESER": "NA"}))
    assert hits(result) == [("AE", 1, "S1-001")]
    assert result.findings[0].variables == ("AESER",)


def test_sex_intersex_is_a_term():
    assert hits(check("controlled_terminology", make_dm({"USUBJID": "S1-001"}))) == []
    dm = make_dm({"USUBJID": "S1-001", "SEX": "INTERSEX"}, {"USUBJID": "S1-002", "SEX": "X"})
    assert hits(check("controlled_terminology", dm)) == [("DM", 2, "S1-002")]


def test_without_ct_an_unknown_extensible_term_is_for_the_subset_rule_only():
    ex = make_ex({"USUBJID": "S1-001", "EXDOSU": "SYRINGE"})
    subset = check(
        "controlled_terminology", ex, params={"extensible": True, "against": "bundled_subset"}
    )
    assert hits(subset) == [("EX", 1, "S1-001")]
    full = check(
        "controlled_terminology", ex, params={"extensible": True, "against": "full_release"}
    )
    assert full.status == "not_run" and "--ct" in full.reason and full.excused


def test_with_a_ct_release_its_terms_decide_and_the_subset_rule_does_not_run(tmp_path):
    rows = [
        ("C71620", "", "Yes", "Unit", "UNIT", "", "d", "p"),
        ("C1", "C71620", "", "Unit", "SYRINGE", "", "d", "p"),
        ("C2", "C71620", "", "Unit", "mg", "", "d", "p"),
    ]
    standards = Standards(IgVersion("3.4", "default"), load_ct_release(nci_file(tmp_path, rows)))
    ex = make_ex({"USUBJID": "S1-001", "EXDOSU": "SYRINGE"}, {"USUBJID": "S1-002", "EXDOSU": "x"})
    params = {"extensible": True, "against": "full_release"}
    full = check("controlled_terminology", ex, params=params, standards=standards)
    assert hits(full) == [("EX", 2, "S1-002")]
    assert "CDISC CT 2024-09-27" in full.findings[0].message
    subset = check(
        "controlled_terminology",
        ex,
        params=params | {"against": "bundled_subset"},
        standards=standards,
    )
    assert subset.status == "not_run"


def test_a_spec_that_pins_a_release_refuses_another(tmp_path):
    check_pinned_release(load_ct_release(nci_file(tmp_path, NY_ROWS)), "2024-09-27")
    with pytest.raises(UsageError, match="pins CDISC CT 2025-03-25"):
        check_pinned_release(load_ct_release(nci_file(tmp_path, NY_ROWS)), "2025-03-25")
    with pytest.raises(UsageError, match="give that release with --ct"):
        check_pinned_release(BUNDLED, "2025-03-25")


# ---------------------------------------------------------------- the IG version
def test_the_study_states_its_version_before_the_user_and_the_default():
    assert study_ig("3.2", "3.3", "define.xml", None) == IgVersion("3.2", "TS SDTIGVER")
    assert study_ig(None, "3.1.2", "d.xml", None) == IgVersion("3.1.2", "d.xml")
    given = study_ig("SDTMIG 3.3", None, None, "3.4")
    assert given.version == "3.3" and "--ig 3.4 was not used" in given.note
    assert study_ig(None, None, None, "3.2") == IgVersion("3.2", "--ig")
    default = study_ig(None, None, None, None)
    assert default.version == "3.4" and "give --ig" in default.note
    unknown = study_ig("4.0", None, None, None)
    assert unknown.version == "3.4" and "no model of" in unknown.note


@pytest.mark.parametrize(
    ("text", "version"),
    [("3.2", "3.2"), ("v3.3", "3.3"), ("3-4", "3.4"), ("SDTMIG 3.1.2", "3.1.2"), ("1.7", None)],
)
def test_version_texts(text, version):
    assert known_ig(text) == version


def test_ig_option_is_checked():
    assert given_ig("3.3") == "3.3" and given_ig("SDTMIG v3.2") == "3.2"
    with pytest.raises(UsageError, match="--ig must be one of"):
        given_ig("3.9")


@pytest.mark.skipif(not EXTERNAL_DEFINES.is_dir(), reason="shared/external not beside")
@pytest.mark.parametrize(
    ("relative", "version"),
    [
        ("phuse-tdf-sdtm/define.xml", "3.2"),  # Define-XML 2.0
        ("cdisc-2.0-sdtm-example/define.cdisc.sdtm.xml", "3.1.2"),
        ("cdisc-2.1-sdtm-example/defineV21-SDTM.xml", "3.1.2"),  # DM points at STD.1 (3.1.2)
        ("../cdiscpilot01/define.xml", "3.1.2"),  # Define-XML 1.0
        ("../dataset-json/cdisc-msg-sdtm/json/define.xml", "3.3"),  # "STDTMIG", a typo
    ],
)
def test_defines_of_every_version_name_their_ig(relative, version):
    assert define_ig_version(EXTERNAL_DEFINES / relative) == version


def test_a_define_with_an_entity_is_not_expanded_nor_fetched(tmp_path):
    path = tmp_path / "define.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" xmlns:def="http://www.cdisc.org/ns/def/v2.0">'
        '<Study><MetaDataVersion def:StandardName="SDTM-IG" def:StandardVersion="3.2">&e;'
        "</MetaDataVersion></Study></ODM>"
    )
    assert define_ig_version(path) == "3.2"


def test_a_broken_define_names_the_line(tmp_path):
    path = tmp_path / "define.xml"
    path.write_text("<ODM>\n<Study>\n</ODM>\n")
    with pytest.raises(InputError, match="line 3: not well-formed XML"):
        define_ig_version(path)


# ---------------------------------------------------------------- what the version changes
def test_armnrs_is_expected_from_33_on_only():
    dm = make_dm({"USUBJID": "S1-001"})
    old = Standards(IgVersion("3.2", "--ig"), BUNDLED)
    new = Standards(IgVersion("3.3", "--ig"), BUNDLED)
    missing = {
        f.variables
        for f in check("required_variables", dm, params={"core": "Exp"}, standards=new).findings
    }
    assert {("ARMNRS",), ("ACTARMUD",)} <= missing
    missing_old = {
        f.variables
        for f in check("required_variables", dm, params={"core": "Exp"}, standards=old).findings
    }
    assert not {("ARMNRS",), ("ACTARMUD",)} & missing_old


def write_transfer(folder: Path, ts_version: str | None) -> Path:
    folder.mkdir()
    (folder / "dm.csv").write_text(
        "STUDYID,DOMAIN,USUBJID,SUBJID,SITEID,SEX,COUNTRY,ARMCD,ARM,ACTARMCD,ACTARM\n"
        "S1,DM,S1-001,1,01,F,USA,A,Arm A,A,Arm A\n"
    )
    if ts_version is not None:
        (folder / "ts.csv").write_text(
            f"STUDYID,DOMAIN,TSSEQ,TSPARMCD,TSVAL\nS1,TS,1,SDTIGVER,{ts_version}\n"
        )
    return folder


def test_a_transfer_with_ts_is_judged_by_its_version_and_ts_is_listed_as_read(tmp_path):
    import trialguard

    report = trialguard.validate(write_transfer(tmp_path / "t", "3.2"), "sdtm", ig="3.4")
    assert (report.standards.ig_version, report.standards.ig_source) == ("3.2", "TS SDTIGVER")
    assert "--ig 3.4 was not used" in report.standards.ig_note
    assert {i.dataset: i.records for i in report.inputs} == {"DM": 1, "TS": 1}
    assert not [f for f in report.findings() if "ARMNRS" in f.variables]


def test_a_define_given_that_cannot_be_read_stops_the_run_one_found_is_noted(tmp_path):
    import trialguard

    folder = write_transfer(tmp_path / "t", None)
    (folder / "define.xml").write_text("<ODM/>")
    report = trialguard.validate(folder, "sdtm")
    assert report.standards.ig_source == "default"
    assert "define.xml was not used: no MetaDataVersion" in report.standards.ig_note
    with pytest.raises(InputError, match="no MetaDataVersion"):
        trialguard.validate(folder, "sdtm", define=folder / "define.xml")
