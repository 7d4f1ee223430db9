"""One table of the Excel workbook, laid out as Pinnacle 21 users expect: a bold header with a
filter on every column, frozen above the rows; each column as wide as its content, up to
WIDEST characters, a longer value wrapped; a blank value as an empty cell.

Every value is written as a string or a number, never as a formula, URL or guessed number; a
value longer than Excel's 32,767 characters is cut visibly, pointing to the JSON report.  Rows
are written as they come (the workbook is in constant-memory mode), so the widths are
measured while writing and set when the table is done.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

EXCEL_CELL = 32_767
WIDEST = 60  # characters; a longer value wraps within this width
FILTER_BUTTON = 2  # room in a header cell for the filter's drop-down arrow
PADDING = 1


@dataclass(frozen=True)
class TableFormats:
    header: Any
    wrapped: Any

    @classmethod
    def of(cls, workbook: Any) -> TableFormats:
        return cls(workbook.add_format({"bold": True}), workbook.add_format({"text_wrap": True}))


def write_table(
    workbook: Any, name: str, header: tuple[str, ...], rows: Iterable[tuple], formats: TableFormats
) -> Any:
    """Sheet `name` holding the header and the rows; returns the sheet (rows may follow the
    table, outside its filter)."""
    sheet = workbook.add_worksheet(name)
    widths = [len(title) + FILTER_BUTTON for title in header]
    for column, title in enumerate(header):
        sheet.write_string(0, column, title, formats.header)
    last_row = _write_rows(sheet, rows, widths, formats.wrapped)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, min(width, WIDEST) + PADDING)
    sheet.autofilter(0, 0, last_row, len(header) - 1)
    sheet.freeze_panes(1, 0)
    return sheet


def _write_rows(sheet: Any, rows: Iterable[tuple], widths: list[int], wrapped: Any) -> int:
    """Writes the rows under the header, widening `widths` to fit; returns the last row."""
    last_row = 0
    for last_row, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value is None or value == "":
                continue  # a blank value stays an empty cell
            width = _write_value(sheet, last_row, column, value, wrapped)
            if width > widths[column]:
                widths[column] = width
    return last_row


def _write_value(sheet: Any, row: int, column: int, value: Any, wrapped: Any) -> int:
    """A number as a number (Excel has no NaN or infinity: those as text), all else as text;
    returns the width the value takes."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        text = fitted(str(value))
        sheet.write_string(row, column, text, wrapped if len(text) > WIDEST else None)
        return len(text)
    sheet.write_number(row, column, value)
    return len(str(value))


def fitted(text: str) -> str:
    """Text that fits an Excel cell (a name that is not UTF-8 as its escapes, `\\udce9`); a
    longer one is cut, saying so."""
    if not text.isascii():
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) <= EXCEL_CELL:
        return text
    note = f" [CUT: {len(text):,} characters; the JSON report holds the whole value]"
    return text[: EXCEL_CELL - len(note)] + note
