"""The bad-input corpus, made by code: each builder writes one hostile transfer into a folder.

Every case starts from the clean RESOLUTION sample (valid XPT, or the same
data as CSV) and breaks one thing, the way uploads arrive broken: cut,
mis-encoded, hand-edited, renamed or simply wrong.  `CASES` pairs each
builder with what the user must see; tests/corpus/test_corpus.py runs them.
"""

from __future__ import annotations

import csv
import os
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyreadstat
from sas7bdat_writer import write_sas7bdat

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "sample_data" / "resolution" / "clean"
FILES = {"DM": "dm", "EX": "ex", "AE": "ae", "DL": "dlt"}


@dataclass(frozen=True)
class Case:
    """A broken transfer and what the user sees: exit code, words on stderr, rules, findings."""

    id: str
    build: Callable[[Path], list[str]]  # writes the transfer, returns extra CLI arguments
    exit: int
    says: tuple[str, ...] = ()  # phrases stderr must hold (file name, line or offset, remedy)
    findings: tuple[tuple[str, str], ...] = ()  # (rule, variable) pairs the report must hold
    not_run: tuple[str, ...] = ()  # rules that must end "not run"
    records: dict[str, int] = field(default_factory=dict)  # records the report must count
    skipped: dict[str, str] = field(default_factory=dict)  # file name -> why the report skips it
    spec: str = "resolution"


# ---------------------------------------------------------------- base transfers
def clean_frames() -> dict[str, pd.DataFrame]:
    return {
        name: pyreadstat.read_xport(str(CLEAN / f"{stem}.xpt"))[0] for name, stem in FILES.items()
    }


