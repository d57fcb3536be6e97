"""Curated word lists of the prose reader (:mod:`trial_pipeline.parsers.narrative`).

The registry-derived vocabulary (drugs, conditions, countries, intervention heads, INN stems, common words) is
built from data by ``bench/build_vocab.py`` into the TSV files beside this module; the lists here are the small,
hand-curated rest: cue words of document kinds, words that are never study acronyms or drugs, outcome measure
names, and the function words that bound a noun phrase. Changing a list changes what the reader extracts, so each
one says what it is for. Words are lower case unless a list says otherwise.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``: lists read as prose, one set each."""
    return frozenset(text.split())


# Words after which a full stop does not end a sentence (without the stop).
NO_SENTENCE_BREAK_AFTER: frozenset[str] = _words(
    """
    al approx dr e.g fig i.e inc mr mrs ms no prof vs
    """
)


# Field labels of registry web pages (CT.gov mirrors, MedPath, ...): a page with several of them on their own
# line is the registry-page reader's, not prose.
REGISTRY_PAGE_LABELS: frozenset[str] = frozenset(
    line.strip()
    for line in """
    accepts healthy volunteers
    ages eligible for study
    allocation
    brief summary
    clinical phase
    conditions
    detailed description
    eligibility criteria
    enrollment
    exclusion criteria
    first posted
    gender
    inclusion criteria
    interventions
    last updated
    lead sponsor
    locations
    masking
    nct id
    outcome measures
    overall status
    phase
    primary completion date
    primary outcome measures
    primary purpose
    recruitment status
    registration number
    secondary outcome measures
    sex
    sponsor
    status
    study classification
    study completion date
    study design
    study start date
    study type
    target recruitment
    total enrollment
    """.strip().splitlines()
)


# Nouns that follow a study's name ("the KOMET-001 study").
TRIAL_NOUNS: frozenset[str] = _words(
    """
    program programme studies study trial trials
    """
)


# Words that may stand between a study acronym and its noun ("the KOMET-001 clinical trial").
TRIAL_NAME_FILLERS: frozenset[str] = _words(
    """
    1 1/2 2 2/3 3 clinical ii iii phase pivotal registrational
    """
)


# Upper-case words that are organisations, places or generic abbreviations, never study acronyms (upper case).
NOT_ACRONYMS: frozenset[str] = _words(
    """
    AACR AE AES ASCO ASH BLA BM CAR CEO CFO CMO CR DFS DLT DNA DOR ECOG EFS EHA EMA ESMO EU FDA HSCT IND ITD IV
    MAA MRD MTD NCI NDA NGS NIH ORR OS PB PD PFS PHASE PK PR RCT RNA RP2D SAE SCT TKD TPS UK US USA WHO
    """
)


# Words that may stand between two names of one trial ("KOMET-001 trial (ClinicalTrials.gov identifier ...)").
ID_JOINING_WORDS: frozenset[str] = _words(
    """
    clinicaltrials.gov eudract id identifier nct no number registration study trial
    """
)


# Words that end in an INN stem but are not drugs (the common-words list catches most others).
NOT_DRUG_WORDS: frozenset[str] = _words(
    """
    accept cellular concept except intercept mab nucleotide oligonucleotide peptide polypeptide precept rheostat
    riptide statistic status thermostat tide
    """
)


# Single words too general to be a trial's condition on their own (kept only inside a longer term).
GENERIC_CONDITIONS: frozenset[str] = _words(
    """
    anemia anxiety cancer cancers carcinoma depression disease fatigue fever healthy infection infections
    inflammation leukaemia leukemia lymphoma metastases neoplasm neoplasms obesity pain sarcoma stress syndrome
    toxicity tumor tumors tumour
    """
)


# Mutation/subtype words after a marker ("FLT3-mutated") -> the form a qualified condition is written in.
QUALIFIER_WORDS: dict[str, str] = {
    "mutated": "mutated", "mutant": "mutated", "mutation-positive": "mutated", "mutation": "mutated",
    "mutations": "mutated", "rearranged": "rearranged", "rearrangement": "rearranged",
    "rearrangements": "rearranged", "positive": "positive", "negative": "negative", "amplified": "amplified",
    "amplification": "amplified", "amplifications": "amplified", "fusion": "fusion-positive",
    "fusions": "fusion-positive", "deleted": "deleted", "altered": "altered",
}  # fmt: skip


