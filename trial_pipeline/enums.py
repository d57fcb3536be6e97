"""Value sets of the warehouse, taken from the ClinicalTrials.gov API v2 spec (``ctg-oas-v2.yaml``).

Each enum is the v2 set; ``LEGACY_*`` maps the display strings of the legacy XML (and of registry web pages)
onto it. Lookups go through :func:`to_enum`, which folds case, spaces and punctuation so that
"Active, not recruiting", "ACTIVE_NOT_RECRUITING" and "active not recruiting" are one value.
"""

from __future__ import annotations

import re

OVERALL_STATUS = frozenset(
    {
        "ACTIVE_NOT_RECRUITING", "COMPLETED", "ENROLLING_BY_INVITATION", "NOT_YET_RECRUITING", "RECRUITING",
        "SUSPENDED", "TERMINATED", "WITHDRAWN", "AVAILABLE", "NO_LONGER_AVAILABLE", "TEMPORARILY_NOT_AVAILABLE",
        "APPROVED_FOR_MARKETING", "WITHHELD", "UNKNOWN",
    }
)  # fmt: skip
PHASES = frozenset({"NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4"})
STUDY_TYPE = frozenset({"EXPANDED_ACCESS", "INTERVENTIONAL", "OBSERVATIONAL"})
ALLOCATION = frozenset({"RANDOMIZED", "NON_RANDOMIZED", "NA"})
INTERVENTION_MODEL = frozenset(
    {
        # Interventional assignment.
        "SINGLE_GROUP", "PARALLEL", "CROSSOVER", "FACTORIAL", "SEQUENTIAL",
        # Observational models share the column, as in AACT's designs table.
        "COHORT", "CASE_CONTROL", "CASE_ONLY", "CASE_CROSSOVER", "ECOLOGIC_OR_COMMUNITY", "FAMILY_BASED",
        "DEFINED_POPULATION", "NATURAL_HISTORY", "OTHER",
    }
)  # fmt: skip
MASKING = frozenset({"NONE", "SINGLE", "DOUBLE", "TRIPLE", "QUADRUPLE"})
PRIMARY_PURPOSE = frozenset(
    {
        "TREATMENT", "PREVENTION", "DIAGNOSTIC", "ECT", "SUPPORTIVE_CARE", "SCREENING", "HEALTH_SERVICES_RESEARCH",
        "BASIC_SCIENCE", "DEVICE_FEASIBILITY", "OTHER",
    }
)  # fmt: skip
ARM_TYPE = frozenset(
    {"EXPERIMENTAL", "ACTIVE_COMPARATOR", "PLACEBO_COMPARATOR", "SHAM_COMPARATOR", "NO_INTERVENTION", "OTHER"}
)
INTERVENTION_TYPE = frozenset(
    {
        "BEHAVIORAL", "BIOLOGICAL", "COMBINATION_PRODUCT", "DEVICE", "DIAGNOSTIC_TEST", "DIETARY_SUPPLEMENT", "DRUG",
        "GENETIC", "PROCEDURE", "RADIATION", "OTHER",
    }
)  # fmt: skip
SEX = frozenset({"FEMALE", "MALE", "ALL"})
ENROLLMENT_TYPE = frozenset({"ACTUAL", "ESTIMATED"})
OUTCOME_TYPE = frozenset({"PRIMARY", "SECONDARY", "OTHER"})
PARAM_TYPE = frozenset(
    {
        "GEOMETRIC_MEAN", "GEOMETRIC_LEAST_SQUARES_MEAN", "LEAST_SQUARES_MEAN", "LOG_MEAN", "MEAN", "MEDIAN", "NUMBER",
        "COUNT_OF_PARTICIPANTS", "COUNT_OF_UNITS",
    }
)  # fmt: skip
DISPERSION_TYPE = frozenset(
    {
        "NA", "STANDARD_DEVIATION", "STANDARD_ERROR", "INTER_QUARTILE_RANGE", "FULL_RANGE", "CONFIDENCE_80",
        "CONFIDENCE_90", "CONFIDENCE_95", "CONFIDENCE_975", "CONFIDENCE_99", "CONFIDENCE_OTHER",
        "GEOMETRIC_COEFFICIENT",
    }
)  # fmt: skip
CRITERION_KIND = frozenset({"INCLUSION", "EXCLUSION"})
ROUTE = frozenset(
    {
        "ORAL", "INTRAVENOUS", "SUBCUTANEOUS", "INTRAMUSCULAR", "INTRATHECAL", "TOPICAL", "INHALED", "INTRANASAL",
        "INTRAVESICAL", "INTRATUMORAL", "INTRADERMAL", "INTRAPERITONEAL", "INTRAOCULAR", "INTRAVITREAL",
        "INTRA_ARTERIAL", "RECTAL", "SUBLINGUAL", "TRANSDERMAL", "VAGINAL", "OPHTHALMIC",
    }
)  # fmt: skip

