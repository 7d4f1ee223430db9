from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from conftest import SAMPLE_DATA

from trialguard.errors import InputError
from trialguard.readers import read_study
from trialguard.readers.csv import read_csv
from trialguard.readers.names import NO_CHECKS
from trialguard.readers.xpt import read_xpt


def test_csv_keeps_text_as_text_and_numbers_records(tmp_csv):
    path = tmp_csv("dm.csv", "USUBJID,SUBJID,AGE\nA-1,0001,40\nA-2, ,\n")
    ds = read_csv(path, "DM")
    assert ds.frame.loc[1, "SUBJID"] == "0001"
    assert ds.frame.loc[1, "AGE"] == "40"
    assert pd.isna(ds.frame.loc[2, "SUBJID"]) and pd.isna(ds.frame.loc[2, "AGE"])
    assert list(ds.frame.index) == [1, 2] and ds.records == 2


def test_csv_with_byte_order_mark_reads_the_first_column_name_cleanly(tmp_csv):
    path = tmp_csv("dm.csv", "\ufeffUSUBJID,SEX\nA-1,F\n")
    assert list(read_csv(path, "DM").frame.columns) == ["USUBJID", "SEX"]


def test_csv_in_windows_1252_is_read_as_such_and_says_where(tmp_csv):
    path = tmp_csv("ae.csv", "USUBJID,AETERM\nA-1,Fever\nA-2,Fièvre\n", encoding="cp1252")
    read = read_csv(path, "AE")
    assert read.frame.loc[2, "AETERM"] == "Fièvre" and read.windows_1252 == {"AETERM": 2}
    assert read_csv(path, "AE", encoding="cp1252").frame.loc[2, "AETERM"] == "Fièvre"


def test_csv_not_in_the_encoding_given_names_the_file_and_the_way_out(tmp_csv):
    path = tmp_csv("ae.csv", "USUBJID,AETERM\nA-1,Fièvre\n", encoding="cp1252")
    with pytest.raises(InputError, match=r"ae\.csv.*byte 0xe8 on line 2.*--encoding"):
        read_csv(path, "AE", encoding="utf-8")


def test_csv_with_a_repeated_column_is_refused(tmp_csv):
    with pytest.raises(InputError, match="AESEQ"):
        read_csv(tmp_csv("ae.csv", "USUBJID,AESEQ,AESEQ\nA,1,2\n"), "AE")


def test_ragged_csv_is_refused_with_its_line(tmp_csv):
    with pytest.raises(InputError, match="line 3"):
        read_csv(tmp_csv("ae.csv", "USUBJID,AESEQ\nA,1\nB,2,3\n"), "AE")


def test_empty_csv_is_refused(tmp_csv):
    with pytest.raises(InputError, match="empty"):
        read_csv(tmp_csv("ae.csv", ""), "AE")


def test_xpt_keeps_labels_lengths_and_sas_missing(tmp_path):
    frame = pd.DataFrame({"USUBJID": ["A-1", "A-2"], "AGE": [40.0, float("nan")], "SEX": ["F", ""]})
    path = tmp_path / "dm.xpt"
    pyreadstat.write_xport(
        frame, str(path), table_name="DM", file_format_version=5, column_labels={"AGE": "Age"}
    )
    ds = read_xpt(path, "DM")
    assert ds.labels["AGE"] == "Age"
    assert ds.lengths["USUBJID"] >= 3 and "AGE" in ds.numeric
    assert pd.isna(ds.frame.loc[2, "AGE"]) and pd.isna(ds.frame.loc[2, "SEX"])


def test_a_file_that_is_not_xpt_is_refused_by_name(tmp_path):
    path = tmp_path / "ae.xpt"
    path.write_text("this is not a transport file")
    with pytest.raises(InputError, match=r"ae\.xpt.*not a SAS transport \(XPT\) file"):
        read_xpt(path, "AE")


def test_study_names_datasets_by_file_name_and_accepts_dl_or_dlt(tmp_csv):
    tmp_csv("DM.csv", "USUBJID\nA\n")
    path = tmp_csv("dlt.csv", "USUBJID\nA\n")
    tmp_csv("notes.txt", "hello")
    study = read_study([path.parent])
    assert set(study.datasets) == {"DM", "DL"}
    assert any("notes.txt" in p for p, _ in study.skipped)


def test_two_files_for_one_dataset_leave_it_unread_and_name_both(tmp_csv):
    tmp_csv("ae.csv", "USUBJID\nA\n")
    tmp_csv("dm.csv", "USUBJID\nA\n")
    path = tmp_csv("AE.CSV", "USUBJID\nA\n")
    study = read_study([path.parent])
    assert set(study.datasets) == {"DM"} and not study.complete
    assert [u.dataset for u in study.unreadable] == ["AE", "AE"]
    assert "AE.CSV and ae.csv" in study.unread("AE").reason


def test_a_folder_without_datasets_is_refused(tmp_path):
    with pytest.raises(InputError, match="no DM, EX, AE or DLT"):
        read_study([tmp_path])


RULE = (
    "no DM, EX, AE or DLT dataset found. A dataset file is named after its dataset and nothing "
    "else: dm, ex, ae, dl or dlt, with .xpt, .csv, .sas7bdat, .json, .ndjson or .dsjc, in any "
    "case (e.g. dm.xpt, AE.csv), or holds its dataset's name (XPT member, SAS7BDAT table, "
    "Dataset-JSON name, CSV DOMAIN)."
)
NOT_XPT = "the dataset name it holds cannot be read: not a SAS transport (XPT) file: no XPORT "
NOT_XPT += "library header"


