"""The options of a validation as a Python caller or the command line gives them, checked and
normalised once: a bad value is a UsageError naming the option, never a traceback."""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Iterable, Mapping

from trialguard.errors import UsageError
from trialguard.readers.limits import parse_size

# --fail-on: the lowest severity that fails a run, strictest first (`never`: no severity fails)
FAIL_ON_LEVELS = ("error", "warning", "notice", "never")
# --jobs by default: every core for a study of this many records (all datasets together), one
# process below.  Measured on 2 idle cores, the rules of 1,151,006 records take 8.9 s in one
# process and 4.4 s on two; of 230,220 records 2.1 s and 1.3 s; of 46,043 records 1.1 s and
# 0.6 s: below, half a second is not worth the workers' memory, nor the cores a test suite or
# a CI runner's other jobs are using.
MIN_RECORDS = 200_000


def utc_timestamp(text: str) -> str:
    """'2026-11-21T09:30:00-05:00' -> '2026-11-21T14:30:00Z' (no offset means UTC)."""
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"timestamp {text!r} is not an ISO 8601 time such as 2026-11-21T09:30:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_size_limit(value: int | str | None) -> int | None:
    """Bytes, or a size such as '500M' or '2G'; 0 or None means no limit."""
    if value is None or isinstance(value, int):
        return value or None
    try:
        return parse_size(value)
    except ValueError as error:
        raise UsageError(f"max file size: {error}") from None


ENCODINGS_SHOWN = "utf-8, cp1252, latin-1 or utf-16"
HEADER_SAMPLE = "STUDYID,DOMAIN\r\nCDISC01,DM\n"


def known_encoding(name: str | None) -> str | None:
    """--encoding: a text encoding Python knows that can hold a dataset's header (refused at
    once, before any file is read: `rot13`, `hex` or `base64` convert text to text or bytes to
    bytes, and `undefined` refuses every character)."""
    if name is None:
        return None
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise UsageError(
            f"--encoding {name!r} is not an encoding Python knows; give the encoding the files "
            f"are written in, e.g. {ENCODINGS_SHOWN}"
        ) from None
    if not codec._is_text_encoding:  # the flag open() itself checks
        raise UsageError(
            f"--encoding {name!r} is not a text encoding (the {codec.name} codec converts text "
            f"to text or bytes to bytes); give the encoding the files are written in, e.g. "
            f"{ENCODINGS_SHOWN}"
        )
    if not _holds_a_header(name):
        raise UsageError(
            f"--encoding {name!r} cannot write or read a dataset's header (STUDYID,DOMAIN); "
            f"give the encoding the files are written in, e.g. {ENCODINGS_SHOWN}"
        )
    return name


def _holds_a_header(name: str) -> bool:
    """Whether plain ASCII text survives the encoding both ways (`undefined` refuses it)."""
    try:
        return HEADER_SAMPLE.encode(name).decode(name) == HEADER_SAMPLE
    except (UnicodeError, ValueError, TypeError, LookupError):
        return False


def csv_delimiter(text: str | None) -> str | None:
    """--delimiter: one character (`tab` or `\\t` for a tab), or None for the comma."""
    if text is None:
        return None
    delimiter = "\t" if text.strip().lower() in ("tab", "\\t") else text
    if len(delimiter) != 1 or delimiter in '\r\n"' or delimiter.isalnum():
        raise UsageError(
            f"--delimiter must be one character other than a quote or a line break (e.g. ';' "
            f"or tab), not {text!r}"
        )
    return delimiter


def job_count(jobs: object) -> int | None:
    """--jobs as given (a number, or its text): the processes to use, or None for the default."""
    if jobs is None:
        return None
    text = str(jobs).strip()
    if isinstance(jobs, bool) or not text.isdigit() or int(text) < 1:
        raise UsageError(
            f"--jobs must be a whole number of processes, 1 or more (1 runs the rules in this "
            f"process), not {jobs!r}"
        )
    return int(text)


def rule_tokens(values: str | Iterable[str] | None) -> tuple[str, ...]:
    """'SD-,RES-AGE' or ['SD-', 'CT-'] -> ('SD-', 'RES-AGE', 'CT-')."""
    if values is None:
        return ()
    listed = [values] if isinstance(values, str) else list(values)
    return tuple(t.strip() for value in listed for t in value.split(",") if t.strip())


def dataset_name_overrides(given: Mapping[str, str] | Iterable[str] | None) -> dict[str, str]:
    """--dataset-name FILE=NAME (repeatable) or {"FILE": "NAME"} -> {FILE: NAME}."""
    if not given:
        return {}
    if isinstance(given, Mapping):
        return {str(file): str(name) for file, name in given.items()}
    pairs: dict[str, str] = {}
    for text in [given] if isinstance(given, str) else given:
        file, equals, name = text.rpartition("=")
        if not equals or not file.strip() or not name.strip():
            raise UsageError(f"--dataset-name {text!r}: expected FILE=NAME, e.g. CDISC01_ae.xpt=AE")
        pairs[file.strip()] = name.strip()
    return pairs
