"""The Dataset-JSON reader: the three forms, typing by dataType, and every problem named by file
and record (or line), never a traceback."""

from __future__ import annotations

import copy
import gzip
import json
import zlib

import jsonschema
import pytest
from conftest import EXTERNAL

from trialguard.errors import InputError
from trialguard.readers.dataset_json import read_dataset_json

EXAMPLE = EXTERNAL / "dataset-json" / "cdisc-msg-sdtm"
CDISC_SCHEMA = EXTERNAL / "dataset-json" / "schema" / "dataset.schema.json"
META = {
    "datasetJSONCreationDateTime": "2026-12-01T10:00:00",
    "datasetJSONVersion": "1.1.0",
    "itemGroupOID": "IG.DM",
    "records": 2,
    "name": "DM",
    "label": "Demographics",
    "columns": [
        {"itemOID": "IT.USUBJID", "name": "USUBJID", "label": "Subject", "dataType": "string",
         "length": 8},
        {"itemOID": "IT.AGE", "name": "AGE", "label": "Age", "dataType": "integer"},
        {"itemOID": "IT.W", "name": "WEIGHT", "label": "Weight", "dataType": "decimal"},
        {"itemOID": "IT.F", "name": "FLAG", "label": "Flag", "dataType": "boolean"},
    ],
}  # fmt: skip
ROWS = [["S-1", 40, "70.5", True], ["S-2", None, None, False]]


def document(tmp_path, meta=META, rows=ROWS, name="dm.json"):
    path = tmp_path / name
    path.write_text(json.dumps({**meta, "rows": rows}), encoding="utf-8")
    return path


def ndjson_bytes(meta=META, rows=ROWS) -> bytes:
    return "\n".join(json.dumps(x) for x in [meta, *rows]).encode() + b"\n"


def refused(path, name="DM") -> str:
    with pytest.raises(InputError) as caught:
        read_dataset_json(path, name)
    assert caught.value.path == str(path)
    return caught.value.reason


def test_values_are_typed_by_their_data_type(tmp_path):
    dataset = read_dataset_json(document(tmp_path), "DM")
    frame = dataset.frame
    assert list(frame.index) == [1, 2] and dataset.format == "json"
    assert frame["AGE"].dtype == "float64" and frame.loc[1, "AGE"] == 40
    assert frame.loc[1, "WEIGHT"] == 70.5 and frame["WEIGHT"].isna().tolist() == [False, True]
    assert frame["FLAG"].tolist() == ["true", "false"]
    assert dataset.numeric == {"AGE", "WEIGHT"} and dataset.lengths == {"USUBJID": 8}
    assert dataset.labels["AGE"] == "Age"


@pytest.mark.parametrize("compress", [zlib.compress, gzip.compress], ids=["zlib", "gzip"])
def test_ndjson_and_both_compressions_read_the_same(tmp_path, compress):
    (tmp_path / "dm.ndjson").write_bytes(ndjson_bytes())
    (tmp_path / "dm.dsjc").write_bytes(compress(ndjson_bytes()))
    whole = read_dataset_json(document(tmp_path), "DM").frame
    for name in ("dm.ndjson", "dm.dsjc"):
        assert read_dataset_json(tmp_path / name, "DM").frame.equals(whole), name


def test_the_three_forms_of_the_cdisc_example_read_alike():
    frames = [
        read_dataset_json(EXAMPLE / f / f"ae.{f}", "AE").frame for f in ("json", "ndjson", "dsjc")
    ]
    assert len(frames[0]) == 74 and all(f.equals(frames[0]) for f in frames[1:])


