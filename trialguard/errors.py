"""Errors that end a run with exit code 2: the input or the spec cannot be used."""


class UsageError(Exception):
    """Base of every error the user can fix; its text is shown as is, without a traceback."""


class InputError(UsageError):
    """A data file cannot be read or a dataset cannot be identified."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


class SpecError(UsageError):
    """A spec file is malformed: unknown rule kind, bad parameter, duplicate id, ..."""

    def __init__(self, path: object, problem: str, rule_id: str | None = None) -> None:
        where = f"{path}" + (f", rule {rule_id}" if rule_id else "")
        super().__init__(f"{where}: {problem}")
        self.path = str(path)
        self.rule_id = rule_id
        self.problem = problem
