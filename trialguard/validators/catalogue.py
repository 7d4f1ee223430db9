"""Imports every check module so that each registers its kind."""

from trialguard.validators.conformance import (  # noqa: F401
    conditional_values,
    controlled_terminology,
    domain_value,
    iso8601_dates,
    legacy_screen_failure,
    numeric_values,
    printable_text,
    required_values,
    required_variables,
    single_studyid,
    transport_metadata,
    unique_keys,
    value_length,
)
from trialguard.validators.crossdomain import (  # noqa: F401
    exposure_reference_dates,
    start_not_after_end,
    study_days,
    subject_in_dm,
)
from trialguard.validators.protocol import (  # noqa: F401
    age_range,
    arm_unexposed,
    dlt_ae_link,
    dlt_window,
    dose_matches_arm,
    escalation_3plus3,
    exposure_route,
    lymphodepletion_agents,
    lymphodepletion_window,
    required_comedication,
    screen_failure_unexposed,
    single_exposure,
    unreported_dlt,
)
from trialguard.validators.transfer import (  # noqa: F401
    removed_records,
    removed_subjects,
    transfer_manifest,
)
from trialguard.validators.waivers import waiver_expired, waiver_unused  # noqa: F401