def test_a_v1_0_file_is_refused_by_name(tmp_path):
    path = tmp_path / "dm.json"
    path.write_text(json.dumps({"creationDateTime": "x", "clinicalData": {}}))
    assert "Dataset-JSON v1.0" in refused(path) and "v1.1" in refused(path)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (lambda m: m.pop("columns"), "'columns' is a required property"),
        (lambda m: m["columns"][1].update(dataType="number"), "at columns/1/dataType"),
        (lambda m: m.update(datasetJSONVersion="1.0.0"), "at datasetJSONVersion"),
        (lambda m: m.update(records="2"), "at records"),
        (lambda m: m["columns"].append(dict(m["columns"][0])), "USUBJID is declared twice"),
    ],
    ids=["no-columns", "bad-type", "version", "records-text", "twice"],
)
def test_bad_metadata_is_named(tmp_path, change, says):
    meta = copy.deepcopy(META)
    change(meta)
    assert says in refused(document(tmp_path, meta))


def test_a_row_of_the_wrong_length_is_named_by_record_and_line(tmp_path):
    rows = [ROWS[0], ["S-2", 41]]
    assert "record 2 holds 2 values; the metadata declares 4 columns" in refused(
        document(tmp_path, rows=rows)
    )
    (tmp_path / "dm.ndjson").write_bytes(ndjson_bytes(rows=rows))
    assert "record 2 (line 3) holds 2 values" in refused(tmp_path / "dm.ndjson")


def test_a_value_of_another_type_is_named_by_record_and_column(tmp_path):
    rows = [ROWS[0], ["S-2", "forty", None, None]]
    reason = refused(document(tmp_path, rows=rows))
    assert "record 2: AGE is integer but holds 'forty'; expected a whole number or null" in reason
    rows = [ROWS[0], ["S-2", 41, "heavy", None]]
    assert "WEIGHT is decimal but holds 'heavy'" in refused(document(tmp_path, rows=rows))
    rows = [[7, 41, None, None], ROWS[1]]
    assert "record 1: USUBJID is string but holds 7" in refused(document(tmp_path, rows=rows))


def test_the_declared_record_count_must_match(tmp_path):
    assert "declares 2 records but 1 rows follow" in refused(document(tmp_path, rows=ROWS[:1]))


def test_a_stream_stops_one_row_past_the_declared_records(tmp_path):
    """A 1 MB .dsjc inflating to a million rows, its metadata declaring 2: refused at line 4,
    without holding the rest."""
    many = tmp_path / "dm.dsjc"
    row = json.dumps(ROWS[0]).encode() + b"\n"
    many.write_bytes(gzip.compress(ndjson_bytes() + row * 1_000_000))
    assert many.stat().st_size < 2**20
    reason = refused(many)
    assert "line 4 is a row beyond the 2 records the metadata declares" in reason


@pytest.mark.parametrize("name", ["dm.json", "dm.ndjson"])
def test_more_columns_than_a_dataset_holds_are_refused_before_the_rows(tmp_path, name):
    columns = [
        {"itemOID": f"IT.DM.V{i}", "name": f"V{i}", "label": "V", "dataType": "string"}
        for i in range(10_000)
    ]
    meta = {**META, "columns": columns, "records": 1}
    path = tmp_path / name
    rows = [["x"] * 10_000]
    if name.endswith("ndjson"):
        path.write_bytes(ndjson_bytes(meta, rows))
    else:
        path.write_text(json.dumps({**meta, "rows": rows}))
    assert "the metadata declares 10,000 columns, more than the 9,999" in refused(path)


def test_a_dsjc_is_held_to_the_size_limit_once_decompressed(tmp_path):
    small = tmp_path / "dm.dsjc"
    row = json.dumps(ROWS[0]).encode() + b"\n"
    small.write_bytes(gzip.compress(ndjson_bytes(rows=[]) + row * 100_000))
    with pytest.raises(InputError) as caught:
        read_dataset_json(small, "DM", None, 1_000_000)
    assert "decompresses to more than 976.6 KiB, the limit a dataset file is held to" in str(
        caught.value
    )