# Legacy XML display strings whose folded form is not already the v2 value.
_LEGACY: dict[str, dict[str, str]] = {
    "overall_status": {
        "UNKNOWN_STATUS": "UNKNOWN",
        "ACTIVE_NOT_RECRUITING": "ACTIVE_NOT_RECRUITING",
        "APPROVED_FOR_MARKETING": "APPROVED_FOR_MARKETING",
    },
    "phase": {
        "N_A": "NA",
        "NOT_APPLICABLE": "NA",
        "EARLY_PHASE_1": "EARLY_PHASE1",
        "PHASE_0": "EARLY_PHASE1",
        "PHASE_1": "PHASE1",
        "PHASE_2": "PHASE2",
        "PHASE_3": "PHASE3",
        "PHASE_4": "PHASE4",
        "PHASE_I": "PHASE1",
        "PHASE_II": "PHASE2",
        "PHASE_III": "PHASE3",
        "PHASE_IV": "PHASE4",
    },
    "study_type": {"OBSERVATIONAL_PATIENT_REGISTRY": "OBSERVATIONAL"},
    "allocation": {"N_A": "NA", "NON_RANDOMIZED": "NON_RANDOMIZED", "NONRANDOMIZED": "NON_RANDOMIZED"},
    "intervention_model": {
        "SINGLE_GROUP_ASSIGNMENT": "SINGLE_GROUP",
        "PARALLEL_ASSIGNMENT": "PARALLEL",
        "CROSSOVER_ASSIGNMENT": "CROSSOVER",
        "FACTORIAL_ASSIGNMENT": "FACTORIAL",
        "SEQUENTIAL_ASSIGNMENT": "SEQUENTIAL",
        "CASE_CONTROL": "CASE_CONTROL",
        "CASE_ONLY": "CASE_ONLY",
        "CASE_CROSSOVER": "CASE_CROSSOVER",
        "ECOLOGIC_OR_COMMUNITY": "ECOLOGIC_OR_COMMUNITY",
        "FAMILY_BASED": "FAMILY_BASED",
    },
    "masking": {
        "NONE_OPEN_LABEL": "NONE",
        "OPEN_LABEL": "NONE",
        "SINGLE_BLIND": "SINGLE",
        "DOUBLE_BLIND": "DOUBLE",
    },
    "primary_purpose": {
        "EDUCATIONAL_COUNSELING_TRAINING": "ECT",
        "SUPPORTIVE_CARE": "SUPPORTIVE_CARE",
        "HEALTH_SERVICES_RESEARCH": "HEALTH_SERVICES_RESEARCH",
        "BASIC_SCIENCE": "BASIC_SCIENCE",
        "DEVICE_FEASIBILITY": "DEVICE_FEASIBILITY",
    },
    "arm_type": {
        "ACTIVE_COMPARATOR": "ACTIVE_COMPARATOR",
        "PLACEBO_COMPARATOR": "PLACEBO_COMPARATOR",
        "SHAM_COMPARATOR": "SHAM_COMPARATOR",
        "NO_INTERVENTION": "NO_INTERVENTION",
    },
    "intervention_type": {
        "DIETARY_SUPPLEMENT": "DIETARY_SUPPLEMENT",
        "COMBINATION_PRODUCT": "COMBINATION_PRODUCT",
        "DIAGNOSTIC_TEST": "DIAGNOSTIC_TEST",
        "GENETIC": "GENETIC",
    },
    "sex": {"BOTH": "ALL"},
    "enrollment_type": {"ANTICIPATED": "ESTIMATED"},
    "param_type": {
        "COUNT_OF_PARTICIPANTS": "COUNT_OF_PARTICIPANTS",
        "GEOMETRIC_LEAST_SQUARES_MEAN": "GEOMETRIC_LEAST_SQUARES_MEAN",
    },
    "dispersion_type": {
        "95_CONFIDENCE_INTERVAL": "CONFIDENCE_95",
        "90_CONFIDENCE_INTERVAL": "CONFIDENCE_90",
        "80_CONFIDENCE_INTERVAL": "CONFIDENCE_80",
        "97_5_CONFIDENCE_INTERVAL": "CONFIDENCE_975",
        "99_CONFIDENCE_INTERVAL": "CONFIDENCE_99",
        "OTHER_CONFIDENCE_INTERVAL_LEVEL": "CONFIDENCE_OTHER",
        "INTER_QUARTILE_RANGE": "INTER_QUARTILE_RANGE",
        "FULL_RANGE": "FULL_RANGE",
        "GEOMETRIC_COEFFICIENT_OF_VARIATION": "GEOMETRIC_COEFFICIENT",
    },
}

VALUE_SETS: dict[str, frozenset[str]] = {
    "overall_status": OVERALL_STATUS,
    "phase": PHASES,
    "study_type": STUDY_TYPE,
    "allocation": ALLOCATION,
    "intervention_model": INTERVENTION_MODEL,
    "masking": MASKING,
    "primary_purpose": PRIMARY_PURPOSE,
    "arm_type": ARM_TYPE,
    "intervention_type": INTERVENTION_TYPE,
    "sex": SEX,
    "enrollment_type": ENROLLMENT_TYPE,
    "outcome_type": OUTCOME_TYPE,
    "param_type": PARAM_TYPE,
    "dispersion_type": DISPERSION_TYPE,
    "criterion_kind": CRITERION_KIND,
    "route": ROUTE,
}

_FOLD = re.compile(r"[^A-Z0-9]+")


def fold(value: str) -> str:
    """Upper snake form of a display string: ``"Active, not recruiting"`` -> ``"ACTIVE_NOT_RECRUITING"``."""
    return _FOLD.sub("_", value.upper()).strip("_")


def to_enum(kind: str, value: str | None) -> str | None:
    """Map a display string or v2 value onto the v2 value set ``kind``; None when it is not a known value.

    Unknown values are not guessed: the caller keeps the raw text elsewhere if it matters.
    """
    if value is None:
        return None
    folded = fold(value)
    if not folded:
        return None
    mapped = _LEGACY.get(kind, {}).get(folded, folded)
    return mapped if mapped in VALUE_SETS[kind] else None
