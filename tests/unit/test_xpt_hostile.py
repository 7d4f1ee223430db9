"""Hostile and unusual SAS transport files, built byte for byte: every one is read whole or
refused with a message naming the file and what was expected, never read as something else.

Blank or NUL variable names and names given twice are refused (pyreadstat would name the
column NaN, or rename the second `X_duplicated1`); a count field that is not digits is refused;
all-blank observations are records unless they fit in the padding of the last 80-byte record;
136-byte NAMESTR records (VAX/VMS) and a member header's text inside a value are read."""

from __future__ import annotations

import shutil
import struct
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT

from trialguard.cli import main
from trialguard.errors import InputError
from trialguard.readers.sas import read_with_pyreadstat
from trialguard.readers.xpt import read_xpt
from trialguard.readers.xpt_layout import xpt_layout

CLEAN = ROOT / "sample_data" / "resolution" / "clean"
NAMES = {5: (b"LIBRARY", b"MEMBER", b"DSCRPTR", b"NAMESTR", b"OBS")}
NAMES[8] = (b"LIBV8", b"MEMBV8", b"DSCPTV8", b"NAMSTV8", b"OBSV8")
STAMP = b"01JAN25:00:00:00"
TERM, SEQ = (b"AETERM", True, 8), (b"AESEQ", False, 8)


# ---------------------------------------------------------------- building XPT bytes
def record(text: bytes) -> bytes:
    assert len(text) <= 80
    return text.ljust(80)


def header(name: bytes, numbers: bytes = b"0" * 30) -> bytes:
    return record(b"HEADER RECORD*******" + name.ljust(8) + b"HEADER RECORD!!!!!!!" + numbers)


def ibm(value: int) -> bytes:
    """A small non-negative integer as an 8-byte IBM float."""
    if value == 0:
        return bytes(8)
    exponent = (value.bit_length() + 3) // 4
    return bytes([64 + exponent]) + (value << (56 - 4 * exponent)).to_bytes(7, "big")


def namestr(name: bytes, text: bool, length: int, number: int, size: int) -> bytes:
    fields = struct.pack(
        ">hhhh8s40s8sHHhh8sHHi",
        *(2 if text else 1, 0, length, number, name.ljust(8), b"".ljust(40), b"".ljust(8)),
        *(0, 0, 0, 0, b"".ljust(8), 0, 0, 0),
    )
    return (fields + name.ljust(32) + bytes(2)).ljust(size, b"\0")


def xpt(
    variables: list[tuple[bytes, bool, int]],
    rows: bytes,
    version: int = 5,
    namestr_size: int = 140,
    count: bytes | None = None,
) -> bytes:
    """A one-member XPT file: `variables` (name, is text, length), then `rows` and padding."""
    library, member, descriptor, namestrs, obs = NAMES[version]
    count = count if count is not None else str(len(variables)).zfill(4).encode()
    described = b"".join(
        namestr(*variable, number, namestr_size) for number, variable in enumerate(variables)
    )
    dataset_name = b"AE".ljust(32 if version == 8 else 8)
    return b"".join(
        [
            header(library),
            record(b"SAS     SAS     SASLIB  9.4     X64_10PR".ljust(64) + STAMP),
            record(STAMP),
            header(member, b"0" * 16 + b"0160" + b"0" * 6 + str(namestr_size).zfill(4).encode()),
            header(descriptor),
            record(b"SAS     " + dataset_name + b"SASDATA 9.4".ljust(24)),
            record(STAMP),
            header(namestrs, b"000000" + count + b"0" * 20),
            described + b" " * (-len(described) % 80),
            header(obs),
            rows + b" " * (-len(rows) % 80),
        ]
    )


