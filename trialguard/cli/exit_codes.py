"""The exit codes of the trialguard command, as documented for scripts and CI jobs."""

EXIT_CLEAN = 0  # the transfer is accepted (or the command did what it was asked)
EXIT_FINDINGS = 1  # findings at or above --fail-on, or a report that no longer matches its files
EXIT_UNUSABLE = 2  # the run could not judge the transfer: bad input, a missing file, a bad option
EXIT_INTERNAL = 3  # trialguard itself failed (or was interrupted)