def copy_clean(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for path in CLEAN.glob("*.xpt"):
        shutil.copy(path, folder / path.name)


def as_csv_text(frame: pd.DataFrame) -> pd.DataFrame:
    text = frame.copy()
    for column in text.columns:
        if pd.api.types.is_float_dtype(text[column]):
            text[column] = text[column].map(lambda v: "" if pd.isna(v) else f"{v:g}")
    return text.astype(object)


def write_csv_study(folder: Path, frames: dict[str, pd.DataFrame], **options) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        as_csv_text(frame).to_csv(folder / f"{FILES[name]}.csv", index=False, **options)


def csv_study_with(folder: Path, name: str, change: Callable[[pd.DataFrame], object]) -> None:
    """The clean study as CSV, `name` changed in place (or replaced by what `change` returns)."""
    frames = {n: as_csv_text(f) for n, f in clean_frames().items()}
    changed = change(frames[name])
    if changed is not None:
        frames[name] = changed
    write_csv_study(folder, frames)


def independent_count(path: Path) -> int:
    """Records in a file as another reader counts them: the csv module, or pandas' SAS readers."""
    if path.suffix.lower() == ".csv":
        csv.field_size_limit(max(csv.field_size_limit(), path.stat().st_size + 1))
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            return sum(1 for row in csv.reader(handle) if row) - 1
    if path.suffix.lower() == ".sas7bdat":
        return len(pd.read_sas(path, format="sas7bdat", encoding="latin-1"))
    if path.read_bytes()[20:25] == b"LIBV8":  # pandas reads XPORT v5 only
        return len(pyreadstat.read_xport(str(path))[0])
    try:
        return len(pd.read_sas(path, format="xport", encoding="latin-1"))
    except StopIteration:  # pandas' way of saying the file holds no observation
        return 0


def replace_text(folder: Path, stem: str, old: str, new: str, encoding: str = "utf-8") -> None:
    path = folder / f"{stem}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_bytes(text.replace(old, new, 1).encode(encoding))


# ---------------------------------------------------------------- XPT and SAS7BDAT
def truncated_xpt(folder: Path) -> list[str]:
    copy_clean(folder)
    data = (folder / "ae.xpt").read_bytes()
    (folder / "ae.xpt").write_bytes(data[: len(data) // 2 + 7])
    return []


def xpt_cut_at_a_record(folder: Path) -> list[str]:
    copy_clean(folder)
    data = (folder / "ae.xpt").read_bytes()
    (folder / "ae.xpt").write_bytes(data[: (len(data) // 2) // 80 * 80])
    return []


def empty_xpt(folder: Path) -> list[str]:
    copy_clean(folder)
    (folder / "ae.xpt").write_bytes(b"")
    return []


def csv_named_xpt(folder: Path) -> list[str]:
    copy_clean(folder)
    frames = clean_frames()
    as_csv_text(frames["AE"]).to_csv(folder / "ae.xpt", index=False)
    return []


def xpt_version_8(folder: Path) -> list[str]:
    copy_clean(folder)
    frame = clean_frames()["DM"]
    frame["RACEOTHERSPEC"] = ""
    pyreadstat.write_xport(
        frame,
        str(folder / "dm.xpt"),
        table_name="DM",
        file_format_version=8,
        column_labels={"RACEOTHERSPEC": "Race, other, specify (free text as given by the subject)"},
    )
    return []


def xpt_two_members(folder: Path) -> list[str]:
    copy_clean(folder)
    ae = (folder / "ae.xpt").read_bytes()
    dm = (folder / "dm.xpt").read_bytes()
    (folder / "ae.xpt").write_bytes(ae + dm[3 * 80 :])  # a second member after the first
    return []


def xpt_in_cp1252(folder: Path) -> list[str]:
    copy_clean(folder)
    frame = clean_frames()["AE"]
    frame.loc[0, "AETERM"] = "FIÈVRE"
    pyreadstat.write_xport(frame, str(folder / "ae.xpt"), table_name="AE", file_format_version=5)
    data = (folder / "ae.xpt").read_bytes()
    (folder / "ae.xpt").write_bytes(data.replace("FIÈVRE".encode(), "FIÈVRE ".encode("cp1252")))
    return []


def sas7bdat_compressed(folder: Path) -> list[str]:
    copy_clean(folder)
    (folder / "ae.xpt").unlink()
    write_sas7bdat(clean_frames()["AE"], folder / "ae.sas7bdat", "AE", compressed=True)
    return []


def sas7bdat_truncated(folder: Path) -> list[str]:
    sas7bdat_compressed(folder)
    data = (folder / "ae.sas7bdat").read_bytes()
    (folder / "ae.sas7bdat").write_bytes(data[: len(data) - 1000])
    return []


# ---------------------------------------------------------------- CSV
def csv_clean(folder: Path) -> list[str]:
    write_csv_study(folder, clean_frames())
    return []


def csv_cp1252(folder: Path) -> list[str]:
    write_csv_study(folder, clean_frames())
    replace_text(folder, "ae", "CYTOKINE RELEASE SYNDROME", "SYNDROME DE LIBÉRATION", "cp1252")
    return []


def csv_cp1252_with_encoding(folder: Path) -> list[str]:
    csv_cp1252(folder)
    return ["--encoding", "cp1252"]


def csv_with_bom(folder: Path) -> list[str]:
    write_csv_study(folder, clean_frames(), encoding="utf-8-sig")
    return []


def csv_ragged(folder: Path) -> list[str]:
    write_csv_study(folder, clean_frames())
    lines = (folder / "ae.csv").read_text().splitlines(keepends=True)
    lines[4] = lines[4].rstrip("\n").rsplit(",", 2)[0] + "\n"  # record 4 loses two fields
    (folder / "ae.csv").write_text("".join(lines))
    return []


def csv_quoted_newlines(folder: Path) -> list[str]:
    def change(ae: pd.DataFrame) -> None:
        ae.loc[1, "AETERM"] = "NAUSEA\nAND VOMITING"

    csv_study_with(folder, "AE", change)
    return []


def csv_duplicate_columns(folder: Path) -> list[str]:
    write_csv_study(folder, clean_frames())
    replace_text(folder, "ae", "AEDECOD,", "AETERM,")
    return []


def csv_blank_header_name(folder: Path) -> list[str]:
    write_csv_study(folder, clean_frames())
    replace_text(folder, "ae", ",DOMAIN,", ",,")
    return []


def csv_trailing_comma_header(folder: Path) -> list[str]:
    write_csv_study(folder, clean_frames())
    path = folder / "ae.csv"
    header, rest = path.read_text().split("\n", 1)
    path.write_text(f"{header},\n{rest}")
    return []


def zero_records(folder: Path) -> list[str]:
    def change(dl: pd.DataFrame) -> pd.DataFrame:
        return dl.iloc[0:0]

    csv_study_with(folder, "DL", change)
    return []


def missing_required_variable(folder: Path) -> list[str]:
    frames = clean_frames()
    frames["AE"] = frames["AE"].drop(columns=["AETERM"])
    write_csv_study(folder, frames)
    return []


def numeric_holds_text(folder: Path) -> list[str]:
    def change(dm: pd.DataFrame) -> None:
        dm.loc[2, "AGE"] = "forty"

    csv_study_with(folder, "DM", change)
    return []


def non_iso_dates(folder: Path) -> list[str]:
    def change(ae: pd.DataFrame) -> None:
        ae.loc[0, "AEENDTC"] = "01/02/2025"
        ae.loc[1, "AEENDTC"] = "2025-1-2"
        ae.loc[2, "AEENDTC"] = "45658"  # an Excel serial day number

    csv_study_with(folder, "AE", change)
    return []


LONG_VALUE = "CYTOKINE RELEASE SYNDROME " * 1154  # 30,004 characters


def long_values(folder: Path) -> list[str]:
    def change(ae: pd.DataFrame) -> None:
        ae.loc[0, "AETERM"] = LONG_VALUE[:30_000]

    csv_study_with(folder, "AE", change)
    return []


def huge_value(folder: Path) -> list[str]:
    def change(ae: pd.DataFrame) -> None:
        ae.loc[0, "AETERM"] = "X" * 5_000_000

    csv_study_with(folder, "AE", change)
    return []


def hidden_characters(folder: Path) -> list[str]:
    def change(ae: pd.DataFrame) -> None:
        ae.loc[0, "AETERM"] = "NAUSEA\x07"
        ae.loc[1, "AETERM"] = "\u202eAESUAN"  # displays reversed: NAUSEA
        ae.loc[2, "AETERM"] = "غثيان"  # Arabic script is printable: no finding

    csv_study_with(folder, "AE", change)
    return []


PAYLOADS = ("<script>alert(1)</script>", "=cmd|' /C calc'!A0", "{{ 7*7 }}")


def markup_and_formulas(folder: Path) -> list[str]:
    def change(dm: pd.DataFrame) -> None:
        for row, payload in enumerate(PAYLOADS):
            dm.loc[row, "SEX"] = payload

    csv_study_with(folder, "DM", change)
    return []


def two_files_for_one_dataset(folder: Path) -> list[str]:
    copy_clean(folder)
    as_csv_text(clean_frames()["AE"]).to_csv(folder / "ae.csv", index=False)
    return []


def no_dataset(folder: Path) -> list[str]:
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("the data follows next week\n")
    return []


def prefixed_file_names(folder: Path) -> list[str]:
    """Sponsor-prefixed files: each is taken as the dataset its XPT member names."""
    copy_clean(folder)
    for path in sorted(folder.iterdir()):
        path.rename(folder / f"allo329_{path.name}")
    return []


def blank_member_name(path: Path) -> None:
    """Blank the dataset name of an XPT v5 member header: the file then holds no name."""
    data = bytearray(path.read_bytes())
    data[5 * 80 + 8 : 5 * 80 + 16] = b" " * 8
    path.write_bytes(bytes(data))


def prefixed_names_holding_none(folder: Path) -> list[str]:
    prefixed_file_names(folder)
    for path in sorted(folder.iterdir()):
        blank_member_name(path)
    return []


def supp_datasets_only(folder: Path) -> list[str]:
    folder.mkdir(parents=True)
    shutil.copy(CLEAN / "dm.xpt", folder / "suppdm.xpt")
    as_csv_text(clean_frames()["AE"]).to_csv(folder / "suppae.csv", index=False)
    return []


def datasets_one_folder_down(folder: Path) -> list[str]:
    copy_clean(folder / "sdtm")
    return []


def datasets_beside_other_files(folder: Path) -> list[str]:
    """Checked datasets beside files that are not: each is listed as skipped, with why."""
    copy_clean(folder)
    shutil.copy(CLEAN / "dm.xpt", folder / "allo329_dm.xpt")
    blank_member_name(folder / "allo329_dm.xpt")  # else taken as DM, beside dm.xpt: ambiguous
    (folder / "define.xml").write_text("<ODM/>\n")
    (folder / "readme.txt").write_text("transfer 2\n")
    (folder / "docs").mkdir()
    return []


def file_over_the_size_limit(folder: Path) -> list[str]:
    copy_clean(folder)
    return ["--max-file-size", "2K"]


# ---------------------------------------------------------------- specs
def spec_file(folder: Path, text: str | bytes) -> list[str]:
    copy_clean(folder)
    spec = folder / "broken.yaml"
    spec.write_bytes(text if isinstance(text, bytes) else text.encode())
    return ["--spec", str(spec)]


def spec_not_yaml(folder: Path) -> list[str]:
    return spec_file(folder, "id: broken\nrules: [\n  - {id: A, kind: age_range\n")


def spec_not_a_mapping(folder: Path) -> list[str]:
    return spec_file(folder, "- age_range\n- dlt_window\n")


def spec_unknown_rule_kind(folder: Path) -> list[str]:
    return spec_file(
        folder,
        "id: broken\nversion: '1'\ntitle: Broken\nrules:\n"
        "  - {id: X-1, kind: crystal_ball, severity: error, description: d, source: s}\n",
    )


def spec_of_10_mb(folder: Path) -> list[str]:
    filler = "# " + "x" * 1021 + "\n"
    return spec_file(folder, "id: big\n" + filler * 10_240)


def spec_alias_bomb(folder: Path) -> list[str]:
    lines = ["id: bomb", "version: '1'", "title: Bomb", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    return spec_file(folder, "\n".join(lines) + "\nrules: []\n")


def spec_deeply_nested(folder: Path) -> list[str]:
    return spec_file(folder, "id: deep\nrules: " + "[" * 20_000 + "]" * 20_000 + "\n")


def spec_with_too_many_rules(folder: Path) -> list[str]:
    rule = "  - {{id: R-{n}, kind: domain_value, severity: error, description: d, source: s}}\n"
    rules = "".join(rule.format(n=n) for n in range(1_001))
    return spec_file(folder, f"id: many\nversion: '1'\ntitle: Many\nrules:\n{rules}")


# ---------------------------------------------------------------- round two: hostile uploads
def xpt_study_with(folder: Path, name: str, change: Callable[[pd.DataFrame], object], **options):
    """The clean study as XPT v5, dataset `name` rewritten after `change` (SAS formats etc.)."""
    copy_clean(folder)
    frame = clean_frames()[name]
    changed = change(frame)
    frame = changed if changed is not None else frame
    path = folder / f"{FILES[name]}.xpt"
    pyreadstat.write_xport(frame, str(path), table_name=name, file_format_version=5, **options)


def dates_as_sas_numbers(folder: Path) -> list[str]:
    def change(ae: pd.DataFrame) -> None:
        ae["AESTDTC"] = pd.to_datetime(ae["AESTDTC"], errors="coerce")

    xpt_study_with(folder, "AE", change, variable_format={"AESTDTC": "DATE9."})
    return []


def age_as_text(folder: Path) -> list[str]:
    def change(dm: pd.DataFrame) -> None:
        dm["AGE"] = dm["AGE"].map(lambda v: f"{v:g}")

    xpt_study_with(folder, "DM", change)
    return []


def dm_without_records(folder: Path) -> list[str]:
    copy_clean(folder)
    frame = clean_frames()["DM"].iloc[:0]
    pyreadstat.write_xport(frame, str(folder / "dm.xpt"), table_name="DM", file_format_version=5)
    return []


def usubjid_in_two_cases(folder: Path) -> list[str]:
    def change(dm: pd.DataFrame) -> pd.DataFrame:
        extra = dm.iloc[[0]].copy()
        extra["USUBJID"] = extra["USUBJID"].str.lower()
        extra["SUBJID"] = "9999"
        return pd.concat([dm, extra], ignore_index=True)

    csv_study_with(folder, "DM", change)
    return []


def semicolon_csv(folder: Path) -> list[str]:
    write_csv_study(folder, clean_frames(), sep=";")
    return []


def semicolon_csv_with_delimiter(folder: Path) -> list[str]:
    return [*semicolon_csv(folder), "--delimiter", ";"]


def csv_header_of_20000_columns(folder: Path) -> list[str]:
    copy_clean(folder)
    (folder / "ae.xpt").unlink()
    names = [f"C{i}" for i in range(20_000)]
    (folder / "ae.csv").write_text(",".join(names) + "\n" + ",".join("1" for _ in names) + "\n")
    return []


def link_out_of_the_transfer(folder: Path) -> list[str]:
    copy_clean(folder)
    outside = folder.parent / "someone-elses-ae.xpt"
    (folder / "ae.xpt").rename(outside)
    (folder / "ae.xpt").symlink_to(outside)
    return []


def folder_named_like_a_dataset(folder: Path) -> list[str]:
    copy_clean(folder)
    (folder / "ae.xpt").unlink()
    (folder / "ae.xpt").mkdir()
    return []


def fifo_named_like_a_dataset(folder: Path) -> list[str]:
    copy_clean(folder)
    (folder / "ex.xpt").unlink()
    os.mkfifo(folder / "ex.xpt")
    return []


def archive_only(folder: Path) -> list[str]:
    folder.mkdir(parents=True)
    with zipfile.ZipFile(folder / "study.zip", "w") as archive:
        for path in CLEAN.glob("*.xpt"):
            archive.write(path, path.name)
    return []


NO_DATASET = (
    "no DM, EX, AE or DLT dataset found. A dataset file is named after its dataset and nothing "
    "else: dm, ex, ae, dl or dlt, with .xpt, .csv, .sas7bdat, .json, .ndjson or .dsjc, in any "
    "case (e.g. dm.xpt, AE.csv), or holds its dataset's name (XPT member, SAS7BDAT table, "
    "Dataset-JSON name, CSV DOMAIN)."
)

CASES = (
    Case("truncated-xpt", truncated_xpt, 2, ("ae.xpt", "byte offset", "truncated"),
         not_run=("CT-DLT-AE",), records={"DM": 16}),
    Case("xpt-cut-at-an-80-byte-record", xpt_cut_at_a_record, 2,
         ("ae.xpt", "into observation", "byte offset", "truncated"), not_run=("CT-DLT-AE",)),
    Case("empty-xpt", empty_xpt, 2, ("ae.xpt", "empty file (0 bytes)")),
    Case("csv-named-xpt", csv_named_xpt, 2,
         ("ae.xpt", "not a SAS transport (XPT) file", "renamed")),
    Case("xpt-version-8-long-name", xpt_version_8, 1, (),
         findings=(("SD-XPT", "RACEOTHERSPEC"), ("SD-XPT", "")), records={"DM": 16}),
    Case("xpt-two-datasets-in-one-file", xpt_two_members, 2,
         ("ae.xpt", "more than one dataset", "byte offset")),
    Case("xpt-in-cp1252", xpt_in_cp1252, 0, records={"AE": 12}),
    Case("sas7bdat-compressed", sas7bdat_compressed, 0, records={"AE": 12, "DM": 16}),
    Case("sas7bdat-truncated", sas7bdat_truncated, 2, ("ae.sas7bdat", "truncated", "byte offset")),
    Case("csv-clean", csv_clean, 0, records={"AE": 12, "DM": 16, "EX": 54, "DL": 1}),
    Case("csv-cp1252-without-encoding", csv_cp1252, 0, records={"AE": 12}),
    Case("csv-cp1252-with-encoding", csv_cp1252_with_encoding, 0, records={"AE": 12}),
    Case("csv-with-bom", csv_with_bom, 0, records={"DM": 16}),
    Case("csv-ragged-row", csv_ragged, 2, ("ae.csv", "line 5 (record 4)", "the header has 15")),
    Case("csv-quoted-newline", csv_quoted_newlines, 0, findings=(("SD-TEXT", "AETERM"),),
         records={"AE": 12}),
    Case("csv-duplicate-column", csv_duplicate_columns, 2,
         ("ae.csv", "header names a variable twice: AETERM")),
    Case("csv-blank-column-name", csv_blank_header_name, 2,
         ("ae.csv: line 1 (the header): column 2 has no name; "
          "every column needs a variable name\n",)),
    Case("csv-header-ends-with-a-comma", csv_trailing_comma_header, 2,
         ("ae.csv: line 1 (the header) ends with a comma, so column 16 has no name; "
          "every column needs a variable name\n",)),
    Case("dataset-with-zero-records", zero_records, 0, records={"DL": 0}),
    Case("missing-required-variable", missing_required_variable, 1,
         findings=(("SD-REQ-VAR", "AETERM"),)),
    Case("numeric-variable-holds-text", numeric_holds_text, 1, findings=(("SD-NUM", "AGE"),)),
    Case("dates-not-iso-8601", non_iso_dates, 1, findings=(("SD-DTC", "AEENDTC"),)),
    Case("30000-character-value", long_values, 1, findings=(("SD-LEN", "AETERM"),)),
    Case("5-million-character-value", huge_value, 1, findings=(("SD-LEN", "AETERM"),)),
    Case("control-and-right-to-left-characters", hidden_characters, 0,
         findings=(("SD-TEXT", "AETERM"),)),
    Case("html-formula-and-template-values", markup_and_formulas, 1,
         findings=(("SD-CT", "SEX"),)),
    Case("two-files-for-one-dataset", two_files_for_one_dataset, 2,
         ("ae.csv and ae.xpt", "send exactly one"), not_run=("CT-DLT-AE",)),
    Case("no-dataset-at-all", no_dataset, 2,
         (f"transfer: {NO_DATASET} Found 1 other file (not a dataset file): notes.txt.\n",)),
    Case("sponsor-prefixed-file-names", prefixed_file_names, 0,
         records={"AE": 12, "DM": 16, "EX": 54, "DL": 1}),
    Case("sponsor-prefixed-names-holding-no-name", prefixed_names_holding_none, 2,
         (f"transfer: {NO_DATASET} Found 5 data files with other names: "
          "allo329_ae.xpt (looks like AE with a sponsor prefix 'allo329_': name it ae.xpt), "
          "allo329_dlt.xpt (looks like DL with a sponsor prefix 'allo329_': name it dlt.xpt), "
          "allo329_dm.xpt (looks like DM with a sponsor prefix 'allo329_': name it dm.xpt), "
          "allo329_ex.xpt (looks like EX with a sponsor prefix 'allo329_': name it ex.xpt), "
          "allo329_suppae.xpt (looks like SUPPAE with a sponsor prefix 'allo329_': "
          "name it suppae.xpt).\n",)),
    Case("supp-datasets-only", supp_datasets_only, 2,
         (f"transfer: {NO_DATASET} Found 2 data files with other names: "
          "suppae.csv (an SDTM dataset, but not DM, EX, AE or DL), "
          "suppdm.xpt (an SDTM dataset, but not DM, EX, AE or DL).\n",)),
    Case("datasets-one-folder-down", datasets_one_folder_down, 2,
         (f"transfer: {NO_DATASET} Found a sub-folder holding data files: sdtm/ "
          "(folders are searched one level deep: give ", "/transfer/sdtm as the path).\n")),
    Case("datasets-beside-other-files", datasets_beside_other_files, 0, records={"DM": 16},
         skipped={
             "allo329_dm.xpt": "looks like DM with a sponsor prefix 'allo329_': name it dm.xpt",
             "readme.txt": "not a dataset file",
             "docs": "a folder: sub-folders are not searched"}),
    Case("file-over-the-size-limit", file_over_the_size_limit, 2,
         ("above the limit of 2.0 KiB", "--max-file-size")),
    Case("spec-not-yaml", spec_not_yaml, 2, ("broken.yaml", "not valid YAML", "line 3, column 3")),
    Case("spec-not-a-mapping", spec_not_a_mapping, 2, ("broken.yaml", "must be a YAML mapping")),
    Case("spec-unknown-rule-kind", spec_unknown_rule_kind, 2,
         ("broken.yaml, rule X-1", "unknown rule kind 'crystal_ball'")),
    Case("spec-of-10-mb", spec_of_10_mb, 2, ("broken.yaml", "10,4", "the limit is 2,000,000")),
    Case("spec-alias-bomb", spec_alias_bomb, 2, ("broken.yaml", "more than 100,000 values")),
    Case("spec-nested-20000-deep", spec_deeply_nested, 2, ("broken.yaml", "nests too deeply")),
    Case("spec-with-1001-rules", spec_with_too_many_rules, 2,
         ("broken.yaml", "1,001 rules", "the limit is 1,000")),
    Case("xpt-dates-as-sas-date-numbers", dates_as_sas_numbers, 1,
         findings=(("SD-TYPE", "AESTDTC"), ("SD-DTC", "AESTDTC"))),
    Case("xpt-age-as-character", age_as_text, 1, findings=(("SD-TYPE", "AGE"),)),
    Case("xpt-dm-with-no-records", dm_without_records, 1, findings=(("SD-SUBJ", "USUBJID"),),
         records={"DM": 0}),
    Case("usubjid-equal-but-for-case", usubjid_in_two_cases, 1,
         findings=(("SD-USUBJID-CASE", "USUBJID"),), records={"DM": 17}),
    Case("csv-separated-by-semicolons", semicolon_csv, 2,
         ("dm.csv", "looks separated by semicolons", "--delimiter ';'")),
    Case("csv-separated-by-semicolons-read-with-delimiter", semicolon_csv_with_delimiter, 0,
         records={"DM": 16, "AE": 12}),
    Case("csv-header-of-20000-columns", csv_header_of_20000_columns, 2,
         ("ae.csv", "20,000 columns", "more than the 9,999")),
    Case("symbolic-link-out-of-the-transfer", link_out_of_the_transfer, 2,
         ("ae.xpt", "outside the transfer folder"), not_run=("CT-DLT-AE",)),
    Case("folder-named-ae-xpt", folder_named_like_a_dataset, 2,
         ("ae.xpt: a folder, not a file",), not_run=("CT-DLT-AE",)),
    Case("fifo-named-ex-xpt", fifo_named_like_a_dataset, 2,
         ("ex.xpt: a FIFO (named pipe), not a regular file",)),
    Case("zip-archive-only", archive_only, 2,
         ("Found 1 archive: study.zip", "unzip study.zip")),
)  # fmt: skip
