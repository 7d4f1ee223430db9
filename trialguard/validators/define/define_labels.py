"""Each variable's label in the file is the one the define.xml gives it.

A finding is a variable whose label differs (leading and trailing blanks aside).  CSV files
carry no labels: their datasets are listed in a note.  Reference: Define-XML 2.1 ItemDef
Description; SDTMIG 3.4 §2.4 (labels as in the IG).
"""

from trialguard.validators.context import StudyContext
from trialguard.validators.define.common import about_dataset, described, typed
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register


@register(
    "define_labels",
    message="{dataset}.{variable} is labelled '{data_label}'; the define.xml says '{define_label}'",
)
def check_define_labels(context: StudyContext, params: NoParams) -> Outcome:
    """Variable labels match the define."""
    outcome, unlabelled = Outcome(), []
    for name, metadata in described(context):
        if not typed(context, name):
            unlabelled.append(name)
            continue
        labels = context.study.datasets[name].labels
        for variable in (v for v in metadata.variables if v.name in labels):
            label = (labels[variable.name] or "").strip()
            if variable.label and label != variable.label:
                outcome.add(about_dataset(name, variable.name, data_label=label,
                                          define_label=variable.label))  # fmt: skip
    if unlabelled:
        outcome.notes.append(f"{', '.join(unlabelled)}: CSV files carry no labels; not compared")
    return outcome
