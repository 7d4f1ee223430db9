"""The version of trialguard installed, as `trialguard --version`, every report and every
exported GX suite state it."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("trialguard")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