# Country spellings of news prose -> the registry's country name (case-sensitive).
COUNTRY_ALIASES: dict[str, str] = {
    "U.S.": "United States", "U.S": "United States", "US": "United States", "USA": "United States",
    "U.S.A.": "United States", "UK": "United Kingdom", "U.K.": "United Kingdom", "Britain": "United Kingdom",
    "England": "United Kingdom", "South Korea": "Korea, Republic of", "Korea": "Korea, Republic of",
    "Russia": "Russian Federation",
}  # fmt: skip


# Outcome measures as prose names them (regex fragments without capturing groups; a space matches any
# whitespace) -> the measure name recorded (lower case, as measured). More specific names first.
OUTCOME_TERMS: tuple[tuple[str, str], ...] = (
    ("overall response rates?", "overall response rate"),
    ("objective response rates?", "objective response rate"),
    ("complete remission rates?", "complete remission rate"),
    ("complete remissions?", "complete remission"),
    ("complete responses?", "complete response"),
    ("partial remissions?", "partial remission"),
    ("partial responses?", "partial response"),
    ("remission rates?", "remission rate"),
    ("response rates?", "response rate"),
    ("overall survival", "overall survival"),
    ("event[- ]free survival", "event-free survival"),
    ("progression[- ]free survival", "progression-free survival"),
    ("disease[- ]free survival", "disease-free survival"),
    ("relapse[- ]free survival", "relapse-free survival"),
    ("leuka?emia[- ]free survival", "leukemia-free survival"),
    ("survival rates?", "survival rate"),
    ("duration of (?:the )?(?:response|remission)", "duration of response"),
    ("time to (?:response|progression)", "time to response"),
    ("transfusion independence", "transfusion independence"),
    ("(?:minimal|measurable) residual disease|MRD negativity", "measurable residual disease"),
    ("pharmacokinetics?|pharmacokinetic profile", "pharmacokinetics"),
    ("maximum (?:plasma |serum )?concentration|Cmax", "maximum concentration"),
    ("area under the curve|AUC", "area under the curve"),
    ("half-life", "half-life"),
    ("dose[- ]limiting toxicit(?:y|ies)|DLTs?", "dose-limiting toxicities"),
    ("maximum tolerated dose|MTD", "maximum tolerated dose"),
    ("recommended phase (?:2|II) dose|RP2D", "recommended phase 2 dose"),
    ("adverse events?|side effects?|treatment-emergent adverse events?", "adverse events"),
    ("toxicit(?:y|ies)", "toxicity"),
    ("safety", "safety"),
    ("tolerability", "tolerability"),
    ("quality of life", "quality of life"),
    ("cumulative incidence of relapse|relapse rates?", "relapse rate"),
    ("major molecular response", "major molecular response"),
    ("hematologic(?:al)? (?:response|improvement)", "hematologic response"),
    ("mortality", "mortality"),
)


# --------------------------------------------------------------------------------------------------------------
# Intervention mentions: noun-phrase bounds and arm cues
# --------------------------------------------------------------------------------------------------------------

