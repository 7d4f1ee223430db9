"""Character values fit the Length the define.xml gives their variable, and a file that declares
lengths (XPT, SAS7BDAT, Dataset-JSON) declares none longer.

A finding is a record whose value is longer, in UTF-8 bytes, than the define's Length; or a
variable whose declared length in the file is greater than it (about the dataset: the file
allows values the define says cannot be).  A file length shorter than the define's is not a
finding: every value fits (the PHUSE define gives 200 where the data's XPT holds 46).  Numeric
variables are not compared (their Length counts digits, the file's bytes).  Reference:
Define-XML 2.1 ItemDef @Length; FDA Study Data Technical Conformance Guide §4.1.5.
"""

from trialguard.scalars import utf8_lengths
from trialguard.validators.context import StudyContext
from trialguard.validators.define.common import about_dataset, described, typed
from trialguard.validators.outcome import Outcome
from trialguard.validators.registry import NoParams, register
from trialguard.validators.select import select

VALUE_LONGER = (
    "{dataset}.{variable} value '{value}' is {bytes} bytes long; the define.xml gives Length "
    "{define_length}"
)


@register(
    "define_lengths",
    message="{dataset}.{variable}: {problem}; the define.xml gives Length {define_length}",
)
def check_define_lengths(context: StudyContext, params: NoParams) -> Outcome:
    """Values and declared lengths fit the define's Length."""
    outcome = Outcome()
    for name, metadata in described(context):
        frame = context.frame(name)
        dataset = context.study.datasets[name]
        for variable in metadata.variables:
            if variable.numeric or variable.length is None or variable.name not in frame.columns:
                continue
            values = frame[variable.name]
            if dataset.format == "csv" or variable.name not in dataset.numeric:
                lengths = utf8_lengths(values)
                longer = lengths > variable.length
                hits = select(name, frame, longer, [variable.name], {"bytes": lengths},
                              dataset=name, variable=variable.name, problem="a value is longer",
                              define_length=variable.length)  # fmt: skip
                hits.message = VALUE_LONGER
                outcome.add(hits)
            declared = dataset.lengths.get(variable.name)
            if variable.name in dataset.numeric:  # a numeric column: DEF-TYPE's finding
                continue
            if typed(context, name) and declared is not None and declared > variable.length:
                problem = f"the file declares length {declared}"
                outcome.add(about_dataset(name, variable.name, problem=problem,
                                          define_length=variable.length))  # fmt: skip
    return outcome
