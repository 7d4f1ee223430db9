"""Imports every check module so that each registers its kind."""

from trialguard.validators.conformance import (  # noqa: F401
    conditional_values,
    conformance_metadata,
    controlled_terminology,
    domain_value,
    iso8601_dates,
    iso8601_durations,
    legacy_screen_failure,
    model_variables,
    numeric_values,
    one_to_one,
    printable_text,
    repeated_records,
    required_values,
    required_variables,
    single_studyid,
    stored_types,
    transport_metadata,
    unique_keys,
    unique_values,
    value_length,
    variable_length,
)
from trialguard.validators.crossdomain import (  # noqa: F401
    age_from_birth,
    exposure_reference_dates,
    start_not_after_end,
    study_days,
    subject_in_dm,
    supp_parent,
    supp_qnam_unique,
)
from trialguard.validators.define import (  # noqa: F401
    define_codelists,
    define_datasets,
    define_keys,
    define_labels,
    define_lengths,
    define_mandatory,
    define_structure,
    define_types,
    define_variables,
)
from trialguard.validators.protocol import (  # noqa: F401
    age_range,
    arm_unexposed,
    dlt_ae_link,
    dlt_window,
    dose_matches_arm,
    escalation_3plus3,
    exposure_route,
    infusion_after_procedure,
    lymphodepletion_agents,
    lymphodepletion_window,
    planned_enrollment,
    required_comedication,
    screen_failure_unexposed,
    screening_window,
    single_exposure,
    unreported_dlt,
)
from trialguard.validators.transfer import (  # noqa: F401
    removed_records,
    removed_subjects,
    transfer_manifest,
)
from trialguard.validators.waivers import waiver_expired, waiver_unused  # noqa: F401
