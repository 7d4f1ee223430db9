"""trialguard: checks SDTM data transfers against CDISC conventions and the trial protocol.

import trialguard
report = trialguard.validate("transfer/", spec="resolution")
report.verdict            # "accept" | "reject" | "incomplete"
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("trialguard")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

from trialguard.errors import InputError, SpecError, UsageError  # noqa: E402
from trialguard.pipeline import validate  # noqa: E402
from trialguard.report import Report  # noqa: E402

__all__ = ["InputError", "Report", "SpecError", "UsageError", "__version__", "validate"]
