"""Hostile text inputs (issue 32): an --encoding that is no text encoding, UTF-16 without a
byte-order mark, NUL bytes in a CSV, Dataset-JSON numbers past a double, lone UTF-16
surrogates, and a .dsjc of several gzip members.  Each is read as what it is or refused with a
reason naming the file and what was expected; never a traceback (exit 3), never a value
changed without a word."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zlib

import pytest
from conftest import ROOT

from trialguard.errors import InputError, UsageError
from trialguard.options import known_encoding
from trialguard.readers.csv import read_csv
from trialguard.readers.dataset_json import read_dataset_json

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
DM_CSV = "STUDYID,DOMAIN,USUBJID,AGE\nS1,DM,S1-001,40\nS1,DM,S1-002,51\n"
META = {
    "datasetJSONCreationDateTime": "2026-12-01T10:00:00",
    "datasetJSONVersion": "1.1.0",
    "itemGroupOID": "IG.DM",
    "records": 1,
    "name": "DM",
    "label": "Demographics",
    "columns": [
        {"itemOID": "IT.USUBJID", "name": "USUBJID", "label": "Subject", "dataType": "string"},
        {"itemOID": "IT.AGE", "name": "AGE", "label": "Age", "dataType": "double"},
        {"itemOID": "IT.W", "name": "WEIGHT", "label": "Weight", "dataType": "decimal"},
        {"itemOID": "IT.N", "name": "DOSE", "label": "Dose", "dataType": "integer"},
    ],
}
ROW = ["S1-001", 40, "70.5", 10]


def trialguard(folder, *args) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "trialguard", "validate", str(folder), "--spec", "sdtm"]
    return subprocess.run([*command, *args], capture_output=True, text=True, env=ENV, timeout=120)


def refused_csv(path, encoding=None) -> str:
    with pytest.raises(InputError) as caught:
        read_csv(path, "DM", encoding)
    assert caught.value.path == str(path)
    return caught.value.reason


def json_text(row_text: str) -> str:
    """A Dataset-JSON document of one row, the row given as JSON text (so 1e400 stays 1e400)."""
    return json.dumps({**META, "rows": []}).replace('"rows": []', f'"rows": [{row_text}]')


def refused_json(path) -> str:
    with pytest.raises(InputError) as caught:
        read_dataset_json(path, "DM")
    assert caught.value.path == str(path)
    return caught.value.reason


# --encoding --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["rot13", "hex", "base64", "zlib"])
def test_an_encoding_that_is_not_a_text_encoding_is_refused_naming_it(name):
    with pytest.raises(UsageError, match=rf"--encoding '{name}' is not a text encoding"):
        known_encoding(name)


def test_the_undefined_codec_and_unknown_names_are_refused():
    with pytest.raises(UsageError, match="--encoding 'undefined' cannot write or read"):
        known_encoding("undefined")
    with pytest.raises(UsageError, match="--encoding 'klingon' is not an encoding Python knows"):
        known_encoding("klingon")


@pytest.mark.parametrize("name", ["utf-8", "cp1252", "latin-1", "utf-16", "utf-32-be", "cp037"])
def test_real_text_encodings_are_accepted(name):
    assert known_encoding(name) == name


@pytest.mark.parametrize("name", ["rot13", "undefined"])
def test_the_command_refuses_a_codec_before_reading_with_exit_2(tmp_path, name):
    (tmp_path / "dm.csv").write_text(DM_CSV)
    result = trialguard(tmp_path, "--encoding", name)
    assert result.returncode == 2, result.stderr
    assert f"--encoding '{name}'" in result.stderr and "internal error" not in result.stderr


# UTF-16 and UTF-32 -------------------------------------------------------------------------


@pytest.mark.parametrize("family", ["utf-16", "utf-32"])
def test_a_csv_without_a_byte_order_mark_under_utf_16_or_32_says_how_to_read_it(tmp_path, family):
    path = tmp_path / "dm.csv"
    path.write_bytes(DM_CSV.encode(f"{family}-le"))
    reason = refused_csv(path, family)
    assert "does not start with a byte-order mark" in reason
    assert f"--encoding {family}-le" in reason
    assert len(read_csv(path, "DM", f"{family}-le").frame) == 2


def test_a_csv_with_a_byte_order_mark_reads_under_utf_16(tmp_path):
    path = tmp_path / "dm.csv"
    path.write_bytes(DM_CSV.encode("utf-16"))
    frame = read_csv(path, "DM", "utf-16").frame
    assert list(frame.columns) == ["STUDYID", "DOMAIN", "USUBJID", "AGE"] and len(frame) == 2


def test_the_command_ends_in_exit_2_for_utf_16_without_a_byte_order_mark(tmp_path):
    (tmp_path / "dm.csv").write_bytes(DM_CSV.encode("utf-16-le"))
    result = trialguard(tmp_path, "--encoding", "utf-16")
    assert result.returncode == 2, result.stderr
    assert "dm.csv: does not start with a byte-order mark" in result.stderr


# NUL bytes ---------------------------------------------------------------------------------


def test_a_csv_of_nul_bytes_is_not_read_as_an_empty_dataset(tmp_path):
    path = tmp_path / "dm.csv"
    path.write_bytes(b"\x00" * 200)
    reason = refused_csv(path)
    assert reason.startswith("not a text file: it holds NUL bytes, the first on line 1")
    assert "(byte offset 0)" in reason


def test_a_nul_byte_inside_a_csv_is_refused_with_its_line(tmp_path):
    path = tmp_path / "dm.csv"
    path.write_bytes(DM_CSV.encode().replace(b"S1-002", b"S1-\x002"))
    reason = refused_csv(path)
    assert "the first on line 3 (byte offset" in reason and "never holds NUL" in reason


@pytest.mark.parametrize(
    ("written", "named"),
    [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("utf-16", "utf-16"),
     ("utf-32-le", "utf-32-le"), ("utf-32", "utf-32")],
)  # fmt: skip
def test_utf_16_or_32_read_as_utf_8_is_named(tmp_path, written, named):
    path = tmp_path / "dm.csv"
    path.write_bytes(DM_CSV.encode(written))
    assert f"looks like {named.upper()} text; give --encoding {named}" in refused_csv(path)


def test_a_nul_character_in_utf_16_text_is_refused_too(tmp_path):
    path = tmp_path / "dm.csv"
    path.write_bytes(DM_CSV.replace("S1-002", "S1-\x002").encode("utf-16"))
    assert "holds NUL characters, the first on line 3" in refused_csv(path, "utf-16")


# Dataset-JSON numbers past a double --------------------------------------------------------


@pytest.mark.parametrize("value", [str(10**400), str(-(10**400))])
def test_a_decimal_integer_too_large_for_a_double_is_refused_by_record_and_variable(
    tmp_path, value
):
    path = tmp_path / "dm.json"
    path.write_text(json_text(f'["S1-001", 40, {value}, 10]'))
    reason = refused_json(path)
    assert reason.startswith("record 1: WEIGHT is decimal but holds an integer of 401 digits")
    assert "a double can hold" in reason


def test_a_large_decimal_a_double_can_hold_is_read(tmp_path):
    path = tmp_path / "dm.json"
    path.write_text(json_text(f'["S1-001", 40, {10**30}, 10]'))
    assert read_dataset_json(path, "DM").frame.loc[1, "WEIGHT"] == 1e30


@pytest.mark.parametrize(("column", "row"), [
    ("AGE", '["S1-001", 1e400, "70.5", 10]'),
    ("AGE", '["S1-001", -1E+400, "70.5", 10]'),
    ("WEIGHT", '["S1-001", 40, 1e400, 10]'),
])  # fmt: skip
def test_a_json_number_past_a_double_is_refused_not_read_as_infinity(tmp_path, column, row):
    path = tmp_path / "dm.json"
    path.write_text(json_text(row))
    reason = refused_json(path)
    assert reason.startswith(f"record 1: {column} is ")
    assert "a double can hold" in reason


def test_an_integer_past_a_double_is_refused_in_an_integer_column(tmp_path):
    path = tmp_path / "dm.json"
    path.write_text(json_text(f'["S1-001", 40, "1", {10**400}]'))
    assert "DOSE is integer but holds an integer of 401 digits" in refused_json(path)


def test_the_command_ends_in_exit_2_for_a_decimal_past_a_double(tmp_path):
    (tmp_path / "dm.json").write_text(json_text(f'["S1-001", 40, {10**400}, 10]'))
    result = trialguard(tmp_path)
    assert result.returncode == 2, result.stderr
    assert "record 1: WEIGHT is decimal" in result.stderr


# Lone surrogates ---------------------------------------------------------------------------


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "ab\\udc80cd"])
def test_a_lone_surrogate_in_a_string_is_refused_by_record_and_variable(tmp_path, escape):
    path = tmp_path / "dm.json"
    path.write_text(json_text(f'["S1-001", 40, "1", 10], ["S1-{escape}", 41, "2", 11]'))
    path.write_text(path.read_text().replace('"records": 1', '"records": 2'))
    reason = refused_json(path)
    assert reason.startswith("record 2: USUBJID is string but holds")
    assert "expected Unicode text" in reason


def test_a_lone_surrogate_in_ndjson_names_the_line(tmp_path):
    path = tmp_path / "dm.ndjson"
    path.write_text(json.dumps(META) + '\n["S1-\\ud83d", 40, "1", 10]\n')
    assert refused_json(path).startswith("record 1 (line 2): USUBJID is string")


def test_a_surrogate_pair_is_one_character_and_read(tmp_path):
    path = tmp_path / "dm.json"
    path.write_text(json_text('["S1-\\ud83d\\ude00", 40, "1", 10]'))
    assert read_dataset_json(path, "DM").frame.loc[1, "USUBJID"] == "S1-\U0001f600"


# .dsjc of several gzip members -------------------------------------------------------------


def ndjson_bytes() -> bytes:
    return (json.dumps(META) + "\n" + json.dumps(ROW) + "\n").encode()


def test_a_dsjc_of_two_gzip_members_is_read(tmp_path):
    data = ndjson_bytes()
    path = tmp_path / "dm.dsjc"
    path.write_bytes(gzip.compress(data[:50]) + gzip.compress(data[50:]))
    assert read_dataset_json(path, "DM").frame.loc[1, "USUBJID"] == "S1-001"


def test_many_gzip_members_split_anywhere_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr("trialguard.readers.dataset_json.CHUNK", 7)  # members cross blocks
    data = ndjson_bytes()
    path = tmp_path / "dm.dsjc"
    path.write_bytes(b"".join(gzip.compress(data[i : i + 9]) for i in range(0, len(data), 9)))
    assert read_dataset_json(path, "DM").frame.loc[1, "WEIGHT"] == 70.5


def test_blanks_may_end_a_dsjc_but_not_other_data_after_a_member(tmp_path):
    path = tmp_path / "dm.dsjc"
    path.write_bytes(gzip.compress(ndjson_bytes()) + b"\n  \n")
    assert len(read_dataset_json(path, "DM").frame) == 1
    path.write_bytes(gzip.compress(ndjson_bytes()) + b"\x1f")
    assert "data after the end of the compressed stream" in refused_json(path)
    path.write_bytes(gzip.compress(ndjson_bytes()) + b" " + gzip.compress(b"\n"))
    assert "data after the end of the compressed stream" in refused_json(path)


def test_a_second_member_cut_short_is_refused(tmp_path):
    path = tmp_path / "dm.dsjc"
    data = ndjson_bytes()
    path.write_bytes(gzip.compress(data[:50]) + gzip.compress(data[50:])[:-4])
    assert "the file is cut" in refused_json(path)


def test_a_gzip_member_after_a_zlib_stream_is_refused(tmp_path):
    path = tmp_path / "dm.dsjc"
    path.write_bytes(zlib.compress(ndjson_bytes()) + gzip.compress(b"\n"))
    assert "data after the end of the compressed stream" in refused_json(path)
