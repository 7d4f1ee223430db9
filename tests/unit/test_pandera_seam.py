"""The one seam to pandera: a check that raises, or a failure pandera files under a name no rule
reads, ends the rule in status error; it never becomes data findings, and is never dropped."""

from __future__ import annotations

import pandera.pandas as pa
from conftest import check, make_ae, make_dm, subject

from trialguard.findings import Status
from trialguard.validators.conformance import schema


def test_a_check_that_raises_is_an_error_of_its_rule_not_findings(monkeypatch):
    def broken_iso_check(context, name, column):
        def explode(series):
            raise TypeError("planted fault")

        return pa.Check(explode, name="iso8601", error="iso8601", ignore_na=True)

    monkeypatch.setattr(schema, "_iso_check", broken_iso_check)
    dm = make_dm({"USUBJID": subject(1)})
    ae = make_ae({"USUBJID": subject(1), "AESTDTC": "2025-03-12"})
    dates = check("iso8601_dates", dm, ae)
    assert dates.status is Status.ERROR and dates.findings == []
    assert "iso8601 check" in dates.reason and "planted fault" in dates.reason
    assert check("required_values", dm, ae).status is Status.PASSED  # other aspects still judged


def test_a_failure_under_an_unknown_check_name_is_an_error_not_dropped(monkeypatch):
    real = schema.build_schema

    def with_a_stray_check(context, name):
        built = real(context, name)
        stray = pa.Check(lambda s: s.isna(), name="stray", error="stray")
        return built.update_column("USUBJID", checks=[stray])

    monkeypatch.setattr(schema, "build_schema", with_a_stray_check)
    dm = make_dm({"USUBJID": subject(1)})
    result = check("numeric_values", dm)
    assert result.status is Status.ERROR
    assert "stray on DM.USUBJID" in result.reason and result.findings == []
