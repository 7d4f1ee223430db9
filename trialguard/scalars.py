"""Values as JSON-ready Python scalars, and as the HTML report draws them."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd


def plain(value: Any) -> Any:
    """A JSON-ready scalar: missing -> None, whole floats -> int, numpy -> Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        return int(value) if float(value).is_integer() else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value if isinstance(value, int | bool | str) else str(value)


def plain_values(values: pd.Series) -> list[Any]:
    """`plain` of every value of a column, computed column-wise for text and number columns."""
    if isinstance(values.dtype, pd.StringDtype):
        return values.astype(object).where(values.notna(), None).tolist()
    if pd.api.types.is_float_dtype(values) and not isinstance(
        values.dtype, pd.api.extensions.ExtensionDtype
    ):
        numbers = values.to_numpy(dtype=float)
        whole = np.isfinite(numbers) & (numbers == np.floor(numbers))
        small = whole & (np.abs(numbers) < 2**62)
        shown = numbers.astype(object)
        shown[small] = numbers[small].astype(np.int64).astype(object)
        shown[whole & ~small] = [int(v) for v in numbers[whole & ~small]]
        shown[np.isnan(numbers)] = None
        return shown.tolist()
    # other dtypes (nullable booleans, numpy scalars in object columns): boxed as pandas boxes
    # a record's values, then made plain
    return [plain(row["value"]) for row in values.to_frame("value").to_dict("records")]


# The HTML report draws at most this many characters of any text (a value, a message), so its
# size follows the number of findings, never the length of a value; the JSON keeps every value.
DISPLAY_CHARACTERS = 300
CUT_NOTE = "\u2026 ({length:,} characters in all; the JSON report holds the whole value)"


def display_text(value: Any) -> Any:
    """`value`, with text longer than DISPLAY_CHARACTERS cut there and its length said."""
    if isinstance(value, str) and len(value) > DISPLAY_CHARACTERS:
        return value[:DISPLAY_CHARACTERS] + CUT_NOTE.format(length=len(value))
    return value
