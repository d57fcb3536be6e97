"""Catalogue of the variables an eligibility constraint may bound (``criterion_constraints.variable``).

Each entry names the variable (upper snake case, the warehouse value), the spellings that mention it in
criteria text (regex fragments, matched case-insensitively on word boundaries), the normalised units a value
may carry, and a plausible value range used to reject misreadings. The order of :data:`VARIABLES` matters:
at one text position the first variable whose synonym matches wins, so more specific names come first
("creatinine clearance" before "creatinine", "alanine transaminase" before "transaminase").
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class VariableSpec:
    """One constraint variable: its name, how texts mention it, the units and values it accepts."""

    name: str
    description: str
    # Regex fragments (no capturing groups, no nested quantifiers); longest spellings first.
    synonyms: tuple[str, ...]
    # Normalised units the variable accepts; None in the set means "a bare number is acceptable".
    units: frozenset[str | None]
    # Plausible values in any accepted unit; a number outside is a misreading, not a constraint.
    min_value: float = 0.0
    max_value: float = 1e7


#: Normalised unit spellings used in ``criterion_constraints.unit``.
UNITS: frozenset[str] = frozenset(
    {
        "10^9/L", "10^3/uL", "/uL", "/mm3", "umol/L", "mg/dL", "g/dL", "g/L", "mL/min", "ULN", "years", "months",
        "weeks", "days", "%", "ms", "kg/m2", "copies/mL", "IU/mL",
    }
)  # fmt: skip

_COUNT_UNITS: frozenset[str | None] = frozenset({"10^9/L", "10^3/uL", "/uL", "/mm3", None})
_TIME_UNITS: frozenset[str | None] = frozenset({"years", "months", "weeks", "days"})

VARIABLES: tuple[VariableSpec, ...] = (
    VariableSpec(
        "AGE",
        "Age of the participant.",
        (r"aged", r"ages?"),
        frozenset({"years", "months", "weeks", "days", None}),
        0,
        120,
    ),
    VariableSpec(
        "ECOG",
        "ECOG / WHO / Zubrod performance status (0-5).",
        (
            r"Eastern\s+Cooperative\s+Oncology\s+Group",
            r"WHO\s+performance\s+status",
            r"Zubrod",
            r"ECOG",
        ),
        frozenset({None}),
        0,
        5,
    ),
    VariableSpec(
        "KARNOFSKY",
        "Karnofsky performance status (0-100).",
        (r"Karnofsky", r"KPS"),
        frozenset({"%", None}),
        0,
        100,
    ),
    VariableSpec(
        "LIFE_EXPECTANCY",
        "Expected survival of the participant.",
        (
            r"life\s+expectancy",
            r"expected\s+survival",
            r"estimated\s+survival",
            r"anticipated\s+survival",
            r"expected\s+to\s+survive",
            r"survival\s+expectancy",
        ),
        _TIME_UNITS,
        0,
        600,
    ),
    VariableSpec(
        "CREATININE_CLEARANCE",
        "Measured or calculated creatinine clearance.",
        (r"creatinine\s+clearance", r"CrCl", r"CLcr"),
        frozenset({"mL/min", None}),
        0,
        300,
    ),
    VariableSpec(
        "CREATININE",
        "Serum creatinine.",
        (r"creatinine(?!\s+clearance)",),
        frozenset({"umol/L", "mg/dL", "ULN", None}),
        0,
        2000,
    ),
    VariableSpec(
        "ANC",
        "Absolute neutrophil (granulocyte) count.",
        (
            r"absolute\s+neutrophils?\s+count",
            r"absolute\s+neutrophils?",
            r"absolute\s+granulocyte\s+count",
            r"neutrophils?",
            r"granulocytes?",
            r"ANC",
            r"AGC",
        ),
        _COUNT_UNITS,
    ),
    VariableSpec(
        "PLATELETS",
        "Platelet count.",
        (r"platelets?", r"thrombocytes?", r"PLT"),
        _COUNT_UNITS,
    ),
    VariableSpec(
        "HEMOGLOBIN",
        "Haemoglobin concentration.",
        (r"ha?emoglobin(?!\s*A1c)", r"Hgb", r"Hb(?!A)"),
        frozenset({"g/dL", "g/L", None}),
        0,
        250,
    ),
    VariableSpec(
        "WBC",
        "White blood cell (leukocyte) count.",
        (r"white\s+blood\s+cells?", r"white\s+cell\s+count", r"leu[ck]ocytes?", r"WBC"),
        _COUNT_UNITS,
    ),
    VariableSpec(
        "BILIRUBIN",
        "Serum (total, direct) bilirubin.",
        (r"bilirubin",),
        frozenset({"umol/L", "mg/dL", "ULN", None}),
        0,
        1000,
    ),
    VariableSpec(
        "ALT",
        "Alanine aminotransferase.",
        (r"alanine\s+(?:amino)?transferase", r"alanine\s+(?:amino)?transaminase", r"SGPT", r"ALAT", r"ALT"),
        frozenset({"ULN", None}),
        0,
        1000,
    ),
    VariableSpec(
        "AST",
        "Aspartate aminotransferase.",
        (r"aspartate\s+(?:amino)?transferase", r"aspartate\s+(?:amino)?transaminase", r"SGOT", r"ASAT", r"AST"),
        frozenset({"ULN", None}),
        0,
        1000,
    ),
    VariableSpec(
        "TRANSAMINASES",
        "Aminotransferases when the text does not name ALT or AST.",
        (r"transaminases?", r"aminotransferases?"),
        frozenset({"ULN", None}),
        0,
        1000,
    ),
    VariableSpec(
        "LVEF",
        "Left ventricular ejection fraction.",
        (r"left\s+ventricular\s+ejection\s+fraction", r"LV\s+ejection\s+fraction", r"ejection\s+fraction", r"LVEF"),
        frozenset({"%"}),
        5,
        100,
    ),
    VariableSpec(
        "QTC",
        "Corrected QT interval.",
        (r"QTc[FB]?(?:\s+interval)?", r"corrected\s+QT(?:\s+interval)?", r"QT\s+interval"),
        frozenset({"ms"}),
        200,
        800,
    ),
    VariableSpec(
        "BMI",
        "Body-mass index.",
        (r"body\s+mass\s+index", r"BMI"),
        frozenset({"kg/m2", None}),
        8,
        100,
    ),
    VariableSpec(
        "HBV_DNA",
        "Hepatitis B viral load.",
        (r"HBV[\s-]?DNA", r"hepatitis\s+B\s+(?:virus\s+)?DNA", r"HBV\s+viral\s+load"),
        frozenset({"copies/mL", "IU/mL"}),
        0,
        1e12,
    ),
    VariableSpec(
        "BLASTS",
        "Blast percentage (marrow or blood).",
        (r"blast\s+cells?", r"myeloblasts?", r"blasts?"),
        frozenset({"%"}),
        0,
        100,
    ),
    # The three below are read by dedicated patterns (the number precedes the noun), not by mentions.
    VariableSpec("PRIOR_THERAPY_LINES", "Number of prior lines of therapy.", (), frozenset({None}), 0, 20),
    VariableSpec("PERIPHERAL_NEUROPATHY_GRADE", "CTCAE grade of peripheral neuropathy.", (), frozenset({None}), 0, 5),
    VariableSpec("WASHOUT", "Time since the last therapy (or window before first dose).", (), _TIME_UNITS, 0, 730),
)

#: Variables by name.
BY_NAME: dict[str, VariableSpec] = {spec.name: spec for spec in VARIABLES}
