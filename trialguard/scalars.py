"""Values as JSON-ready Python scalars, and as the HTML report draws them; numbers as the text
a spec compares with; text lengths in bytes."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

# Whole floats strictly inside this bound become integers (int64 holds them); a whole float
# beyond it (1e300, 2**63) stays a float, and so does inf, which is not a whole number.
INT64_BOUND = 2**63


def whole_numbers(numbers: np.ndarray) -> np.ndarray:
    """Where a float array holds a whole number that int64 holds: never NaN or ±inf."""
    with np.errstate(invalid="ignore"):
        return np.isfinite(numbers) & (numbers == np.floor(numbers)) & (abs(numbers) < INT64_BOUND)


def infinite_text(value: float) -> str:
    """±inf as JSON can carry it (JSON has no infinity): the text "inf" or "-inf"."""
    return "inf" if value > 0 else "-inf"


def plain(value: Any) -> Any:
    """A JSON-ready scalar: missing -> None, whole floats -> int (inside int64; larger ones stay
    floats), ±inf -> "inf" / "-inf", numpy -> Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return infinite_text(float(value))
        return int(value) if whole_numbers(np.array([float(value)]))[0] else float(value)
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
        whole = whole_numbers(numbers)
        shown = numbers.astype(object)
        shown[whole] = numbers[whole].astype(np.int64).astype(object)
        shown[np.isnan(numbers)] = None
        shown[np.isposinf(numbers)] = infinite_text(math.inf)
        shown[np.isneginf(numbers)] = infinite_text(-math.inf)
        return shown.tolist()
    # other dtypes (nullable booleans, numpy scalars in object columns): boxed as pandas boxes
    # a record's values, then made plain
    return [plain(row["value"]) for row in values.to_frame("value").to_dict("records")]


def number_text(numbers: pd.Series) -> pd.Series:
    """Numbers as text: a whole float as an integer ("3", not "3.0"); a float beyond int64 or
    ±inf as pandas writes it ("1e+300", "inf"); integers as they are (booleans as 1 and 0)."""
    if pd.api.types.is_bool_dtype(numbers):
        numbers = numbers.astype("Int64")
    if not pd.api.types.is_float_dtype(numbers):
        return numbers.astype("string")
    whole = pd.Series(
        whole_numbers(numbers.to_numpy(dtype=float, na_value=np.nan)), index=numbers.index
    )
    integers: Any = numbers.where(whole).astype("Int64").astype("string")
    return integers.where(whole, numbers.astype("string"))


def utf8_lengths(values: pd.Series) -> pd.Series:
    """The length of each value as UTF-8 bytes (missing stays missing).  A lone UTF-16
    surrogate, which UTF-8 cannot encode, counts the 3 bytes 'surrogatepass' writes for it."""
    encoded: Any = values.astype("string").str.encode("utf-8", errors="surrogatepass")
    return encoded.str.len()


# The HTML report draws at most this many characters of any text (a value, a message), so its
# size follows the number of findings, never the length of a value; the JSON keeps every value.
DISPLAY_CHARACTERS = 300
CUT_NOTE = "\u2026 ({length:,} characters in all; the JSON report holds the whole value)"


def display_text(value: Any) -> Any:
    """`value`, with text longer than DISPLAY_CHARACTERS cut there and its length said."""
    if isinstance(value, str) and len(value) > DISPLAY_CHARACTERS:
        return value[:DISPLAY_CHARACTERS] + CUT_NOTE.format(length=len(value))
    return value


def rounded(numbers: pd.Series, decimals: int) -> pd.Series:
    """`numbers.round(decimals)` that cannot overflow: a float of 2**53 or more has no fraction
    to round (and 1e300 * 10**9, the way rounding works, would overflow to inf), so it stays."""
    small = (numbers.abs() < 2**53).fillna(False).astype(bool)
    return numbers.where(~small, numbers.where(small, 0.0).round(decimals))
