"""Every check kind by name: this module imports every check module, and each registers its
kind in the registry as it is imported."""

from trialguard.validators.conformance import (  # noqa: F401
    conditional_values,
    conformance_metadata,
    controlled_terminology,
    domain_value,
    iso8601_dates,
    iso8601_durations,
    legacy_screen_failure,
    model_added_variables,
    model_variables,
    numeric_values,
    one_to_one,
    paired_terminology,
    printable_text,
    reference_range_indicator,
    repeated_records,
    required_values,
    required_variables,
    result_units,
    single_baseline,
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
    arms_in_ta,
    element_dates,
    element_end_rule,
    element_one_to_one,
    elements_in_te,
    epoch_in_ta,
    exposure_reference_dates,
    relrec_records,
    relrec_types,
    start_not_after_end,
    study_days,
    subject_baseline,
    subject_in_dm,
    supp_parent,
    supp_qlabel,
    supp_qnam_name,
    supp_qnam_qlabel,
    supp_qnam_standard,
    supp_qnam_unique,
    ts_null_flavors,
    ts_parameter_names,
    ts_parameter_terms,
    ts_required_parameters,
    ts_value_codes,
    ts_value_formats,
    unplanned_elements,
    visits_in_sv,
    visits_in_tv,
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
from trialguard.validators.openrules import open_rule  # noqa: F401
from trialguard.validators.protocol import (  # noqa: F401
    age_range,
    arm_unexposed,
    das28_recomputed,
    dlt_ae_link,
    dlt_window,
    dose_matches_arm,
    endpoint_assessed,
    endpoint_responder,
    endpoint_values,
    escalation_3plus3,
    exposure_route,
    infusion_after_procedure,
    lymphodepletion_agents,
    lymphodepletion_window,
    planned_enrollment,
    primary_diagnosis,
    required_comedication,
    screen_failure_unexposed,
    screening_window,
    single_exposure,
    unreported_dlt,
)
from trialguard.validators.registry import REGISTRY, CheckKind
from trialguard.validators.transfer import (  # noqa: F401
    removed_records,
    removed_subjects,
    transfer_manifest,
)
from trialguard.validators.waivers import waiver_expired, waiver_unused  # noqa: F401


def check_kind(kind: str) -> CheckKind | None:
    """The check registered under `kind`, None for a kind no check has."""
    return REGISTRY.get(kind)


def all_kinds() -> dict[str, CheckKind]:
    """Every registered check by kind, in the order of their names."""
    return dict(sorted(REGISTRY.items()))
