"""SD-TYPE: SDTMIG Char and Num variables stored with their own type (XPT, SAS7BDAT,
Dataset-JSON); a CSV stores no types and says so."""

from __future__ import annotations

import dataclasses

from conftest import check, make_ae, make_dm

from trialguard.readers.xpt import read_xpt


def typed(dataset, numeric, formats=None, fmt="xpt"):
    return dataclasses.replace(
        dataset, format=fmt, numeric=frozenset(numeric), formats=formats or {}
    )


def messages(result):
    return sorted(f.message for f in result.findings)


def test_a_date_stored_as_a_sas_date_number_is_a_finding():
    ae = typed(make_ae({}), {"AESEQ", "AESTDTC"}, {"AESTDTC": "DATE9."})
    result = check("stored_types", typed(make_dm({}), {"AGE"}), ae)
    assert messages(result) == [
        "AE: AESTDTC is stored as Num with the SAS format DATE9. (a SAS date or time number); "
        "SDTMIG gives Char (ISO 8601 text)"
    ]
    assert result.findings[0].variables == ("AESTDTC",) and result.findings[0].record is None


def test_a_number_stored_as_text_is_a_finding():
    result = check("stored_types", typed(make_dm({}), set()))
    assert messages(result) == ["DM: AGE is stored as Char; SDTMIG gives Num"]


def test_a_sponsor_variable_is_not_judged():
    dm = typed(make_dm({"ZZFLAG": "Y"}), {"AGE", "ZZFLAG"})
    assert check("stored_types", dm).status == "passed"


def test_csv_datasets_are_not_judged_and_the_rule_says_so():
    result = check("stored_types", make_dm({}))
    assert result.status == "not_run" and "store no variable types" in result.reason
    mixed = check("stored_types", make_dm({}), typed(make_ae({}), {"AESEQ"}))
    assert mixed.status == "passed"
    assert mixed.notes == ["DM was not checked by this rule: a CSV file stores no variable types"]


def test_the_xpt_reader_keeps_a_dated_number_as_stored(tmp_path):
    import pandas as pd
    import pyreadstat

    frame = pd.DataFrame({"USUBJID": ["S1-001"], "AESTDTC": [pd.Timestamp("2025-01-15")]})
    path = tmp_path / "ae.xpt"
    pyreadstat.write_xport(frame, str(path), variable_format={"AESTDTC": "DATE9."})
    dataset = read_xpt(path, "AE")
    assert "AESTDTC" in dataset.numeric and dataset.formats["AESTDTC"].startswith("DATE9")
    assert pd.api.types.is_float_dtype(dataset.frame["AESTDTC"])