# Closed-class words (determiners, pronouns, prepositions, conjunctions, auxiliaries, modals, degree adverbs):
# a noun phrase's modifiers never include one, so they bound a phrase on its left.
FUNCTION_WORDS: frozenset[str] = _words(
    """
    a about above across after against all along also although am among an and another any are as at be because
    been before being below between both but by can could did do does done during each either else every few for
    from had has have having he her here hers him his how however if in into is it its itself least less many may
    might more most much must my neither no nor not of off on once one only onto or other others our out over own
    per same several shall she should since so some such than that the their them then there these they this those
    though through thus to too toward towards under unless until upon us very via was we were what whatever when
    where whereas whether which while who whom whose why will with within without would yet you your versus vs
    respectively i ii iii iv
    """
)
# Verbs that take the intervention as their object ("received placebo", "underwent surgery") or introduce a
# measurement: they end a phrase on its left like a function word.
OBJECT_VERBS: frozenset[str] = _words(
    """
    receive received receives receiving underwent undergo undergoing undergoes given give gives giving took take
    takes taking used use uses using compared comparing compare including include includes included following
    followed evaluated evaluating evaluate assessed assessing assess investigated investigating investigate
    examined examining examine involving involved involve containing contained contain performed performing
    completed completing consisted consisting attended attending started starting continued continuing stopped
    required requiring needed needing showed showing reported reporting randomized randomised randomly assigned
    allocated treated treating administered administering provided providing offered offering delivered
    delivering after before during versus plus
    """
)
# Past participles that do modify an intervention noun ("guided imagery", "supervised exercise"); any other
# "-ed" word next to a phrase is a verb ("patients treated ...") and bounds it.
PARTICIPLE_MODIFIERS: frozenset[str] = _words(
    """
    guided supervised structured assisted modified combined enhanced based focused integrated targeted tailored
    individualized individualised standardized standardised computerized computerised automated accelerated
    fractionated extended prolonged sustained repeated intensified specialized specialised mixed fixed controlled
    matched blinded unsupervised home-based web-based internet-based telephone-based school-based
    community-based group-based family-based
    """
)
# Words that never modify an intervention's name: units, and prior-therapy and timing words whose scope must
# stay outside the phrase ("prior chemotherapy" is prior therapy, not a therapy named "prior chemotherapy").
NOT_MODIFIERS: frozenset[str] = _words(
    """
    prior previous previously preceding former concomitant current ongoing subsequent additional further
    different other new same mg ml g kg mcg ug iu units unit mmol
    """
)
# Number words: they count a phrase ("two diets", "training three times"), never name or end one.
NUMBER_WORDS: frozenset[str] = _words(
    """
    one two three four five six seven eight nine ten twelve several various multiple many
    """
)
# Words before a procedure that make it the setting of the trial, not what the arms compare ("pain after
# cholecystectomy", "patients undergoing surgery").
SETTING_BEFORE: frozenset[str] = _words(
    """
    after before during following undergoing underwent undergo undergone post since for requiring awaiting
    scheduled
    """
)
# Section headings of abstracts: in upper case they start a section and bound a phrase.
ABSTRACT_HEADING_WORDS: frozenset[str] = _words(
    """
    background methods method results result conclusions conclusion objective objectives purpose design setting
    introduction importance interventions intervention participants patients measurements outcome outcomes main
    aim aims context materials findings interpretation funding registration trial
    """
)
# Nouns after an arm's label ("the exercise group", "the TIVA arm"): the label before them names what the arm got.
GROUP_NOUNS: frozenset[str] = frozenset({"group", "groups", "arm", "arms", "condition", "conditions", "cohort"})
# Nouns that name a class of drugs: a phrase ending in one names a drug intervention ("ACE inhibitors",
# "dihydropyridine calcium channel blocker", "oral contraceptives"), and "a/an ... <class>" after a drug's
# name says what it is ("an oral menin inhibitor").
DRUG_CLASS_NOUNS: frozenset[str] = _words(
    """
    inhibitor blocker antagonist agonist antibody degrader modulator conjugate vaccine antibiotic antidepressant
    antipsychotic antihypertensive anticoagulant antiemetic analgesic opioid corticosteroid steroid statin
    diuretic bronchodilator vasodilator contraceptive antihistamine antioxidant anesthetic antiepileptic
    anticonvulsant antiviral antifungal antimalarial immunosuppressant anxiolytic hypnotic sedative stimulant
    bisphosphonate anthracycline taxane glucocorticoid
    """
)
# Nouns that may follow an intervention's name without taking it as their modifier ("exercise sessions" still
# names exercise; "exercise capacity" does not).
AFTER_HEAD_NOUNS: frozenset[str] = _words(
    """
    session sessions period periods phase effect effects visit visits course courses cycle cycles duration alone
    only
    """
)
# Participles joined to an unknown name that make it an intervention's name ("flosequinan-treated").
NAME_TREATED_SUFFIXES: frozenset[str] = frozenset({"treated", "induced", "based", "containing", "supplemented"})
# Labels of arms that name no intervention ("the study group", "both groups").
NOT_ARM_LABELS: frozenset[str] = _words(
    """
    study treatment treated experimental active test age risk both each all other two three four first second
    third same comparison patient patients control-group dose low high low-dose high-dose older younger whole
    total entire respective separate different two-group this that
    """
)
# Control arms: "control" or "controls" names one only next to these words, or alone in parentheses.
CONTROL_WORDS: frozenset[str] = frozenset({"control", "controls"})
CONTROL_BEFORE: frozenset[str] = frozenset({"or", "versus", "vs", "and", "to", "into", "as", "a", "the"})
# Phrases that name a control arm in full ("usual care" is a head phrase already).
CONTROL_PHRASES: tuple[str, ...] = (
    "treatment as usual", "care as usual", "no treatment", "no intervention", "no therapy", "waiting list",
    "waiting-list", "wait-list", "waitlist", "wait list", "standard of care", "best supportive care",
)  # fmt: skip
# Words that introduce the intervention a trial compares ("randomized to X", "received X", "effect of X on"):
# an unknown name right after one is an intervention's name. Each entry is a word sequence.
ARM_CUES: tuple[str, ...] = (
    "randomized to", "randomised to", "randomized to receive", "randomised to receive", "randomly assigned to",
    "randomly assigned to receive", "randomly allocated to", "randomly allocated to receive", "assigned to",
    "assigned to receive", "allocated to", "allocated to receive", "randomized into", "randomised into",
    "received", "receiving", "received either", "receive either", "receive", "given", "treated with", "treatment with",
    "therapy with", "administration of", "effect of", "effects of", "efficacy of", "comparison of", "compared with",
    "compared to", "versus", "vs", "plus", "combined with", "in combination with", "supplementation with",
    "pretreatment with", "premedication with", "infusion of", "injection of", "intake of", "dose of", "doses of",
)  # fmt: skip
# Cues whose object is a whole intervention phrase ("randomized to continuous subcutaneous insulin infusion",
# "X versus conventional insulin treatment"), and the words that phrase never contains.
PHRASE_CUES: tuple[str, ...] = (
    "randomized to", "randomised to", "randomized to receive", "randomised to receive", "assigned to",
    "assigned to receive", "allocated to", "allocated to receive", "received either", "receive either", "versus",
    "vs", "compared with", "compared to", "effect of", "effects of", "efficacy of", "impact of", "influence of",
    "role of",
)  # fmt: skip
NOT_IN_PHRASE: frozenset[str] = _words(
    """
    patients patient children adults women men subjects participants people group groups arm arms one two three
    four those
    """
)
# The arm cues that say a participant is given something ("receive milrinone"): an unknown lower-case name after
# one is taken for a drug of the trial.
GIVING_CUES: tuple[str, ...] = (
    "randomized to receive", "randomised to receive", "assigned to receive", "allocated to receive", "received",
    "receiving", "receive", "given", "treated with", "treatment with", "administration of", "infusion of",
    "injection of",
)  # fmt: skip
# Endings of English adjectives and abstract nouns, which drug names do not have ("intravesical", "simulation").
NOT_DRUG_ENDINGS: tuple[str, ...] = (
    "al", "ic", "ics", "ary", "ive", "ous", "ant", "ants", "ent", "ents", "tion", "tions", "sion", "ism", "ment",
    "ments", "ness", "ity", "ogy", "ery", "ship", "ist", "ists", "ory", "ure", "age", "ance", "ence", "point",
    "front", "oid", "oids", "ing", "ings", "ly", "ed", "er", "ers",
)  # fmt: skip
# Words that join two interventions into one given together ("X plus Y", "X followed by Y").
COMBINATION_JOINERS: tuple[str, ...] = (
    "and", "plus", "with", "+", "/", "followed by", "combined with", "in combination with", "in addition to",
)  # fmt: skip
# A substance named beside these words is measured, or what a condition is about, not given ("serum cholesterol",
# "insulin resistance", "nicotine dependence").
ANALYTE_BEFORE: frozenset[str] = _words(
    """
    serum plasma blood urine urinary salivary saliva fasting lipoprotein total tissue intracellular cerebrospinal
    circulating endogenous postprandial free ionized ionised hdl ldl hdl-c ldl-c
    """
)
ANALYTE_AFTER: frozenset[str] = _words(
    """
    level levels concentration concentrations resistance esters ester status bioavailability absorption
    metabolism secretion sensitivity homeostasis clearance excretion values value tolerance production synthesis
    uptake receptor receptors deficiency reserves turnover availability solubility balance profile ratio
    dependent dependence addiction
    """
)
# A drug name joined to one of these ("azacitidine-refractory") is prior therapy, not the trial's intervention.
PRIOR_THERAPY_SUFFIXES: frozenset[str] = _words(
    """
    refractory resistant naive naïve intolerant exposed pretreated pre-treated experienced failed relapsed
    """
)