def test_broken_files_give_a_clear_reason(tmp_path):
    path = tmp_path / "dm.json"
    path.write_text('{"name": "DM",\n "rows": [}')
    assert "not JSON" in refused(path) and "line 2" in refused(path)
    cut = tmp_path / "dm.dsjc"
    cut.write_bytes(gzip.compress(ndjson_bytes())[:-12])
    assert "ends early" in refused(cut)
    plain = tmp_path / "dm.dsjc"
    plain.write_bytes(ndjson_bytes())
    assert "not zlib or gzip" in refused(plain)
    lines = tmp_path / "dm.ndjson"
    lines.write_bytes(ndjson_bytes(rows=ROWS[:1]) + b"[1, 2\n")
    assert "line 3: not JSON" in refused(lines)
    empty = tmp_path / "dm.ndjson"
    empty.write_bytes(b"")
    assert "line 1 is empty" in refused(empty)


def test_the_package_schema_judges_metadata_as_cdisc_schema_does(tmp_path):
    """The package's schema of the v1.1 metadata and CDISC's agree on the CDISC examples and on
    broken copies of them (CDISC's schema is read from ../shared, never copied)."""
    from trialguard.readers.dataset_json import metadata_validator

    cdisc = jsonschema.Draft201909Validator(json.loads(CDISC_SCHEMA.read_text()))
    ours = metadata_validator()
    example = json.loads((EXAMPLE / "json" / "dm.json").read_text())
    cases = [example, {k: v for k, v in example.items() if k != "rows"}]
    for key in ("columns", "name", "records", "itemGroupOID", "label"):
        cases.append({k: v for k, v in example.items() if k != key})
    cases += [
        example | {"records": -1},
        example | {"extra": 1},
        example | {"datasetJSONVersion": "1.2"},
    ]
    broken = copy.deepcopy(example)
    broken["columns"][0]["dataType"] = "text"
    cases.append(broken)
    for case in cases:
        assert ours.is_valid(case) == cdisc.is_valid(case), sorted(set(case) ^ set(example))
    assert sum(ours.is_valid(c) for c in cases) == 2


@pytest.mark.parametrize(
    ("value", "says"),
    [
        (1.5, "AGE is integer but holds 1.5; expected a whole number"),
        (10**400, "expected a number a double can hold"),
    ],
    ids=["fraction", "too-large"],
)
def test_numbers_an_integer_column_cannot_hold(tmp_path, value, says):
    rows = [ROWS[0], ["S-2", value, None, None]]
    path = tmp_path / "dm.json"
    path.write_text(json.dumps({**META, "rows": rows}), encoding="utf-8")
    assert says in refused(path)


def test_nan_infinity_and_non_finite_decimals_are_refused(tmp_path):
    path = tmp_path / "dm.json"
    path.write_text(json.dumps({**META, "rows": ROWS}).replace("40", "NaN"), encoding="utf-8")
    assert "NaN is not a JSON value" in refused(path)
    rows = [ROWS[0], ["S-2", 41, "1e999", None]]
    assert "expected a finite decimal number" in refused(document(tmp_path, rows=rows))


def test_ndjson_lines_are_counted_as_they_stand(tmp_path):
    lines = tmp_path / "dm.ndjson"
    lines.write_bytes(ndjson_bytes().replace(b"\n", b"\n\n", 1))
    assert "line 2 is empty" in refused(lines)
    rows = [ROWS[0], ["S-2", "x", None, None]]
    lines.write_bytes(ndjson_bytes(rows=rows))
    assert "record 2 (line 3): AGE" in refused(lines)


def test_a_compressed_bomb_of_line_ends_and_trailing_data_are_refused(tmp_path):
    bomb = tmp_path / "dm.dsjc"
    bomb.write_bytes(gzip.compress(ndjson_bytes()[:-1] + b"\n" * 50_000_000))
    assert "is empty" in refused(bomb)
    tail = tmp_path / "dm.dsjc"
    tail.write_bytes(zlib.compress(ndjson_bytes()) + b"garbage")
    assert "data after the end of the compressed stream" in refused(tail)


def test_the_name_the_metadata_holds_is_kept_for_the_study_to_compare(tmp_path):
    meta = copy.deepcopy(META)
    meta["name"] = "AE"
    assert read_dataset_json(document(tmp_path, meta), "DM").stored_name == "AE"
