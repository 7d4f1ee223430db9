"""A CDISC Controlled Terminology release: the bundled codelists, or a full release read from the
tab-delimited `SDTM Terminology.txt` that NCI EVS publishes (`--ct FILE`).

The NCI file has one header row and eight tab-separated fields per line; a codelist row (empty
`Codelist Code`) comes before its term rows.  Every field is read as text with no missing-value
guessing: `NA` (NY) and `None` are real terms.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from trialguard.errors import InputError
from trialguard.readers.dataset import sha256_of
from trialguard.sdtm.terminology import BUNDLED_RELEASE, CODELISTS, Codelist

NCI_HEADER = (
    "Code",
    "Codelist Code",
    "Codelist Extensible (Yes/No)",
    "Codelist Name",
    "CDISC Submission Value",
    "CDISC Synonym(s)",
    "CDISC Definition",
    "NCI Preferred Term",
)
RELEASE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
MAX_CT_BYTES = 200 * 1024 * 1024  # a full release is about 13 MB


@dataclass(frozen=True)
class ReleaseCodelist:
    code: str
    short_name: str  # the codelist's CDISC submission value, e.g. SEX
    extensible: bool
    terms: frozenset[str]
    term_codes: dict[str, str] = field(default_factory=dict, compare=False)  # term -> its C-code


@dataclass(frozen=True)
class CtRelease:
    """The terminology a run checks against, and where it came from (named in every report)."""

    release: str  # e.g. "2025-03-25"
    source: str  # "bundled" or the path of the file given
    sha256: str | None = None
    codelists: dict[str, ReleaseCodelist] = field(default_factory=dict)  # by C-code

    @property
    def bundled(self) -> bool:
        return self.source == "bundled"

    @property
    def title(self) -> str:
        if self.bundled:
            return f"bundled codelists (closed ones as in CDISC CT {self.release})"
        return f"CDISC CT {self.release} ({self.source})"

    def codelist(self, name: str) -> Codelist:
        """The codelist a variable names (SEX, NY_Y, UNIT, ...), with this release's terms."""
        bundled = CODELISTS[name]
        full = self.codelists.get(bundled.code)
        if full is None or not bundled.from_release:
            return bundled
        terms = full.terms | bundled.extra_terms
        return Codelist(
            bundled.name, bundled.code, full.extensible, terms, False, bundled.extra_terms
        )

    def paired_codelists(self) -> list[tuple[ReleaseCodelist, ReleaseCodelist]]:
        """The (codes, names) codelist pairs whose terms pair by C-code: LBTESTCD and LBTEST,
        TSPARMCD and TSPARM (a name and the name ending CD), and the test codes and names of a
        questionnaire, rating or scale (AIMS01TC and AIMS01TN)."""
        by_name = {c.short_name: c for c in self.codelists.values()}
        pairs = []
        for name, codes in sorted(by_name.items()):
            partner = name[:-2] if name.endswith("CD") else f"{name[:-2]}TN"
            if name.endswith(("CD", "TC")) and partner in by_name:
                pairs.append((codes, by_name[partner]))
        return pairs

    def complete(self, name: str) -> bool:
        """Whether an unknown term of this codelist is truly unknown (not only missing from the
        bundled common terms of an extensible codelist)."""
        codelist = self.codelist(name)
        return not (codelist.extensible and codelist.code not in self.codelists)


BUNDLED = CtRelease(release=BUNDLED_RELEASE, source="bundled")


def load_ct_release(path: str | Path) -> CtRelease:
    """Read an NCI EVS `SDTM Terminology.txt`; every problem is an InputError naming the line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "no such CT file (give the NCI EVS 'SDTM Terminology.txt')")
    if path.stat().st_size > MAX_CT_BYTES:
        raise InputError(path, f"larger than {MAX_CT_BYTES // 2**20} MB: not a CT release")
    codelists = _read_codelists(path)
    if not codelists:
        raise InputError(path, "holds no codelist: not an NCI EVS SDTM terminology file")
    match = RELEASE_DATE.search(path.name)
    release = match.group(1) if match else "of unknown date (the file name carries none)"
    return CtRelease(release, str(path), sha256_of(path), codelists)


def _read_codelists(path: Path) -> dict[str, ReleaseCodelist]:
    rows: dict[str, tuple[str, bool]] = {}  # codelist code -> (short name, extensible)
    terms: dict[str, dict[str, str]] = {}  # codelist code -> {term: its C-code}
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            _check_header(path, next(lines, None))
            for number, fields in enumerate(lines, start=2):
                _read_row(path, number, fields, rows, terms)
    except UnicodeDecodeError as error:
        raise InputError(path, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    except csv.Error as error:
        raise InputError(path, f"not a tab-delimited CT file: {error}") from None
    return {
        code: ReleaseCodelist(
            code, name, extensible, frozenset(terms.get(code, ())), terms.get(code, {})
        )
        for code, (name, extensible) in rows.items()
    }


def _check_header(path: Path, header: list[str] | None) -> None:
    if header is None or tuple(h.strip() for h in header) != NCI_HEADER:
        raise InputError(
            path,
            f"line 1: expected the NCI EVS header ({', '.join(NCI_HEADER)}), found {header!r}"[
                :400
            ],
        )


def _read_row(path: Path, number: int, fields: list[str], rows: dict, terms: dict) -> None:
    if not fields:
        return
    if len(fields) != len(NCI_HEADER):
        raise InputError(path, f"line {number}: {len(fields)} fields, expected {len(NCI_HEADER)}")
    code, codelist_code, extensible, _, value = fields[:5]
    if not codelist_code:
        if extensible not in ("Yes", "No"):
            raise InputError(
                path, f"line {number}: codelist {code} has Extensible {extensible!r}, not Yes/No"
            )
        rows[code] = (value, extensible == "Yes")
    elif codelist_code not in rows:
        raise InputError(
            path, f"line {number}: term {code} of codelist {codelist_code} before its codelist row"
        )
    else:
        terms.setdefault(codelist_code, {})[value] = code
