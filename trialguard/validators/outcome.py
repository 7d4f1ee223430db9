"""What a check returns: failing records (hits), records it could not decide, or NotRun."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd


class NotRun(Exception):
    """Raised by a check that cannot run on this study; the text is the reason shown."""


class NotApplicable(NotRun):
    """Raised by a check whose input was not given (e.g. no --manifest): it did not run, and
    that does not leave the transfer unchecked."""


class CheckBroke(Exception):
    """Raised where a check's engine (pandera) failed: the rule ends in status error."""


@dataclass
class Hits:
    """Records of one dataset that break a rule (or that it could not decide).

    `rows` is indexed by record number (or holds no index when the finding is
    about the dataset itself) and carries USUBJID when the dataset has it, the
    offending `variables` and any `extra` columns (derived values such as the
    protocol day) shown beside them.  `context` fills the message template: the rule's, or
    `message` where these records need their own words (e.g. why they are not evaluable).
    """

    domain: str | None
    rows: pd.DataFrame
    variables: list[str]
    extra: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)
    dataset_level: bool = False
    seq_column: str | None = None  # a column of `rows` holding each finding's record key
    message: str | None = None  # a message template of these records instead of the rule's


@dataclass
class Outcome:
    hits: list[Hits] = field(default_factory=list)
    undetermined: list[Hits] = field(default_factory=list)
    table: list[dict[str, Any]] | None = (
        None  # a result table shown with the rule (e.g. escalation)
    )
    notes: list[str] = field(
        default_factory=list
    )  # statements that are not findings (e.g. the MTD)

    def add(self, hits: Hits, undetermined: Hits | None = None) -> Outcome:
        if len(hits.rows):
            self.hits.append(hits)
        if undetermined is not None and len(undetermined.rows):
            self.undetermined.append(undetermined)
        return self

    def undecided(self, *undetermined: Hits) -> Outcome:
        """Add records the check could not decide (without findings beside them)."""
        self.undetermined += [hits for hits in undetermined if len(hits.rows)]
        return self
