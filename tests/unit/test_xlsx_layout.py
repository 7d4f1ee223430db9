"""The workbook laid out as Pinnacle 21 users expect: columns fitted to their content (long
text capped and wrapped), a filter and a frozen header on every sheet, blank values as empty
cells, each dataset's SDTMIG label, the Issue Summary most severe and most frequent first, and
each rule's Pinnacle 21, publisher and CORE ids."""

from __future__ import annotations

import re
import zipfile
from collections import Counter

import openpyxl
import pytest
from conftest import SAMPLES
from openpyxl.utils import column_index_from_string, get_column_letter

import trialguard
from trialguard.findings import RuleInfo, Severity
from trialguard.reporting.xlsx import SHEETS
from trialguard.reporting.xlsx_ids import LONGEST_RANGE, rule_ids
from trialguard.reporting.xlsx_rows import dataset_label
from trialguard.reporting.xlsx_sheet import FILTER_BUTTON, PADDING, WIDEST

EMPTY_TEXT = re.compile(r"<t(?: [^>]*)?>\s*</t>|<t(?: [^>]*)?/>")


@pytest.fixture(scope="module")
def defects():
    return trialguard.validate(SAMPLES / "defects", spec="resolution")


@pytest.fixture(scope="module")
def written(defects, tmp_path_factory):
    return defects.write_xlsx(tmp_path_factory.mktemp("layout") / "r.xlsx")


@pytest.fixture(scope="module")
def book(written):
    return openpyxl.load_workbook(written)


def rows(sheet) -> list[tuple]:
    return [tuple(c.value for c in row) for row in sheet.iter_rows()]


def column(sheet, title: str) -> tuple[str, list]:
    """The letter and the values (under the header) of the column headed `title`."""
    table = rows(sheet)
    index = table[0].index(title)
    return get_column_letter(index + 1), [row[index] for row in table[1:]]


def width(sheet, letter: str) -> int:
    """The width set for a column (adjacent columns of one width share one setting); xlsxwriter
    adds under one character to it for the pixels."""
    index = column_index_from_string(letter)
    widths = [d.width for d in sheet.column_dimensions.values() if d.min <= index <= d.max]
    assert len(widths) == 1, (sheet.title, letter)
    return int(widths[0])


def test_every_sheet_is_a_filtered_table_under_a_frozen_header(book):
    for sheet in book:
        table = rows(sheet)
        corner = f"{get_column_letter(len(table[0]))}{len(table)}"
        assert sheet.auto_filter.ref == f"A1:{corner}", sheet.title
        assert sheet.freeze_panes == "A2", sheet.title
        assert all(isinstance(title, str) for title in table[0]), sheet.title


def test_a_short_column_fits_its_longest_value(book, defects):
    letter, usubjids = column(book["Details"], "USUBJID")
    longest = max(len(f.usubjid) for f in defects.findings() if f.usubjid)
    assert longest > len("USUBJID") + FILTER_BUTTON
    assert width(book["Details"], letter) == longest + PADDING
    letter, _ = column(book["Details"], "Severity")  # the header, with its filter, is widest
    assert width(book["Details"], letter) == len("Severity") + FILTER_BUTTON + PADDING


def test_a_long_column_is_capped_and_its_long_values_wrapped(book):
    sheet = book["Issue Summary"]
    letter, messages = column(sheet, "Message")
    assert max(len(m) for m in messages) > WIDEST and width(sheet, letter) == WIDEST + PADDING
    cells = sheet[letter][1:]
    assert all(bool(c.alignment.wrap_text) == (len(c.value) > WIDEST) for c in cells)
    assert any(not c.alignment.wrap_text for c in cells)
    for title in ("Dataset", "Rule", "Severity"):
        letter, _ = column(sheet, title)
        assert not any(c.alignment.wrap_text for c in sheet[letter])


def test_every_sheet_sets_the_width_of_every_column(book):
    for sheet in book:
        for index in range(1, len(rows(sheet)[0]) + 1):
            letter = get_column_letter(index)
            assert 0 < width(sheet, letter) <= WIDEST + PADDING, (sheet.title, letter)


def test_blank_values_are_empty_cells_not_empty_strings(book, written):
    details = book["Details"]
    _, history = column(details, "History")
    _, seq = column(details, "SEQ")
    assert set(history) == {None} and None in seq
    assert not any(v == "" for sheet in book for row in rows(sheet) for v in row)
    with zipfile.ZipFile(written) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert not EMPTY_TEXT.search(archive.read(name).decode()), name


