"""trialguard: checks SDTM data transfers against CDISC conventions and the trial protocol.

import trialguard
report = trialguard.validate("transfer/", spec="resolution")
report.verdict            # "accept" | "reject" | "incomplete"
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__ = version("trialguard")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

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


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
