"""The column-wise XPORT v5 reader gives exactly what the pyreadstat path gives: frame, dtypes,
metadata, kept codes and every number bit for bit, on every XPT file of the samples and the real
studies and on bytes no writer would produce; files it does not cover go to pyreadstat."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from conftest import EXTERNAL, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trialguard.errors import InputError
from trialguard.readers import xpt_v5
from trialguard.readers.sas import read_with_pyreadstat
from trialguard.readers.xpt import _read_column_wise, read_xpt
from trialguard.readers.xpt_layout import xpt_layout

XPT_FILES = sorted([*(ROOT / "sample_data").rglob("*.xpt"), *EXTERNAL.rglob("*.xpt")], key=str)
V8_HEADER = b"HEADER RECORD*******LIBV8   HEADER RECORD"  # an XPORT v8 file's first record


def by_pyreadstat(path: Path):
    return read_with_pyreadstat(pyreadstat.read_xport, path, "X", "xpt", None)


def column_wise(path: Path):
    return _read_column_wise(path, "X", xpt_layout(path))


def assert_same(path: Path) -> None:
    expected, read = by_pyreadstat(path), column_wise(path)
    assert read is not None
    pd.testing.assert_frame_equal(read.frame, expected.frame, check_exact=True)
    assert read.frame.columns.dtype == expected.frame.columns.dtype
    for name in ("labels", "lengths", "numeric", "formats", "sha256"):
        assert getattr(read, name) == getattr(expected, name), name
    assert read.encoded.keys() == expected.encoded.keys()
    for column in expected.encoded:
        (codes, distinct), (expected_codes, expected_distinct) = (
            read.text_codes(column),
            expected.text_codes(column),
        )
        assert np.array_equal(codes, expected_codes), column
        pd.testing.assert_series_equal(distinct, expected_distinct, check_exact=True)
    for column in expected.numeric:
        assert_same_bits(read.frame[column].to_numpy(), expected.frame[column].to_numpy())


def assert_same_bits(values: np.ndarray, expected: np.ndarray) -> None:
    missing = np.isnan(expected)
    assert np.array_equal(np.isnan(values), missing)
    assert np.array_equal(values[~missing].view(np.uint64), expected[~missing].view(np.uint64))


@pytest.mark.parametrize("path", XPT_FILES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_every_sample_and_real_file_reads_as_pyreadstat_reads_it(path):
    with path.open("rb") as handle:
        version_8 = handle.read(len(V8_HEADER)) == V8_HEADER
    if version_8:  # CORE's label cases, among others: XPORT v8 goes to pyreadstat by design
        assert column_wise(path) is None
    else:
        assert_same(path)


def observations_of(frame: pd.DataFrame, folder: Path) -> tuple[bytearray, int, int]:
    """An XPT v5 file of `frame` as bytes, the offset of its first observation, its row length."""
    path = folder / "made.xpt"
    pyreadstat.write_xport(frame, str(path), file_format_version=5)
    data = bytearray(path.read_bytes())
    layout = xpt_layout(path)
    return data, layout.data_start, layout.row_length


def written(data: bytearray, folder: Path) -> Path:
    path = folder / "edited.xpt"
    path.write_bytes(bytes(data))
    return path


def test_numbers_are_converted_bit_for_bit_for_any_eight_bytes(tmp_path):
    count = 6000
    rng = np.random.default_rng(7)
    raw = rng.integers(0, 256, size=(count, 8), dtype=np.uint8)
    raw[:500, 1:] = 0  # missing values (. _ A-Z), zero, and other first bytes before zeros
    raw[:100, 0] = [0x2E, 0x5F, 0x41, 0x5A, 0x00, 0x80, 0x7F, 0xFF, 0x01, 0x40] * 10
    raw[500:800, 1:] = 0xFF  # infinities and the largest numbers
    raw[800:1100, 1] &= 0x0F  # fractions not normalised
    data, start, row = observations_of(pd.DataFrame({"N": np.zeros(count)}), tmp_path)
    for index in range(count):
        data[start + index * row : start + index * row + 8] = raw[index].tobytes()
    assert_same(written(data, tmp_path))


def test_text_ends_as_pyreadstat_ends_it(tmp_path):
    values = [
        b"A  \x00   ",  # blanks and NUL at the end are stripped, then the text ends at a NUL
        b" F \x00 X  ",
        b"\x00ABC    ",
        b"       \x00",
        b"caf\xc3\xa9   ",  # UTF-8
        b"\xe2\x82\xac\x00\xc3\xa9 ",
        b"A\tB\x01   ",
        b"        ",
        b"A       ",  # equal to the first value once read
    ]
    frame = pd.DataFrame({"T": ["x" * 8] * len(values), "N": np.arange(len(values), dtype=float)})
    data, start, row = observations_of(frame, tmp_path)
    for index, value in enumerate(values):
        data[start + index * row : start + index * row + 8] = value.ljust(8)
    assert_same(written(data, tmp_path))


def test_text_that_is_not_utf8_is_read_as_windows_1252_alike_on_both_paths(tmp_path):
    frame = pd.DataFrame({"T": ["TOUX", "FIEVRE", "FIEVRE", "TOUX"]})
    data, start, width = observations_of(frame, tmp_path)
    data[start + width + 2] = 0xC8  # cp1252 È, in record 2
    data[start + 2 * width + 2] = 0xC8
    path = written(data, tmp_path)
    assert_same(path)
    read = read_xpt(path, "AE")
    assert read.frame["T"].tolist() == ["TOUX", "FIÈVRE", "FIÈVRE", "TOUX"]
    assert read.windows_1252 == {"T": 2} == by_pyreadstat(path).windows_1252
    with pytest.raises(InputError, match="a text value is not valid utf-8; give the file's"):
        read_xpt(path, "AE", encoding="utf-8")


def test_text_neither_utf8_nor_windows_1252_is_refused_naming_variable_and_record(tmp_path):
    frame = pd.DataFrame({"N": [1.0, 2.0, 3.0], "T": ["TOUX", "FIEVRE", "ASTHME"]})
    data, start, width = observations_of(frame, tmp_path)
    data[start + 2 * width + 8 + 1] = 0x81  # undefined in Windows-1252, in record 3
    path = written(data, tmp_path)
    why = "text of T \\(record 3\\) is neither UTF-8 nor Windows-1252 \\(byte 0x81\\)"
    with pytest.raises(InputError, match=why):
        read_xpt(path, "AE")
    with pytest.raises(InputError, match=why):
        by_pyreadstat(path)


@pytest.mark.parametrize(
    ("form", "width", "decimals"),
    [("$", 12, 0), ("", 0, 0), ("", 8, 0), ("", 0, 2), ("DATE", 0, 3), ("BEST", 12, 2),
     ("$CHAR", 0, 0), ("", 65535, 0)],
)  # fmt: skip
def test_formats_are_named_as_pyreadstat_names_them(tmp_path, form, width, decimals):
    data, _, _ = observations_of(pd.DataFrame({"T": ["a"], "N": [1.0]}), tmp_path)
    for namestr in (8 * 80, 8 * 80 + 140):
        data[namestr + 56 : namestr + 64] = form.ljust(8).encode()
        data[namestr + 64 : namestr + 68] = struct.pack(">HH", width, decimals)
    assert_same(written(data, tmp_path))


def test_short_numbers_and_non_ascii_names_are_left_to_pyreadstat(tmp_path):
    data, _, _ = observations_of(pd.DataFrame({"N": [1.0]}), tmp_path)
    short = bytearray(data)
    short[8 * 80 + 4 : 8 * 80 + 6] = struct.pack(">h", 4)
    assert xpt_v5._variable(xpt_v5.NAMESTR.unpack_from(bytes(short), 8 * 80), 0) is None
    data[8 * 80 + 8] = 0xC9
    assert column_wise(written(data, tmp_path)) is None


@pytest.mark.parametrize("header", [0, 3, 4, 7])
def test_headers_in_an_unusual_form_are_left_to_pyreadstat(tmp_path, header):
    data, _, _ = observations_of(pd.DataFrame({"N": [1.0]}), tmp_path)
    data[header * 80 + 30] = ord("X")
    path = written(data, tmp_path)
    assert column_wise(path) is None
    if header == 4:  # the descriptor header, which only pyreadstat checks
        with pytest.raises(InputError, match="not a readable XPT file"):
            read_xpt(path, "AE")


def test_values_hashed_alike_are_told_apart(tmp_path, monkeypatch):
    values = [f"{n:03d}-SAME-TAIL" for n in range(50)] * 3
    frame = pd.DataFrame({"T": values})
    path = tmp_path / "wide.xpt"
    pyreadstat.write_xport(frame, str(path), file_format_version=5)
    monkeypatch.setattr(xpt_v5, "HASH_MULTIPLIER", np.uint64(0))  # the key is the last word
    assert_same(path)


def test_empty_dataset_reads_alike(tmp_path):
    path = tmp_path / "empty.xpt"
    pyreadstat.write_xport(
        pd.DataFrame({"T": pd.Series([], dtype=object), "N": pd.Series([], dtype=float)}),
        str(path),
        file_format_version=5,
    )
    assert_same(path)


SAMPLE_AE = (ROOT / "sample_data" / "resolution" / "defects" / "ae.xpt").read_bytes()
PIECES = [b"\x00", b"\xff", b"\xc3\xa9", b"\xe9", b" ", b".", b"A", b"\x7f\xff\xff\xff", b"\x41"]


@pytest.mark.slow
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(SAMPLE_AE) - 1),
            st.one_of(st.binary(min_size=1, max_size=8), st.sampled_from(PIECES)),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_overwritten_bytes_read_as_pyreadstat_reads_them_or_are_left_to_it(tmp_path, edits):
    data = bytearray(SAMPLE_AE)
    for at, payload in edits:
        data[at : at + len(payload)] = payload[: len(data) - at]
    path = written(data, tmp_path)
    try:
        layout = xpt_layout(path)
    except InputError:
        return
    try:
        read = _read_column_wise(path, "X", layout)
    except InputError:  # text neither UTF-8 nor Windows-1252: pyreadstat's path refuses it too
        with pytest.raises(InputError):
            by_pyreadstat(path)
        return
    if read is None:
        return
    assert_same(path)  # and pyreadstat did not refuse it


@pytest.mark.parametrize("path", XPT_FILES[::4], ids=lambda p: str(p.relative_to(p.parents[2])))
def test_variables_decoded_on_threads_read_as_in_one_thread(path, monkeypatch):
    with path.open("rb") as handle:
        if handle.read(len(V8_HEADER)) == V8_HEADER:
            return
    monkeypatch.setattr(xpt_v5, "THREADED_BYTES", -1)  # every file on threads
    assert_same(path)


def test_on_threads_the_first_variable_not_text_is_the_one_named(tmp_path, monkeypatch):
    monkeypatch.setattr(xpt_v5, "THREADED_BYTES", -1)
    frame = pd.DataFrame({name: ["XXXXXXXX", "YYYYYYYY"] for name in ("A", "B", "C")})
    data, start, width = observations_of(frame, tmp_path)
    data[start + width + 8 + 0] = 0x81  # B, record 2
    data[start + 16 + 0] = 0x81  # C, record 1
    with pytest.raises(InputError, match="text of B \\(record 2\\)"):
        read_xpt(written(data, tmp_path), "AE")
