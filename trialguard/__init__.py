"""trialguard: checks SDTM data transfers against CDISC conventions and the trial protocol."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("trialguard")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
