"""The parts of open-rule execution other than the operators: scope, Match Datasets,
operations' helpers and the outcome, on small hand-made tables."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from trialguard.openrules.domains import domain_merged
from trialguard.openrules.frame import RuleFrame
from trialguard.openrules.library import model_order, with_role
from trialguard.openrules.matching import parent_joined, supp_merged
from trialguard.openrules.metadata import delivered_name
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


def test_classes_findings_about_is_findings() -> None:
    fa = info("FA", "FA", "FATESTCD", "FAOBJ")
    assert class_in_scope(Scope(classes_in=("FINDINGS",)), fa, [])
    assert not class_in_scope(Scope(classes_in=("FINDINGS ABOUT",)), info("LB", "LB"), [])


def test_custom_and_ap_classes_come_from_variables_and_parent() -> None:
    assert dataset_class(info("XY", "XY", "DOMAIN", "XYTERM")) == "EVENTS"
    assert dataset_class(info("SUPPXY", None, "RDOMAIN", "QNAM", rdomain="XY")) == "RELATIONSHIP"
    su = info("SU", "SU", "SUTRT")
    assert dataset_class(info("APSU", "APSU", "APID"), [su]) == "INTERVENTIONS"


def test_classes_exclude_alone_leaves_an_undetectable_class_in_scope() -> None:
    """CORE-000180: Exclude RELATIONSHIP (no Include) keeps AE1 (no AE1TERM: class unknown)
    and drops a SUPP-- (QNAM: Relationship)."""
    scope = Scope(classes_out=("RELATIONSHIP",))
    assert class_in_scope(scope, info("AE1", "AE1", "DOMAIN", "AETERM"), [])
    assert class_in_scope(scope, info("AE", "AE", "DOMAIN", "AETERM"), [])
    assert not class_in_scope(scope, info("SUPPAE", None, "RDOMAIN", "QNAM", rdomain="AE"), [])
    assert not class_in_scope(Scope(classes_in=("EVENTS",)), info("AE1", "AE1", "DOMAIN"), [])


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


def test_child_without_a_parent_keeps_its_own_values() -> None:
    """CORE-000916: RELREC's CO record whose IDVAR (COSEK) is no CO variable keeps its
    RDOMAIN/IDVAR, though CO has those columns too."""
    relrec = table(USUBJID=["S2"], RDOMAIN=["CO"], IDVAR=["COSEK"], IDVARVAL=["321"])
    co = pd.DataFrame(
        {
            "USUBJID": ["S2"],
            "RDOMAIN": ["LB"],
            "IDVAR": ["LBSEQ"],
            "IDVARVAL": ["1"],
            "COSEQ": [2.0],
        }
    )
    joined = parent_joined(relrec, co, ["USUBJID"])
    assert joined[["RDOMAIN", "IDVAR", "IDVARVAL"]].iloc[0].tolist() == ["CO", "COSEK", "321"]
    assert pd.isna(joined["COSEQ"].iloc[0])
    found = parent_joined(relrec.assign(IDVAR=["COSEQ"], IDVARVAL=["2"]), co, ["USUBJID"])
    assert found["IDVAR"].tolist() == ["LBSEQ"] and found["COSEQ"].tolist() == [2.0]


def test_model_order_of_ap_timing_and_findings_about() -> None:
    """CORE-000550/575/852: an AP-- dataset's model has APID, RSUBJID, SREL (no USUBJID);
    the timing variables include --PDUR and MIDS; FA's --OBJ follows --TEST."""
    apeg = model_order(info("APEG", "APEG", "APID", "EGTESTCD"))
    assert apeg[:6] == ["STUDYID", "DOMAIN", "APID", "RSUBJID", "RDEVID", "SREL"]
    assert "USUBJID" not in apeg and "EGSEQ" in apeg and "EGREPNUM" in apeg
    lb = model_order(info("LB", "LB", "LBTESTCD"))
    assert with_role(lb, "LB", "Timing")[-5:] == ["MIDS", "RELMIDS", "MIDSDTC", "LBPTFL", "LBPDUR"]
    fa = model_order(info("FA", "FA", "FATESTCD", "FAOBJ"))
    assert fa[fa.index("FATEST") + 1] == "FAOBJ"
    assert "FAENRTPT" in fa and fa.index("FADY") < fa.index("FAENRTPT")


def test_dataset_name_of_a_csv_is_its_file_name() -> None:
    """CORE-000598: alb.csv, read as LB by its DOMAIN, is the dataset ALB to CORE."""
    dataset = SimpleNamespace(path=Path("data/alb.csv"), format="csv")
    context = SimpleNamespace(study=SimpleNamespace(datasets={"LB": dataset}))
    assert delivered_name(context, info("LB", "LB")) == "ALB"  # type: ignore[arg-type]
    dataset.format = "xpt"
    assert delivered_name(context, info("LB", "LB")) == "LB"  # type: ignore[arg-type]


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


def test_classes_include_all_takes_every_dataset_whatever_the_exclude() -> None:
    """CORE's rule_applies_to_class answers True for `Include: [ALL]` before the Exclude."""
    supp = info("SUPPAE", None, "RDOMAIN", "QNAM", rdomain="AE")
    assert class_in_scope(Scope(classes_in=("ALL",), classes_out=("RELATIONSHIP",)), supp, [])
    assert class_in_scope(Scope(), supp, [])


def test_doubles_are_compared_to_15_significant_digits_as_core_reads_them() -> None:
    """pharmaversesdtm's LB holds LBSTRESN 0.039999999999999994 for LBSTRESC "0.04" and
    VISITNUM 1.2000000000000002 for SV's 1.2: the same numbers to 15 digits."""
    data = pd.DataFrame(
        {
            "LBSTRESC": ["0.04", "1.2", "3"],
            "LBSTRESN": [0.039999999999999994, 1.2000000000000002, 3.5],
        },
        index=pd.RangeIndex(1, 4, name="record"),
    )
    frame = RuleFrame(data, "LB", "LB")
    assert frame.text("LBSTRESN").tolist() == ["0.04", "1.2", "3.5"]
    item = {
        "name": "LBSTRESC",
        "operator": "not_equal_to",
        "value": "LBSTRESN",
        "type_insensitive": True,
    }
    from trialguard.openrules.operators import operators

    assert operators()["not_equal_to"](frame, item).tolist() == [False, False, True]


def test_grouped_distinct_values_are_sorted_lists_per_group_without_missing_values() -> None:
    from trialguard.openrules.measures import grouped_lists

    data = pd.DataFrame(
        {"USUBJID": ["S1", "S1", "S1", "S2", "S2"], "VISITNUM": [2.0, 1.0, 2.0, None, 3.0]}
    )
    lists = grouped_lists(data, ["USUBJID"], "VISITNUM").set_index("USUBJID")["$"]
    assert lists.to_dict() == {"S1": [1.0, 2.0], "S2": [3.0]}
    mixed = pd.DataFrame({"G": ["a", "a"], "V": pd.Series(["x", 1], dtype=object)})
    assert grouped_lists(mixed, ["G"], "V")["$"].tolist() == [[1, "x"]]


def test_a_rule_type_trialguard_does_not_execute_is_a_rule_problem_not_a_crash() -> None:
    import pytest

    from trialguard.openrules.metadata import metadata_table
    from trialguard.openrules.model import RuleProblem

    with pytest.raises(RuleProblem, match="Rule Type 'JSONata' is not one trialguard executes"):
        metadata_table(rule(rule_type="JSONata"), SimpleNamespace(), info("AE", "AE"))
