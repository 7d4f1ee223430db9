"""Each variable has the type the define.xml gives it: integer and float are numeric, every other
DataType (text, date, datetime, ...) is character.

A finding is a variable whose type in the file differs (about the dataset).  CSV files carry no
types: their datasets are listed in a note.  Reference: Define-XML 2.1 ItemDef @DataType.
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.define.common import about_dataset, described, typed
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "define_types",
    message="{dataset}.{variable} is {data_type} in the data; the define.xml says {define_type}",
)
def check_define_types(context: StudyContext, params: NoParams) -> Outcome:
    """Variable types match the define."""
    outcome, untyped = Outcome(), []
    for name, metadata in described(context):
        if not typed(context, name):
            untyped.append(name)
            continue
        dataset = context.study.datasets[name]
        for variable in (v for v in metadata.variables if v.name in dataset.frame.columns):
            if (variable.name in dataset.numeric) != variable.numeric:
                kind = "numeric" if variable.name in dataset.numeric else "character"
                outcome.add(about_dataset(name, variable.name, data_type=kind,
                                          define_type=variable.data_type))  # fmt: skip
    if untyped:
        outcome.notes.append(f"{', '.join(untyped)}: CSV files carry no types; not compared")
    return outcome
