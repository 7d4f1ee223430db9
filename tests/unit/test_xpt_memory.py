"""pyreadstat sets aside room for 100,000 rows of every variable of an XPT file before it reads
one, so a file of fewer rows is read a group of variables at a time (each group's room within
64 MB) and a file of no rows as metadata only: the same frame, memory in proportion."""

from __future__ import annotations

import pandas as pd
import pyreadstat
import pytest

from trialguard.readers import xpt
from trialguard.readers.xpt import read_xpt
from trialguard.readers.xpt_layout import xpt_layout

WIDE = 200  # more variables than one group of 64 MB holds (83)


@pytest.fixture
def calls(monkeypatch):
    made = []
    original = pyreadstat.read_xport

    def recording(file, **options):
        made.append(options)
        return original(file, **options)

    monkeypatch.setattr(xpt.pyreadstat, "read_xport", recording)
    return made


def wide_v8(path, rows: int):
    frame = pd.DataFrame(
        {"STUDYID": ["S1"] * max(rows, 1), "DOMAIN": ["DM"] * max(rows, 1)}
        | {f"V{i:03d}": [float(i + r) for r in range(max(rows, 1))] for i in range(WIDE)}
    )
    pyreadstat.write_xport(frame, str(path), file_format_version=8, table_name="DM")
    if rows == 0:  # the observations cut off and the OBSV8 count set to 0
        data = path.read_bytes()[: xpt_layout(path).data_start]
        at = data.rfind(b"OBSV8") - 20
        record = data[at : at + 80]
        count = record[48:].strip()
        record = record.replace(count, b"0".rjust(len(count)), 1)
        path.write_bytes(data[:at] + record)
    return frame


def test_a_wide_file_of_few_rows_is_read_in_groups_of_variables(tmp_path, calls):
    path = tmp_path / "dm.xpt"
    written = wide_v8(path, rows=3)
    dataset = read_xpt(path, "DM")
    groups = [c["usecols"] for c in calls if "usecols" in c]
    assert calls[0].get("metadataonly") and len(groups) == 3
    assert max(len(g) for g in groups) <= 83 and sum(len(g) for g in groups) == WIDE + 2
    read = dataset.frame.reset_index(drop=True)
    pd.testing.assert_frame_equal(read, written, check_dtype=False)
    assert dataset.records == 3 and dataset.numeric == frozenset(written.columns[2:])


def test_a_wide_file_of_no_rows_is_read_as_metadata_only(tmp_path, calls):
    path = tmp_path / "dm.xpt"
    wide_v8(path, rows=0)
    dataset = read_xpt(path, "DM")
    assert [bool(c.get("metadataonly")) for c in calls] == [True]
    assert dataset.records == 0 and list(dataset.frame.columns)[:3] == ["STUDYID", "DOMAIN", "V000"]
    assert dataset.lengths["V000"] == 8


def test_a_narrow_file_is_read_in_one_pass(tmp_path, calls):
    path = tmp_path / "dm.xpt"
    frame = pd.DataFrame({"STUDYID": ["S1", "S1"], "AGE": [30.0, 41.0]})
    pyreadstat.write_xport(frame, str(path), file_format_version=8, table_name="DM")
    assert read_xpt(path, "DM").records == 2
    assert len(calls) == 1 and "usecols" not in calls[0]
