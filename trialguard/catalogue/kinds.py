"""The registered check kinds as a Markdown page: kind, category, stage, summary, and each
parameter of its parameter model with its type and its default."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import to_jsonable_python

from trialguard.catalogue.text import code, escaped, heading, table

MODULE_PATH = re.compile(r"\b(?:[a-z_]\w*\.)+(?=[A-Za-z_])")  # typing., trialguard.x.y.


def kinds_markdown() -> str:
    from trialguard.validators.catalogue import all_kinds

    rows = [
        [code(kind), check.category, check.stage, escaped(check.summary), parameters(check.params)]
        for kind, check in all_kinds().items()
    ]
    lines = [
        heading(1, "Rule kinds"),
        "",
        "Every check a spec's rule can name as its `kind`, and the parameters it takes "
        "(`params:` in the spec): their types and defaults. A parameter without a default is "
        "required; any other key is an error.",
        "",
        *table(["kind", "category", "stage", "summary", "parameters"], rows),
    ]
    return "\n".join(lines) + "\n"


def parameters(model: type[BaseModel]) -> str:
    """`name: type = default` for each field of a parameter model, separated by semicolons."""
    fields = [_parameter(info.alias or name, info) for name, info in model.model_fields.items()]
    return "; ".join(fields) or "none"


def _parameter(name: str, info: FieldInfo) -> str:
    typed = f"{name}: {type_name(info.annotation)}"
    if info.is_required():
        return code(typed) + " (required)"
    default = info.get_default(call_default_factory=True)
    return code(f"{typed} = {_json(default)}")


def type_name(annotation: Any) -> str:
    """A parameter's type as written in Python, without module paths (`Literal['Req', 'Exp']`,
    `dict[str, float] | None`)."""
    if isinstance(annotation, type) and not getattr(annotation, "__args__", None):
        return annotation.__name__
    return MODULE_PATH.sub("", str(annotation))


def _json(value: Any) -> str:
    plain = to_jsonable_python(value, by_alias=True, exclude_none=True)
    return json.dumps(plain, ensure_ascii=False, sort_keys=True)
