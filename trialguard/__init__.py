"""trialguard: checks SDTM data transfers against CDISC conventions and the trial protocol.

import trialguard
report = trialguard.validate("transfer/", spec="resolution")
report.verdict            # "accept" | "reject" | "incomplete"
"""

from typing import TYPE_CHECKING

from trialguard.lazy import lazy_names
from trialguard.version import __version__

if TYPE_CHECKING:
    from trialguard.errors import InputError, SpecError, UsageError
    from trialguard.pipeline import validate
    from trialguard.report import Report

__all__ = ["InputError", "Report", "SpecError", "UsageError", "__version__", "validate"]
# loaded when first used: `import trialguard` (and `trialguard --version`) stays quick, and
# pandas, pandera and the rules are imported by the run that needs them
_HOMES = {
    "InputError": "trialguard.errors",
    "SpecError": "trialguard.errors",
    "UsageError": "trialguard.errors",
    "validate": "trialguard.pipeline",
    "Report": "trialguard.report",
}


__getattr__ = lazy_names(__name__, _HOMES)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
