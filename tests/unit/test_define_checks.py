"""The DEF- checks on hand-made datasets against a small hand-written Define-XML 2.1."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest
from conftest import check, dataset, hits, make_ae, make_dm, subject

from trialguard.errors import InputError
from trialguard.readers.define_metadata import read_define
from trialguard.standards import DEFAULT_STANDARDS

DM_VARIABLES = [  # name, DataType, Length, label, Mandatory, KeySequence, codelist
    ("STUDYID", "text", 8, "Study Identifier", "Yes", 1, None),
    ("DOMAIN", "text", 2, "Domain Abbreviation", "Yes", None, None),
    ("USUBJID", "text", 8, "Unique Subject Identifier", "Yes", 2, None),
    ("AGE", "integer", 3, "Age", "No", None, None),
    ("SEX", "text", 1, "Sex", "Yes", None, "CL.SEX"),
]
DM_COLUMNS = ["STUDYID", "DOMAIN", "USUBJID", "AGE", "SEX"]


def define_xml(groups: dict[str, list[tuple]], extra: str = "") -> str:
    refs, items = [], []
    for group, variables in groups.items():
        item_refs = []
        for name, kind, length, label, mandatory, key, codelist in variables:
            key_attr = f' KeySequence="{key}"' if key else ""
            item_refs.append(
                f'<ItemRef ItemOID="IT.{group}.{name}" Mandatory="{mandatory}"{key_attr}/>'
            )
            ref = f'<CodeListRef CodeListOID="{codelist}"/>' if codelist else ""
            vlm = '<def:ValueListRef ValueListOID="VL.AE.AEOUT"/>' if name == "AEOUT" else ""
            items.append(
                f'<ItemDef OID="IT.{group}.{name}" Name="{name}" DataType="{kind}" '
                f'Length="{length}"><Description><TranslatedText>{label}</TranslatedText>'
                f"</Description>{ref}{vlm}</ItemDef>"
            )
        refs.append(
            f'<ItemGroupDef OID="IG.{group}" Name="{group}">{"".join(item_refs)}</ItemGroupDef>'
        )
    return (
        '<?xml version="1.0"?><ODM xmlns="http://www.cdisc.org/ns/odm/v1.3" '
        'xmlns:def="http://www.cdisc.org/ns/def/v2.1"><Study OID="S"><MetaDataVersion OID="M">'
        + "".join(refs) + "".join(items)
        + '<CodeList OID="CL.SEX" Name="Sex" DataType="text"><CodeListItem CodedValue="F"/>'
        '<CodeListItem CodedValue="M"/></CodeList>'
        + extra + "</MetaDataVersion></Study></ODM>"
    )  # fmt: skip


def standards_with(tmp_path: Path, groups: dict, extra: str = ""):
    path = tmp_path / "define.xml"
    path.write_text(define_xml(groups, extra), encoding="utf-8")
    return dataclasses.replace(DEFAULT_STANDARDS, define=read_define(path))


def typed_dm(**columns) -> object:
    """A DM as an XPT file gives it: AGE numeric, labels and lengths declared."""
    dm = make_dm({"USUBJID": subject(1), "AGE": "40", "SEX": "F"})
    dm.frame = dm.frame[DM_COLUMNS].copy()
    dm.frame["AGE"] = pd.to_numeric(dm.frame["AGE"])
    dm.format, dm.numeric = "xpt", frozenset({"AGE"})
    dm.labels = {v[0]: v[3] for v in DM_VARIABLES}
    dm.lengths = {v[0]: v[2] for v in DM_VARIABLES if v[1] == "text"}
    for name, value in columns.items():
        setattr(dm, name, value)
    return dm


def test_every_def_rule_is_not_applicable_without_a_define():
    result = check("define_variables", make_dm({"USUBJID": subject(1)}))
    assert result.status == "not_run" and result.excused and "no define.xml" in result.reason


def test_datasets_in_one_and_not_the_other(tmp_path):
    standards = standards_with(tmp_path, {"DM": DM_VARIABLES, "EX": DM_VARIABLES[:3]})
    result = check(
        "define_datasets", typed_dm(), make_ae({"USUBJID": subject(1)}), standards=standards
    )
    messages = sorted(f.message for f in result.findings)
    assert messages == ["AE: in the transfer, not in the define.xml",
                        "EX: described in the define.xml, not supplied"]  # fmt: skip


def test_variables_in_one_and_not_the_other(tmp_path):
    standards = standards_with(
        tmp_path, {"DM": DM_VARIABLES[:4] + [("RACE", "text", 5, "Race", "No", None, None)]}
    )
    result = check("define_variables", typed_dm(), standards=standards)
    assert sorted((f.variables, f.record) for f in result.findings) == [
        (("RACE",), None),
        (("SEX",), None),
    ]


def test_types_labels_and_declared_lengths(tmp_path):
    variables = [list(v) for v in DM_VARIABLES]
    variables[3][1] = "text"  # AGE said to be text
    variables[2][3] = "Subject"  # another label for USUBJID
    variables[0][2] = 4  # STUDYID: the file declares 8
    standards = standards_with(tmp_path, {"DM": [tuple(v) for v in variables]})
    dm = typed_dm()
    types = check("define_types", dm, standards=standards)
    assert [(f.variables, f.message) for f in types.findings] == [
        (("AGE",), "DM.AGE is numeric in the data; the define.xml says text")
    ]
    labels = check("define_labels", dm, standards=standards)
    assert [f.variables for f in labels.findings] == [("USUBJID",)]
    lengths = check("define_lengths", dm, standards=standards)
    # the file declares 8 where the define allows 4; the value "S1" itself fits
    assert [(f.variables, f.record) for f in lengths.findings] == [(("STUDYID",), None)]


def test_a_value_longer_than_the_define_length_is_a_record_finding(tmp_path):
    standards = standards_with(tmp_path, {"DM": DM_VARIABLES})
    dm = typed_dm()
    dm.frame.loc[1, "USUBJID"] = "S1-0000001"  # 10 bytes; the define gives 8
    result = check("define_lengths", dm, standards=standards)
    assert [(f.record, f.variables) for f in result.findings] == [(1, ("USUBJID",))]
    csv = make_dm({"USUBJID": "Ü" * 5})  # 10 bytes in UTF-8
    assert hits(check("define_lengths", csv, standards=standards)) == [("DM", 1, "Ü" * 5)]


def test_csv_files_are_not_compared_for_types_and_labels(tmp_path):
    standards = standards_with(tmp_path, {"DM": DM_VARIABLES})
    result = check("define_types", make_dm({"USUBJID": subject(1)}), standards=standards)
    assert result.status == "passed" and "CSV files carry no types" in result.notes[0]


def test_codelists_and_value_level_where_clauses(tmp_path):
    ae_variables = [
        ("STUDYID", "text", 8, "Study Identifier", "Yes", 1, None),
        ("USUBJID", "text", 8, "Unique Subject Identifier", "Yes", 2, None),
        ("AESEQ", "integer", 8, "Sequence Number", "Yes", 3, None),
        ("AESER", "text", 1, "Serious Event", "No", None, None),
        ("AEOUT", "text", 30, "Outcome", "No", None, "CL.OUT"),
    ]
    vlm = (
        '<def:ValueListDef OID="VL.AE.AEOUT"><ItemRef ItemOID="IT.AEOUT.SER" Mandatory="Yes">'
        '<def:WhereClauseRef WhereClauseOID="WC.SER"/></ItemRef></def:ValueListDef>'
        '<def:WhereClauseDef OID="WC.SER"><RangeCheck Comparator="EQ" SoftHard="Soft" '
        'def:ItemOID="IT.AE.AESER"><CheckValue>Y</CheckValue></RangeCheck></def:WhereClauseDef>'
        '<ItemDef OID="IT.AEOUT.SER" Name="AEOUT" DataType="text" Length="30">'
        '<CodeListRef CodeListOID="CL.OUT.SER"/></ItemDef>'
        '<CodeList OID="CL.OUT" Name="Outcome" DataType="text">'
        '<CodeListItem CodedValue="RECOVERED"/><CodeListItem CodedValue="FATAL"/></CodeList>'
        '<CodeList OID="CL.OUT.SER" Name="Serious outcome" DataType="text">'
        '<CodeListItem CodedValue="FATAL"/></CodeList>'
    )
    standards = standards_with(tmp_path, {"DM": DM_VARIABLES, "AE": ae_variables}, vlm)
    ae = make_ae(
        {"USUBJID": subject(1), "AESER": "Y", "AEOUT": "RECOVERED"},  # serious: FATAL only
        {"USUBJID": subject(1), "AESER": "N", "AEOUT": "RECOVERED"},
        {"USUBJID": subject(1), "AESER": "N", "AEOUT": "UNKNOWN"},  # not in CL.OUT
        {"USUBJID": subject(1), "AESER": "Y", "AEOUT": "FATAL"},
    )
    dm = make_dm({"USUBJID": subject(1), "SEX": "X"})
    result = check("define_codelists", dm, ae, standards=standards)
    found = sorted((f.domain, f.record, f.context["codelist"]) for f in result.findings)
    assert found == [("AE", 1, "CL.OUT.SER"), ("AE", 3, "CL.OUT"), ("DM", 1, "CL.SEX")]


def test_keys_by_key_sequence_and_mandatory_values(tmp_path):
    standards = standards_with(tmp_path, {"DM": DM_VARIABLES})
    dm = dataset("DM", [
        {"STUDYID": "S1", "DOMAIN": "DM", "USUBJID": subject(1), "SEX": "F"},
        {"STUDYID": "S1", "DOMAIN": "DM", "USUBJID": subject(1), "SEX": None},
        {"STUDYID": "S1", "DOMAIN": "DM", "USUBJID": subject(2), "SEX": "M"},
    ])  # fmt: skip
    keys = check("define_keys", dm, standards=standards)
    assert [f.record for f in keys.findings] == [1, 2]
    assert keys.findings[0].message == (
        "DM: the define.xml key STUDYID 'S1' + USUBJID 'S1-001' is repeated"
    )
    mandatory = check("define_mandatory", dm, standards=standards)
    assert [(f.record, f.variables) for f in mandatory.findings] == [(2, ("SEX",))]


def test_a_define_without_key_sequence_is_noted(tmp_path):
    variables = [v[:5] + (None,) + v[6:] for v in DM_VARIABLES]
    result = check("define_keys", typed_dm(), standards=standards_with(tmp_path, {"DM": variables}))
    assert result.status == "passed" and "has no KeySequence" in result.notes[0]


def test_a_broken_define_names_the_file_and_line(tmp_path):
    path = tmp_path / "define.xml"
    path.write_text('<?xml version="1.0"?>\n<ODM>\n<Study>\n</ODM>')
    with pytest.raises(InputError, match="line 4: not well-formed XML"):
        read_define(path)
    path.write_text(
        define_xml({"DM": DM_VARIABLES}).replace('ItemOID="IT.DM.AGE"', 'ItemOID="IT.X"')
    )
    define = read_define(path)  # the reference that does not resolve is a problem, AGE left out
    assert "names no ItemDef (ItemOID IT.X)" in [p.problem for p in define.problems]
    assert define.datasets["DM"].variable("AGE") is None


def test_a_define_with_entities_reads_no_file_and_expands_nothing(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    text = (
        define_xml({"DM": DM_VARIABLES})
        .replace(
            '<?xml version="1.0"?>',
            f'<?xml version="1.0"?><!DOCTYPE ODM [<!ENTITY leak SYSTEM "file://{secret}">'
            '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        )
        .replace(">Sex<", ">&leak;&b;<")
    )
    path = tmp_path / "define.xml"
    path.write_text(text, encoding="utf-8")
    label = read_define(path).datasets["DM"].variable("SEX").label
    assert "TOP SECRET" not in label and "aaaaaaaaaa" not in label


def test_what_the_schema_requires_is_a_def_xml_finding_and_spoils_nothing_else(tmp_path):
    text = define_xml({"DM": DM_VARIABLES})
    text = text.replace('KeySequence="2"', 'KeySequence="two"')
    text = text.replace('<CodeList OID="CL.SEX"', "<CodeList")
    path = tmp_path / "define.xml"
    path.write_text(text, encoding="utf-8")
    define = read_define(path)
    problems = sorted(p.problem for p in define.problems)
    assert "has KeySequence 'two', not a whole number" in problems
    assert "lacks the required attribute OID" in problems
    assert define.codelists == {}  # a codelist without OID applies to no variable
    standards = dataclasses.replace(DEFAULT_STANDARDS, define=define)
    keys = check("define_keys", typed_dm(), standards=standards)
    assert keys.findings == [] and "KeySequence 'two'" in keys.notes[0]
    codes = check("define_codelists", typed_dm(), standards=standards)
    assert codes.findings == []
    structure = check("define_structure", typed_dm(), standards=standards)
    assert len(structure.findings) >= 2


def test_numeric_codelists_compare_as_numbers(tmp_path):
    variables = [
        v if v[0] != "AGE" else ("AGE", "integer", 3, "Age", "No", None, "CL.AGE")
        for v in DM_VARIABLES
    ]
    extra = (
        '<CodeList OID="CL.AGE" Name="Age" DataType="integer">'
        '<CodeListItem CodedValue="40.0"/></CodeList>'
    )
    standards = standards_with(tmp_path, {"DM": variables}, extra)
    assert check("define_codelists", typed_dm(), standards=standards).findings == []


def test_value_level_mandatory_and_an_unknown_where_clause(tmp_path):
    ae_variables = [
        ("STUDYID", "text", 8, "Study Identifier", "Yes", 1, None),
        ("USUBJID", "text", 8, "Unique Subject Identifier", "Yes", 2, None),
        ("AESER", "text", 1, "Serious Event", "No", None, None),
        ("AEOUT", "text", 30, "Outcome", "No", None, None),
    ]
    vlm = (
        '<def:ValueListDef OID="VL.AE.AEOUT"><ItemRef ItemOID="IT.AEOUT.SER" Mandatory="Yes">'
        '<def:WhereClauseRef WhereClauseOID="WC.SER"/></ItemRef>'
        '<ItemRef ItemOID="IT.AEOUT.SER" Mandatory="Yes">'
        '<def:WhereClauseRef WhereClauseOID="WC.NONE"/>'
        "</ItemRef></def:ValueListDef>"
        '<def:WhereClauseDef OID="WC.SER"><RangeCheck Comparator="EQ" SoftHard="Soft" '
        'def:ItemOID="IT.AE.AESER"><CheckValue>Y</CheckValue></RangeCheck></def:WhereClauseDef>'
        '<ItemDef OID="IT.AEOUT.SER" Name="AEOUT" DataType="text" Length="30"/>'
    )
    standards = standards_with(tmp_path, {"AE": ae_variables}, vlm)
    ae = make_ae(
        {"USUBJID": subject(1), "AESER": "Y", "AEOUT": None},
        {"USUBJID": subject(1), "AESER": "N", "AEOUT": None},
    )
    result = check("define_mandatory", make_dm({"USUBJID": subject(1)}), ae, standards=standards)
    assert [(f.domain, f.record) for f in result.findings] == [("AE", 1)]
    assert "names no WhereClauseDef (WC.NONE)" in [p.problem for p in standards.define.problems]


def test_datasets_are_compared_all_of_them_a_split_dataset_by_its_own_name(tmp_path):
    identifiers = DM_VARIABLES[:3]
    groups = {n: identifiers for n in ("DM", "LBCH", "SUPPLBCH", "QS", "RELREC")}
    standards = standards_with(tmp_path, groups)
    lbch = dataset("LBCH", [{"STUDYID": "S1", "DOMAIN": "LB", "USUBJID": subject(1)}])
    supplbch = dataset("SUPPLBCH", [{"STUDYID": "S1", "RDOMAIN": "LB", "USUBJID": subject(1)}])
    ta = dataset("TA", [{"STUDYID": "S1", "DOMAIN": "TA", "ARMCD": "A"}])
    lbhe = dataset("LBHE", [{"STUDYID": "S1", "DOMAIN": "LB", "USUBJID": subject(1)}])
    result = check("define_datasets", typed_dm(), lbch, supplbch, ta, lbhe, standards=standards)
    assert [(f.domain, f.message) for f in result.findings] == [
        ("LBHE", "LBHE: in the transfer, not in the define.xml"),
        ("TA", "TA: in the transfer, not in the define.xml"),
        ("QS", "QS: described in the define.xml, not supplied"),
        ("RELREC", "RELREC: described in the define.xml, not supplied"),
    ]


def test_an_unreadable_dataset_is_in_the_transfer(tmp_path):
    from trialguard.readers.study import Unreadable

    standards = standards_with(tmp_path, {"DM": DM_VARIABLES, "AE": DM_VARIABLES[:3]})
    unreadable = [Unreadable("AE", "ae.xpt", "not an XPT file"),
                  Unreadable("CM", "cm.xpt", "not an XPT file")]  # fmt: skip
    result = check("define_datasets", typed_dm(), standards=standards, unreadable=unreadable)
    assert [f.message for f in result.findings] == ["CM: in the transfer, not in the define.xml"]