def reason_of(paths) -> str:
    with pytest.raises(InputError) as caught:
        read_study(paths)
    return caught.value.reason


def test_a_folder_of_misnamed_files_says_what_it_found_and_how_to_name_them(tmp_csv, tmp_path):
    for name in ("allo329_dm.xpt", "allo329_ae.xpt", "suppdm.xpt", "notes.txt", "sdtm/dm.xpt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        tmp_csv(name, "USUBJID\nA\n")
    assert reason_of([tmp_path]) == (
        f"{RULE} Found 3 data files with other names: "
        "allo329_ae.xpt (looks like AE with a sponsor prefix 'allo329_': name it ae.xpt; "
        f"{NOT_XPT}), "
        "allo329_dm.xpt (looks like DM with a sponsor prefix 'allo329_': name it dm.xpt; "
        f"{NOT_XPT}), "
        "suppdm.xpt (an SDTM dataset, but not DM, EX, AE or DL). "
        "Found a sub-folder holding data files: sdtm/ "
        f"(folders are searched one level deep: give {tmp_path / 'sdtm'} as the path). "
        "Found 1 other file (not a dataset file): notes.txt."
    )


def test_an_empty_folder_and_a_misnamed_file_given_alone_are_explained(tmp_path, tmp_csv):
    assert reason_of([tmp_path]) == f"{RULE} Found no files or sub-folders."
    path = tmp_csv("DM_v2.XPT", "USUBJID\nA\n")
    assert reason_of([path]) == (
        f"{RULE} Found 1 data file with other names: "
        "DM_v2.XPT (looks like DM with extra text '_v2' after the name: name it DM.XPT; "
        f"{NOT_XPT})."
    )


def test_files_beside_the_datasets_are_skipped_each_with_its_reason(tmp_csv, tmp_path):
    tmp_csv("dm.csv", "USUBJID\nA\n")
    names = ("x_ae_final.csv", "._dm.csv", "lb.csv", "suppqual.csv", "define.xml", "qscg.csv")
    for name in (*names, "log.csv", "spec.csv", "adsl.csv"):
        tmp_csv(name, "USUBJID\nA\n")
    (tmp_path / "old").mkdir()
    tmp_csv("old/ae.csv", "USUBJID\nA\n")
    (tmp_path / "empty").mkdir()
    study = read_study([tmp_path])
    assert set(study.datasets) == {"DM", "LB", "SUPPQUAL", "QSCG"} and study.complete
    not_a_dataset = NO_CHECKS
    assert {Path(p).name: why for p, why in study.skipped} == {
        **{name: not_a_dataset for name in ("log.csv", "spec.csv", "adsl.csv")},
        "._dm.csv": "a hidden file: not read",
        "empty": "a folder: sub-folders are not searched",
        "old": "a folder: sub-folders are not searched; it holds 1 data file: "
        f"give {tmp_path / 'old'} as a path of its own",
        "x_ae_final.csv": "looks like AE with a sponsor prefix 'x_' and extra text '_final' "
        "after the name: name it ae.csv",
    }


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("STUDYID,,USUBJID", "line 1 (the header): column 2 has no name"),
        ("STUDYID, ,USUBJID,,AETERM", "line 1 (the header): columns 2 and 4 have no name"),
        ("STUDYID,USUBJID,", "line 1 (the header) ends with a comma, so column 3 has no name"),
        ("A,B,,,,", "line 1 (the header) ends with 4 commas, so columns 3 to 6 have no name"),
        (
            "A,,B,",
            "line 1 (the header): column 2 has no name, and it ends with a comma, "
            "so column 4 has no name",
        ),
        (
            "A,,B,,C,,D,,E,,F,,G,,H,",
            "line 1 (the header): columns 2, 4, 6, 8, 10 and 2 more have no name, "
            "and it ends with a comma, so column 16 has no name",
        ),
    ],
)
def test_a_csv_header_with_a_blank_name_says_which_columns(tmp_csv, header, reason):
    path = tmp_csv("ae.csv", f"{header}\n{',' * header.count(',')}\n")
    with pytest.raises(InputError) as caught:
        read_csv(path, "AE")
    assert caught.value.reason == f"{reason}; every column needs a variable name"


def test_the_terminal_passes_over_exactly_the_skip_reasons_that_name_no_fix():
    from trialguard.readers.names import NOT_DATA
    from trialguard.reporting.terminal import PLAIN_SKIPS

    assert set(PLAIN_SKIPS) == {NOT_DATA, NO_CHECKS}


def test_an_xpt_header_pyreadstat_cannot_decode_even_byte_for_byte_is_unreadable(tmp_path):
    """A case the reader fuzz found: a NAMESTR field turned into bytes that are not UTF-8 (0x80)
    makes pyreadstat fail on UTF-8 even when asked to read the text byte for byte."""
    data = bytearray((SAMPLE_DATA / "resolution" / "clean" / "ae.xpt").read_bytes())
    data[829:837] = b"\x00" * 7 + b"\x80"
    path = tmp_path / "ae.xpt"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError) as raised:
        read_xpt(path, "AE")
    assert "not valid UTF-8 (byte 0x80)" in raised.value.reason
