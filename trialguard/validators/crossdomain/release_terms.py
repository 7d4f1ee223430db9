"""The terms of the CT release given with --ct with their NCI C-codes: what pairs a test code
with its test name (the same term code in both codelists) and TSVALCD with TSVAL.

The codes are those the release read with --ct holds (`ReleaseCodelist.term_codes`); the
bundled lists have none, so without --ct the checks that need them do not run.
"""

from __future__ import annotations

import pandas as pd

from trialguard.sdtm.ct_release import CtRelease
from trialguard.validators.outcome import NotApplicable

NO_RELEASE = (
    "no CT release given (--ct): the bundled lists hold neither the trial summary codelists "
    "nor the terms' codes"
)


def release_terms(release: CtRelease) -> pd.DataFrame:
    """One row per term of every codelist: `code` (term C-code), `codelist` (its C-code),
    `value` (the CDISC submission value); NotApplicable without a full release."""
    if release.bundled:
        raise NotApplicable(NO_RELEASE)
    return _terms_table(release)


_TABLES: dict[tuple[str, str | None], pd.DataFrame] = {}  # by release file and its SHA-256


def _terms_table(release: CtRelease) -> pd.DataFrame:
    key = (release.source, release.sha256)
    if key not in _TABLES:
        _TABLES.clear()  # one release a run
        _TABLES[key] = _table(release)
    return _TABLES[key]


def _table(release: CtRelease) -> pd.DataFrame:
    rows = [
        (code, codelist.code, value)
        for codelist in release.codelists.values()
        for value, code in codelist.term_codes.items()
    ]
    return pd.DataFrame(rows, columns=["code", "codelist", "value"], dtype="string")


def codelist_terms(release: CtRelease, codelist: str) -> pd.Series:
    """Term C-code by submission value, of one codelist."""
    terms = release_terms(release)
    chosen = terms[terms["codelist"] == codelist]
    return pd.Series(chosen["code"].to_numpy(), index=chosen["value"].to_numpy())
