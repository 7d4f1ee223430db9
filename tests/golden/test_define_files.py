"""Every real define.xml of ../shared/external reads; the DEF- rules run on each; the broken
one (CORE's, an ItemGroupDef without def:Structure) gets a clear finding with its line."""

from __future__ import annotations

import pytest
from conftest import EXTERNAL, PILOT

import trialguard
from trialguard.readers.define_metadata import read_define

DEFINES = {  # path: (Define-XML version, datasets described, required attributes missing)
    # two where clauses name IT.SUPPLB.QNAM, an ItemDef the define does not have (its split
    # datasets' are IT.SUPPLBCH.QNAM, ...): judged true
    "define-xml/phuse-tdf-sdtm/define.xml": ("2.0", 31, 2),
    "define-xml/cdisc-2.0-sdtm-example/define.cdisc.sdtm.xml": ("2.0", 34, 0),
    "define-xml/cdisc-2.1-sdtm-example/defineV21-SDTM.xml": ("2.1", 11, 0),
    "define-xml/core-invalid/SEND_define_DM_test_defStructure_absent.xml": ("2.1", 1, 1),
    "dataset-json/cdisc-msg-sdtm/json/define.xml": ("2.1", 31, 0),
    "cdiscpilot01/define.xml": ("1.0", 22, 0),
}
DM = EXTERNAL / "define-xml" / "phuse-tdf-sdtm" / "dm.xpt"


@pytest.mark.parametrize("path", DEFINES)
def test_each_real_define_reads_and_the_def_rules_run_on_it(path):
    define = read_define(EXTERNAL / path)
    version, datasets, missing = DEFINES[path]
    assert (define.version, len(define.datasets), len(define.problems)) == (
        version,
        datasets,
        missing,
    )
    report = trialguard.validate(DM, spec="sdtm", define=EXTERNAL / path)
    ran = [r for r in report.results if r.rule.id.startswith("DEF-")]
    assert len(ran) == 9 and not [r for r in ran if r.status == "error"], ran


def test_the_broken_define_gets_a_finding_naming_the_line():
    broken = (
        EXTERNAL / "define-xml" / "core-invalid" / "SEND_define_DM_test_defStructure_absent.xml"
    )
    report = trialguard.validate(DM, spec="sdtm", define=broken)
    [finding] = report.rule("DEF-XML").findings
    assert finding.message == (
        "SEND_define_DM_test_defStructure_absent.xml line 48: ItemGroupDef CES:DM lacks the "
        "required attribute def:Structure"
    )


def test_the_pilot_with_its_define_1_0_describes_only_datasets_it_holds_but_three():
    report = trialguard.validate(PILOT, spec="sdtm")
    found = [(f.rule_id, f.domain) for f in report.findings() if f.rule_id.startswith("DEF-")]
    # this copy of the pilot lacks LB, QS, RELREC, SC, SUPPDS, SUPPLB and VS, which its define
    # describes
    absent = ["LB", "QS", "RELREC", "SC", "SUPPDS", "SUPPLB", "VS"]
    assert found == [("DEF-DATASET", name) for name in absent]
    assert report.rule("DEF-XML").status == "passed"  # 1.0: references and numbers only


def test_the_ct_release_a_define_names_is_compared_with_the_runs(tmp_path):
    from conftest import CT_2025

    folder = EXTERNAL / "dataset-json" / "cdisc-msg-sdtm" / "json"
    bundled = trialguard.validate(folder, spec="sdtm").standards.ct_note
    assert bundled == (
        "the define.xml names CDISC CT 2020-12-18; judged with the bundled lists: give that "
        "release with --ct"
    )
    given = trialguard.validate(folder, spec="sdtm", ct=CT_2025)
    assert given.standards.ct_note.endswith("the run uses CDISC CT 2025-03-25")
    report = given.write_json(tmp_path / "r.json").read_text()
    assert '"note": "the define.xml names CDISC CT 2020-12-18; the run uses' in report
