"""Comparison, history and waivers on hand-made frames."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
from conftest import make_ae, subject

from trialguard.findings import Finding, RuleInfo, RuleResult, Severity, Status
from trialguard.transfer.compare import compare_dataset
from trialguard.transfer.history import mark_history
from trialguard.transfer.waivers import Waiver, apply_waivers


def frame(rows):
    table = pd.DataFrame(rows)
    table.index = pd.RangeIndex(1, len(table) + 1, name="record")
    return table


def test_records_match_by_key_not_by_position_and_numbers_by_value():
    old = frame(
        [
            {"USUBJID": "A", "AESEQ": 1.0, "AETERM": "NAUSEA"},
            {"USUBJID": "A", "AESEQ": 2.0, "AETERM": "RASH"},
            {"USUBJID": "B", "AESEQ": 1.0, "AETERM": "FATIGUE"},
        ]
    )
    new = frame(
        [  # CSV text, reordered, one record changed, one gone, one new
            {"USUBJID": "B", "AESEQ": "1", "AETERM": "FATIGUE"},
            {"USUBJID": "A", "AESEQ": "01", "AETERM": "VOMITING"},
            {"USUBJID": "C", "AESEQ": "1", "AETERM": "PYREXIA"},
        ]
    )
    result = compare_dataset(old, new, "AE")
    assert result["added"] == [{"usubjid": "C", "seq": 1, "record": 3}]
    assert result["removed"] == [{"usubjid": "A", "seq": 2, "record_before": 2}]
    assert result["changed"] == [
        {"usubjid": "A", "seq": 1, "record": 2, "record_before": 1,
         "changes": {"AETERM": ["NAUSEA", "VOMITING"]}}
    ]  # fmt: skip


def test_a_repeated_key_is_matched_in_order_and_new_variables_are_named():
    old = frame([{"USUBJID": "A", "AESEQ": 1, "X": "a"}, {"USUBJID": "A", "AESEQ": 1, "X": "b"}])
    new = frame([{"USUBJID": "A", "AESEQ": 1, "X": "a", "AEREL": "N"}])
    result = compare_dataset(old, new, "AE")
    assert result["removed"] == [{"usubjid": "A", "seq": 1, "record_before": 2}]
    assert result["changed"] == [] and result["variables_added"] == ["AEREL"]


def test_supp_sv_and_ts_records_match_by_their_own_keys_not_by_position():
    def qualifier(seq, value):
        return {"USUBJID": "A", "RDOMAIN": "AE", "IDVAR": "AESEQ", "IDVARVAL": seq,
                "QNAM": "AETRTEM", "QVAL": value}  # fmt: skip

    old = frame([qualifier("1", "Y"), qualifier("2", "Y"), qualifier("3", "N")])
    new = frame([qualifier("1", "Y"), qualifier("03", "Y")])  # the second gone, the third set
    result = compare_dataset(old, new, "SUPPAE")
    assert result["key"] == ["RDOMAIN", "IDVAR", "IDVARVAL", "QNAM"]
    assert result["removed"] == [{"usubjid": "A", "seq": "AE/AESEQ/2/AETRTEM", "record_before": 2}]
    assert [(e["seq"], e["changes"]) for e in result["changed"]] == [
        ("AE/AESEQ/3/AETRTEM", {"IDVARVAL": ["3", "03"], "QVAL": ["N", "Y"]})
    ]  # matched on IDVARVAL as a number; its text changed too
    visits = compare_dataset(
        frame([{"USUBJID": "A", "VISITNUM": 1.0}, {"USUBJID": "A", "VISITNUM": 2.0}]),
        frame([{"USUBJID": "A", "VISITNUM": "2"}]),
        "SV",
    )
    assert visits["removed"] == [{"usubjid": "A", "seq": 1, "record_before": 1}]
    ts = [{"TSPARMCD": "AGEMIN", "TSSEQ": 1, "TSVAL": "P18Y"},
          {"TSPARMCD": "SEXPOP", "TSSEQ": 1, "TSVAL": "BOTH"}]  # fmt: skip
    parameters = compare_dataset(frame(ts), frame(ts[1:]), "TS")
    assert [e["seq"] for e in parameters["removed"]] == ["AGEMIN/1"]
    assert parameters["changed"] == []


def finding(usubjid, seq, record):
    return Finding("R-1", Severity.ERROR, "AE", usubjid, record, ("AETERM",), {}, "m", seq=seq)


def rule_result(*findings):
    info = RuleInfo("R-1", "k", Severity.ERROR, "d", "s")
    return RuleResult(info, Status.FAILED, findings=list(findings))


def waiver(**fields):
    base = {"rule": "R-1", "reason": "ok", "approver": "Q", "expires": dt.date(2027, 1, 1)}
    return Waiver(**(base | fields))


def test_a_waiver_matches_by_subject_dataset_and_seq_only():
    result = rule_result(
        finding(subject(1), 1, 5), finding(subject(1), 2, 6), finding(subject(2), 1, 7)
    )
    (marked,), _ = apply_waivers(
        [result], [waiver(subject=subject(1), dataset="ae", seq=2)], dt.date(2026, 1, 1)
    )
    assert [f.waiver is not None for f in marked.findings] == [False, True, False]
    assert marked.status is Status.FAILED and len(marked.open_findings) == 2
    assert all(f.waiver is None for f in result.findings)  # the input is left as it was


def test_a_rule_whose_findings_are_all_waived_passes_and_expiry_is_inclusive():
    result = rule_result(finding(subject(1), 1, 5))
    (marked,), entries = apply_waivers(
        [result], [waiver(expires=dt.date(2026, 1, 1))], dt.date(2026, 1, 1)
    )
    assert marked.status is Status.PASSED and entries[0].state == "applied"
    (later,), entries = apply_waivers(
        [rule_result(finding(subject(1), 1, 5))],
        [waiver(expires=dt.date(2026, 1, 1))],
        dt.date(2026, 1, 2),
    )
    assert later.status is Status.FAILED and entries[0].state == "expired"
    assert entries[0].matched == 0


def test_a_finding_survives_the_round_trip_through_its_dict():
    original = dataclasses.replace(
        finding(subject(1), 3, 9), kind="iso8601_dates", context={"value": "2025-13-01"}
    )
    again = Finding.from_dict(original.to_dict())
    assert again == original and again.identity() == original.identity()


def test_history_marks_new_and_persisting_and_resolves_only_what_is_gone():
    still, gone = finding(subject(1), 1, 5), finding(subject(2), 1, 6)
    renumbered = dataclasses.replace(still, record=4)  # same key, another record number
    new = finding(subject(3), 1, 7)
    (marked,), resolved = mark_history(
        [rule_result(renumbered, new)], [Finding.from_dict(f.to_dict()) for f in (still, gone)]
    )
    assert [f.history for f in marked.findings] == ["persisting", "new"]
    assert [(f.usubjid, f.history) for f in resolved] == [(subject(2), "resolved")]


def test_a_waiver_finding_still_present_is_persisting_not_resolved():
    unused = Finding("WAIVER-UNUSED", Severity.WARNING, None, None, None, (), {"waiver": 1}, "m")
    (marked,), resolved = mark_history([rule_result(unused)], [unused])
    assert [f.history for f in marked.findings] == ["persisting"] and resolved == []


def test_findings_carry_the_record_key():
    from conftest import check

    ae = make_ae({"USUBJID": subject(1), "AESEQ": "07", "AESTDTC": "2025-13-01"})
    result = check("iso8601_dates", ae)
    assert [(f.record, f.seq) for f in result.findings] == [(1, 7)]


def test_a_previous_finding_is_not_resolved_when_its_rule_or_dataset_was_not_checked():
    gone = finding(subject(2), 1, 6)
    skipped = RuleResult(RuleInfo("R-1", "k", Severity.ERROR, "d", "s"), Status.NOT_RUN)
    _, resolved = mark_history([skipped], [gone])
    assert resolved == []  # R-1 did not run this time: nobody looked again
    _, resolved = mark_history([rule_result()], [gone], read={"DM"})
    assert resolved == []  # AE was not read this time
    _, resolved = mark_history([rule_result()], [gone], read={"AE"})
    assert [f.usubjid for f in resolved] == [subject(2)]
