"""The parts of open-rule execution other than the operators: scope, Match Datasets,
operations' helpers and the outcome, on small hand-made tables."""

from __future__ import annotations

import pandas as pd

from trialguard.openrules.frame import RuleFrame
from trialguard.openrules.matching import domain_merged, parent_joined, supp_merged
from trialguard.openrules.model import Match, OpenRule, Scope
from trialguard.openrules.operations import per_row
from trialguard.openrules.outcome import flagged
from trialguard.openrules.scope import DatasetInfo, class_in_scope, dataset_class, in_scope


def table(**columns: list[object]) -> pd.DataFrame:
    frame = pd.DataFrame(columns)
    return frame.set_axis(pd.RangeIndex(1, len(frame) + 1, name="record"))


def info(name: str, domain: str | None, *columns: str, rdomain: str | None = None) -> DatasetInfo:
    return DatasetInfo(name, domain, rdomain, columns)


def rule(**fields: object) -> OpenRule:
    base: dict[str, object] = dict(
        id="CORE-X",
        description="",
        message="",
        rule_type="Record Data",
        sensitivity="Record",
        executability="",
        check={"all": []},
        scope=Scope(),
        citations=(),
    )
    return OpenRule(**(base | fields))  # type: ignore[arg-type]


def test_info_of_split_supp_and_ap_datasets() -> None:
    assert info("QS1", "QS").unsplit == "QS"
    supp = info("SUPPAE", None, "RDOMAIN", rdomain="AE")
    assert supp.unsplit == "SUPPAE" and supp.wildcard == "" and supp.is_supp
    ap = info("APSU", "APSU", "SUTRT")
    assert ap.is_ap and ap.ap_suffix == "SU" and ap.wildcard == "SU"


def test_classes_all_wins_over_exclude_and_findings_about_is_findings() -> None:
    fa = info("FA", "FA", "FATESTCD", "FAOBJ")
    assert class_in_scope(Scope(classes_in=("ALL",), classes_out=("FINDINGS ABOUT",)), fa, [])
    assert class_in_scope(Scope(classes_in=("FINDINGS",)), fa, [])
    assert not class_in_scope(Scope(classes_in=("FINDINGS ABOUT",)), info("LB", "LB"), [])


def test_custom_and_ap_classes_come_from_variables_and_parent() -> None:
    assert dataset_class(info("XY", "XY", "DOMAIN", "XYTERM")) == "EVENTS"
    assert dataset_class(info("SUPPXY", None, "RDOMAIN", "QNAM", rdomain="XY")) == "RELATIONSHIP"
    su = info("SU", "SU", "SUTRT")
    assert dataset_class(info("APSU", "APSU", "APID"), [su]) == "INTERVENTIONS"


def test_domains_supp_pattern_and_exclude() -> None:
    supp = info("SUPPAE", None, rdomain="AE")
    assert in_scope(Scope(domains_in=("SUPP--",)), supp)
    assert not in_scope(Scope(domains_out=("SUPPAE",)), supp)
    assert in_scope(Scope(domains_in=("DM",)), info("DMX", "DM"))


def test_domain_merge_is_inner_and_names_clashes() -> None:
    ae = table(USUBJID=["1", "2", "3"], STUDYID=["S", "S", "S"])
    dm = pd.DataFrame(
        {"USUBJID": ["1", "1", "2"], "STUDYID": ["S", "S", "T"], "RFSTDTC": ["a", "b", "c"]}
    )
    merged = domain_merged(Match("DM", ("USUBJID",)), info("AE", "AE"), ae, dm, {"DM.RFSTDTC"})
    assert list(merged.index) == [1, 1, 2]  # 3 has no DM record; 1 has two
    assert list(merged["DM.RFSTDTC"]) == ["a", "b", "c"]
    assert list(merged["STUDYID.DM"]) == ["S", "S", "T"]


def test_supp_pivot_joins_by_idvar() -> None:
    ae = table(USUBJID=["1", "1"], AESEQ=[1.0, 2.0])
    supp = pd.DataFrame(
        {"USUBJID": ["1"], "IDVAR": ["AESEQ"], "IDVARVAL": ["2"], "QNAM": ["AEX"], "QVAL": ["Y"]}
    )
    merged = supp_merged(ae, supp)
    assert merged["AEX"].isna().tolist() == [True, False]
    assert list(merged.index) == [1, 2]


def test_child_takes_the_parent_record_idvar_points_at() -> None:
    supp = table(USUBJID=["1", "1"], IDVAR=["AESEQ", "AESEQ"], IDVARVAL=["2", "9"])
    ae = pd.DataFrame({"USUBJID": ["1", "1"], "AESEQ": [1.0, 2.0], "AETERM": ["A", "B"]})
    joined = parent_joined(supp, ae, ["USUBJID"])
    assert joined["AETERM"].tolist()[0] == "B" and pd.isna(joined["AETERM"].tolist()[1])


def test_grouped_results_follow_the_rows_even_repeated() -> None:
    frame = RuleFrame(
        table(USUBJID=["1", "2", "1"]).set_axis(pd.Index([1, 1, 2], name="record")), "AE", "AE"
    )
    looked = per_row(frame, ["USUBJID"], pd.DataFrame({"USUBJID": ["1"], "$": [5]}), "$")
    assert looked.tolist() == [5, None, 5]


def test_record_sensitivity_reports_a_record_once_and_dataset_once() -> None:
    data = table(USUBJID=["1", "1", "2"], AETERM=["x", "x", "y"]).set_axis(
        pd.Index([1, 1, 2], name="record")
    )
    frame = RuleFrame(data, "AE", "AE")
    holding = pd.Series([True, True, True], index=data.index)
    (result,) = flagged(rule(output_variables=("--TERM",)), frame, holding)
    assert list(result.rows.index) == [1, 2] and result.variables == ("AETERM",)
    (dataset,) = flagged(rule(sensitivity="Dataset"), frame, holding)
    assert dataset.dataset_level and len(dataset.rows) == 1


def test_split_rows_report_their_own_dataset() -> None:
    data = table(QSTESTCD=["A", "B"]).assign(source_dataset_name=["QS1", "QSAE"])
    holding = pd.Series([True, True], index=data.index)
    names = [r.dataset for r in flagged(rule(), RuleFrame(data, "QS1", "QS"), holding)]
    assert names == ["QS1", "QSAE"]