def written(tmp_path, data: bytes, name: str = "ae.xpt"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read(tmp_path, data: bytes, **options):
    return read_xpt(written(tmp_path, data), "AE", **options)


ROWS = b"HEADACHE" + ibm(1) + b"COUGH   " + ibm(2)
READERS = [  # the column-wise reader, and pyreadstat's path (v8, or an encoding given)
    pytest.param(5, None, id="v5"),
    pytest.param(5, "utf-8", id="v5-pyreadstat"),
    pytest.param(8, None, id="v8"),
]


# ---------------------------------------------------------------- names
@pytest.mark.parametrize("version", [5, 8])
@pytest.mark.parametrize("name", [b"", b"\0" * 8, b"\0SEQ", b"  \0  \0"])
def test_a_blank_or_nul_variable_name_is_refused_by_its_namestr_number(tmp_path, version, name):
    data = xpt([TERM, (name, False, 8)], ROWS, version)
    with pytest.raises(InputError) as refused:
        read(tmp_path, data)
    assert refused.value.path.endswith("ae.xpt")
    assert refused.value.reason.startswith(
        "variable 2 of 2 (NAMESTR record 2) has a blank name: a SAS variable name is never blank"
    )


@pytest.mark.parametrize("version", [5, 8])
@pytest.mark.parametrize("second", [b"AETERM", b"AETERM\0\0", b"AETERM\0X"])
def test_a_variable_named_twice_is_refused_naming_it(tmp_path, version, second):
    data = xpt([TERM, (second, False, 8)], ROWS, version)
    with pytest.raises(InputError, match="names a variable twice: AETERM") as refused:
        read(tmp_path, data)
    assert refused.value.path.endswith("ae.xpt")
    if version == 5:
        assert "(NAMESTR records 1, 2)" in refused.value.reason


# ---------------------------------------------------------------- header counts
@pytest.mark.parametrize("count", [b"    ", b"   2", b" 2  ", b"+002", b"0_02", b"\0\0\0\0"])
def test_a_variable_count_that_is_not_digits_is_refused_naming_the_field(tmp_path, count):
    with pytest.raises(InputError) as refused:
        read(tmp_path, xpt([TERM, SEQ], ROWS, count=count))
    assert refused.value.reason.startswith("the NAMESTR header record holds '")
    assert "in bytes 54-58, where the number of variables belongs: expected 5 digits" in str(
        refused.value
    )


def test_a_namestr_length_that_is_not_digits_is_refused_naming_the_field(tmp_path):
    data = bytearray(xpt([TERM, SEQ], ROWS))
    data[3 * 80 + 74 : 3 * 80 + 78] = b" 140"
    with pytest.raises(InputError, match="the MEMBER header record holds ' 140' in bytes 75-78"):
        read(tmp_path, bytes(data))


# ---------------------------------------------------------------- all-blank observations
@pytest.mark.parametrize(("version", "encoding"), READERS)
@pytest.mark.parametrize("width", [80, 100, 200])
def test_blank_observations_of_80_bytes_or_more_are_records(tmp_path, version, encoding, width):
    rows = b"FEVER".ljust(width) + b" " * width * 3
    dataset = read(tmp_path, xpt([(b"AETERM", True, width)], rows, version), encoding=encoding)
    assert dataset.records == 4
    assert dataset.frame["AETERM"].isna().tolist() == [False, True, True, True]


@pytest.mark.parametrize(("version", "encoding"), READERS)
def test_blank_observations_are_records_unless_they_fit_in_the_last_records_padding(
    tmp_path, version, encoding
):
    # 2 observations of 16 bytes, then 20 blank ones: 352 bytes, padded to 400.  The last 4
    # blank observations fit in the last record after 336 bytes: they may be padding.
    data = xpt([TERM, SEQ], ROWS + b" " * 16 * 20, version)
    middle = xpt(
        [TERM, SEQ], b" " * 16 + ROWS, version
    )  # a blank observation as any reader reads it
    dataset = read(tmp_path, data, encoding=encoding)
    blank = read_xpt(written(tmp_path, middle, "middle.xpt"), "AE", encoding=encoding).frame
    assert dataset.records == 21 == xpt_layout(tmp_path / "ae.xpt").observations
    assert dataset.frame["AETERM"].iloc[:2].tolist() == ["HEADACHE", "COUGH"]
    assert dataset.frame["AETERM"].iloc[2:].isna().all()
    np.testing.assert_array_equal(
        dataset.frame["AESEQ"].to_numpy()[2:].view(np.uint64),
        np.repeat(blank["AESEQ"].to_numpy()[:1].view(np.uint64), 19),
    )


@pytest.mark.parametrize("width", [3, 4, 7, 8])
def test_blank_numbers_added_back_on_pyreadstats_path_read_as_it_reads_them(tmp_path, width):
    numbers = [(b"N", False, width), (b"T", True, 1)]
    row = ibm(5)[:width] + b"X"
    read_tail = read(tmp_path, xpt(numbers, row + b" " * (width + 1) * 90, version=8))
    middle = read(tmp_path, xpt(numbers, b" " * (width + 1) + row, version=8))
    padded = -(-91 * (width + 1) // 80) * 80  # the data of 91 observations, padded
    assert read_tail.records == (padded - 80) // (width + 1) + 1  # all but those in its padding
    values, blank = read_tail.frame["N"].to_numpy(), middle.frame["N"].to_numpy()[0]
    assert values[0] == 5.0
    assert np.array_equal(
        values[1:].view(np.uint64), np.full(len(values) - 1, blank).view(np.uint64)
    )


def test_a_file_of_zero_observations_still_holds_none(tmp_path):
    assert read(tmp_path, xpt([TERM, SEQ], b"")).records == 0


# ---------------------------------------------------------------- read when valid
@pytest.mark.parametrize(("version", "encoding"), READERS)
def test_136_byte_namestr_records_are_read(tmp_path, version, encoding):
    expected = read(tmp_path, xpt([TERM, SEQ], ROWS, version), encoding=encoding).frame
    for many in (1, 7):  # 7 variables: the NAMESTR records end part-way into a record
        variables = [TERM, SEQ] + [(f"X{n}".encode(), True, 1) for n in range(many - 1)]
        rows = b"".join(row + b"ABCDEFGHI"[: many - 1] for row in (ROWS[:16], ROWS[16:]))
        data = xpt(variables, rows, version, namestr_size=136)
        frame = read(tmp_path, data, encoding=encoding).frame
        pd.testing.assert_frame_equal(frame[["AETERM", "AESEQ"]], expected)
        assert list(frame.columns) == [v[0].decode() for v in variables]


@pytest.mark.parametrize(("version", "encoding"), READERS)
@pytest.mark.parametrize("where", ["alone", "inside an observation"])
def test_a_member_header_inside_a_text_value_is_data(tmp_path, version, encoding, where):
    # A second member is its member and descriptor header records where observations end;
    # the member header alone, or both inside an observation, are a value's text.
    member, descriptor = header(NAMES[version][1]), header(NAMES[version][2])
    values = [member, b"B"] if where == "alone" else [b"A" * 80 + member + descriptor, b"B"]
    width = max(map(len, values))
    rows = b"".join(value.ljust(width) for value in values)
    dataset = read(tmp_path, xpt([(b"AETERM", True, width)], rows, version), encoding=encoding)
    assert dataset.frame["AETERM"].tolist() == [v.decode().rstrip() for v in values]


def test_a_second_member_after_the_first_is_still_refused(tmp_path):
    first = xpt([TERM, SEQ], ROWS)
    second = xpt([TERM, SEQ], ROWS)[3 * 80 :]
    with pytest.raises(InputError, match="a second member starts at byte offset 1,120"):
        read(tmp_path, first + second)


# ---------------------------------------------------------------- what the user sees
def edit_namestr(data: bytearray, number: int, at: int, value: bytes) -> None:
    start = 8 * 80 + (number - 1) * 140 + at
    data[start : start + len(value)] = value


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (lambda d: edit_namestr(d, 2, 8, b"\0" * 8), "variable 2 of 15 (NAMESTR record 2) has a"),
        (lambda d: edit_namestr(d, 2, 8, b"STUDYID "), "names a variable twice: STUDYID"),
        (
            lambda d: d.__setitem__(slice(7 * 80 + 53, 7 * 80 + 58), b" " * 5),
            "the NAMESTR header record holds '     '",
        ),
    ],
    ids=["nul-name", "name-twice", "blank-count"],
)
def test_the_command_line_lists_the_dataset_as_unreadable(tmp_path, capsys, edit, says):
    folder = tmp_path / "transfer"
    shutil.copytree(CLEAN, folder)
    data = bytearray((folder / "ae.xpt").read_bytes())
    edit(data)
    (folder / "ae.xpt").write_bytes(bytes(data))
    code = main(["validate", str(folder), "--spec", "sdtm", "--json", str(tmp_path / "r.json")])
    stderr = capsys.readouterr().err
    assert code == 2, stderr
    assert f"ae.xpt: {says}" in stderr and "Traceback" not in stderr


def test_sas7bdat_names_pyreadstat_renames_or_leaves_blank_are_refused_too(tmp_path):
    path = written(tmp_path, b"", "ae.sas7bdat")

    def renaming(_path, **_options):
        warnings.warn(
            "column 'AETERM' is duplicated, renamed to 'AETERM_duplicated1'", stacklevel=1
        )
        return pd.DataFrame({"AETERM": ["A"], "AETERM_duplicated1": ["B"]}), SimpleNamespace()

    def unnamed(_path, **_options):
        return pd.DataFrame({"AETERM": ["A"], None: ["B"]}), SimpleNamespace()

    with pytest.raises(InputError, match="names a variable twice: AETERM; each variable"):
        read_with_pyreadstat(renaming, path, "AE", "sas7bdat", None)
    with pytest.raises(InputError, match=r"variable 2 of 2 \(column 2\) has a blank name"):
        read_with_pyreadstat(unnamed, path, "AE", "sas7bdat", None)