def test_the_issue_summary_is_most_severe_then_most_frequent_first(book, defects):
    table = rows(book["Issue Summary"])
    assert table[0] == ("Dataset", "Rule", "Pinnacle 21 ID", "Publisher ID", "CORE ID",
                        "Message", "Severity", "Count")  # fmt: skip
    shown = [(row[6], row[7], row[0], row[1]) for row in table[1:]]
    counted = Counter((f.severity.value, f.domain, f.rule_id) for f in defects.findings())
    assert sorted(shown) != shown  # the order is not the alphabetical one
    assert {severity for severity, *_ in shown} == {"error", "warning", "notice"}
    assert shown == sorted(
        ((severity, count, dataset, rule) for (severity, dataset, rule), count in counted.items()),
        key=lambda r: (-Severity(r[0]).rank, -r[1], r[2], r[3]),
    )
    assert shown[0][:3] == ("error", 5, "EX") and shown[-1][0] == "notice"


def test_rules_issues_and_details_carry_the_rules_other_ids(book):
    rules = {row[0]: row[1:4] for row in rows(book["Rules"])[1:]}
    assert rules["SD-SUPP-QNAM"] == ("SD0086", "FDAC047", "CORE-000203")
    assert rules["SD-MODEL-ADDED"] == ("SD1076", "FDAC031", None)
    assert rules["RES-AGE"] == (None, None, None)
    core = rules["SD-CT"][2].split(", ")
    assert core[:3] == ["CORE-000006", "CORE-000087", "CORE-000123"] and len(core) == 11
    issues = {(row[0], row[1]): row[2:5] for row in rows(book["Issue Summary"])[1:]}
    assert issues[("SUPPAE", "SD-SUPP-QNAM")] == ("SD0086", "FDAC047", "CORE-000203")
    details = [row for row in rows(book["Details"])[1:] if row[0] == "SD-SUPP-QNAM"]
    assert details and all(row[1:4] == ("SD0086", "FDAC047", "CORE-000203") for row in details)


def source_ids(source: str, rule_id: str = "X-1") -> tuple[str, str, str]:
    return rule_ids(RuleInfo(rule_id, "kind", Severity.ERROR, "description", source))


def test_ids_are_read_from_the_source_a_spec_gives():
    assert source_ids("SDTMIG 3.4 §4.4; CORE-000892") == ("", "", "CORE-000892")
    assert source_ids("Pinnacle 21 SD0040 (FDA FDAC085), SD1043 (FDA FDAC086); SDTMIG") == (
        "SD0040, SD1043", "FDAC085, FDAC086", ""
    )  # fmt: skip
    assert source_ids("SDTMIG 3.4 DM (AGE, BRTHDTC)") == ("", "", "")
    # an id after the Pinnacle 21 citation's end is not Pinnacle 21's
    assert source_ids("Pinnacle 21 SD1226 (FDAC271); REGID (SD2221) is left out")[0] == "SD1226"
    assert source_ids("FDA business rule FDAB009")[1] == "FDAB009"


def test_a_narrow_range_is_listed_id_by_id_and_a_wide_one_as_written():
    p21, publisher, _ = source_ids("Pinnacle 21 SD2201-SD2204, SD1226 (FDA FDAC234-FDAC306)")
    assert p21 == "SD2201, SD2202, SD2203, SD2204, SD1226"
    assert publisher == "FDAC234-FDAC306"
    assert 306 - 234 >= LONGEST_RANGE
    assert source_ids("CORE-000068 to CORE-000071")[2] == (
        "CORE-000068, CORE-000069, CORE-000070, CORE-000071"
    )


def test_an_open_rule_shows_its_core_id_and_its_authorities_ids():
    source = ("CDISC Open Rules CORE-000707 (Fully Executable); FDA FB3208 (SDTMIG 3.2), "
              "FDA FB3208 (SDTMIG 3.3), CDISC CG0628 (SDTMIG 3.4)")  # fmt: skip
    p21, publisher, core = source_ids(source, rule_id="CORE-000707")
    assert (p21, core) == ("", "CORE-000707")
    assert sorted(publisher.split(", ")) == ["CG0628", "FB3208"]


def test_the_dataset_summary_gives_each_datasets_sdtmig_label(book):
    table = rows(book["Dataset Summary"])
    assert table[0][:4] == ("Dataset", "Label", "Class", "File")
    labels = {row[0]: row[1:3] for row in table[1:]}
    assert labels["AE"] == ("Adverse Events", "Events")
    assert labels["SUPPAE"] == ("Supplemental Qualifiers for AE", "Relationship")
    assert labels["DM"] == ("Demographics", "Special-Purpose")


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("LBCH", ("Laboratory Test Results", "Findings")),  # a split dataset: its domain's
        ("SUPPLBCH", ("Supplemental Qualifiers for LBCH", "Relationship")),
        ("SUPPQUAL", ("Supplemental Qualifiers", "Relationship")),
        ("RELREC", ("Related Records", "Relationship")),
        ("XZ", ("", "")),  # a sponsor's domain: the SDTMIG has no label for it
    ],
)
def test_dataset_labels(name, label):
    assert dataset_label(name) == label


def test_the_sheets_keep_pinnacle_21s_order(book):
    assert book.sheetnames == list(SHEETS)
