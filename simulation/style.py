"""One look for the class demo, the report and the notebooks: the compared colours, class names, numbers.

Two compared settings (low and high cohesion, without and with a lever) always get the same
pair of colours, first and second; classes always have the same names in both languages.
Numbers are written the way the reader's language writes them (Dutch: ``5.000``, ``3,5``).
"""

from __future__ import annotations

import math
from pathlib import Path

from simulation.config import DAYS_PER_YEAR

# The first and the second of two compared settings (ColorBrewer Dark2: apart for colour-blind readers).
COMPARED_COLOURS = ("#d95f02", "#1b9e77")
SINGLE_COLOUR = "#7570b3"  # one setting alone
UNAFFECTED_COLOUR = "#d9d9d9"  # households a crisis did not hit
NONE_YET = "\u2013"  # an en dash: no value (yet)

CLASS_NAMES = {
    "en": {
        "werkende_bovenlaag": "working upper class",
        "jongere_kansrijken": "young high-potentials",
        "rentenierende_bovenlaag": "retired upper class",
        "werkende_middengroep": "working middle group",
        "laagopgeleide_gepensioneerden": "low-educated pensioners",
        "onzekere_werkenden": "insecure workers",
        "precariaat": "precariaat",
        "everyone": "everyone",
    },
    "nl": {
        "werkende_bovenlaag": "werkende bovenlaag",
        "jongere_kansrijken": "jongere kansrijken",
        "rentenierende_bovenlaag": "rentenierende bovenlaag",
        "werkende_middengroep": "werkende middengroep",
        "laagopgeleide_gepensioneerden": "laagopgeleide gepensioneerden",
        "onzekere_werkenden": "onzekere werkenden",
        "precariaat": "precariaat",
        "everyone": "iedereen",
    },
}

# One colour per class, from the most to the least capital (ColorBrewer RdYlBu, the precariaat darkest red).
CLASS_COLOURS = {
    "werkende_bovenlaag": "#313695",
    "jongere_kansrijken": "#4575b4",
    "rentenierende_bovenlaag": "#74add1",
    "werkende_middengroep": "#abd9e9",
    "laagopgeleide_gepensioneerden": "#fdae61",
    "onzekere_werkenden": "#f46d43",
    "precariaat": "#a50026",
    "everyone": "#4d4d4d",
}

_SHORT_UNITS = {
    "en": {"hours": "h", "days": "d", "months": "mo", "years": "yr"},
    "nl": {"hours": "u", "days": "d", "months": "mnd", "years": "jr"},
}
_UNITS = {
    "en": {
        "hours": ("hour", "hours"),
        "days": ("day", "days"),
        "months": ("month", "months"),
        "years": ("year", "years"),
    },
    "nl": {
        "hours": ("uur", "uur"),
        "days": ("dag", "dagen"),
        "months": ("maand", "maanden"),
        "years": ("jaar", "jaar"),
    },
}
DAYS_PER_MONTH = DAYS_PER_YEAR / 12


def number(value: float, language: str = "en", digits: int = 0) -> str:
    """``value`` with ``digits`` decimals and thousands grouped as the language writes them."""
    written = f"{value:,.{digits}f}"
    return written.translate(str.maketrans(",.", ".,")) if language == "nl" else written


def percent(share: float, language: str = "en") -> str:
    """A share as a whole percentage ('35%'), or a dash where there is none."""
    return NONE_YET if share is None or math.isnan(share) else f"{number(100 * share, language)}%"


def duration(days: float, language: str = "en", short: bool = False, unit: str | None = None) -> str:
    """A span of time in ``unit`` (hours, days, months or years), or else in the unit that reads best:
    hours under two days, days under four months, then months, years; ``short`` abbreviates the unit
    ('16 h', '3.2 d')."""
    if unit is None:
        size = abs(days)
        unit = "hours" if size < 2 else "days" if size < 4 * DAYS_PER_MONTH else "months"
        unit = "years" if size >= 2 * DAYS_PER_YEAR else unit
    amount = days / DAYS_PER_UNIT[unit]
    digits = 0 if abs(amount) >= 10 or round(amount, 1) == round(amount) else 1
    written = number(amount, language, digits)
    if short:
        return f"{written} {_SHORT_UNITS[language][unit]}"
    singular, plural = _UNITS[language][unit]
    return f"{written} {singular if written == '1' else plural}"


# Words (and units) for the config and summary keys that figures and tables show; ``label``
# makes any other key readable.
SCENARIO_NAMES = {
    "leak": "leak (coping)",
    "flooding": "recurrent flooding (adaptation)",
    "sea_level_rise": "sea-level rise (transformation)",
}
LABELS = {
    "network.bonding_degree": "bonding ties per household",
    "network.bridging_degree": "bridging ties per household",
    "network.homophily": "homophily (0: ties ignore class, 1: only within class)",
    "scenario.name": "scenario",
    "resilience_loss_days": "resilience loss (days of functioning lost per affected household)",
    "t50_days": "days until 50% of those hit were back",
    "t90_days": "days until 90% of those hit were back",
    "days_home_median": "median days until displaced households were home",
    "displaced_peak_share": "peak share of households displaced",
    "displaced_share_end": "share of households displaced at the end",
    "displaced_share_4_months": "share of households displaced four months after the first event",
    "functioning_loss_days": "functioning lost (days per household, every household)",
    "channels.off": "channels switched off",
    "unrecovered_share": "share of affected households not recovered at the end",
    "precariaat_gap": "precariaat gap (ratio of mean recovery days to the rest's)",
    "precariaat_gap_days": "precariaat gap (mean recovery days minus the rest's)",
    "peak_disruption_share": "peak share in fear of unavailable essentials",
    "unable_to_follow_share": "share of households unable to follow a transformation",
    "left_unrecovered_share": "share of households hit and not recovered where nothing transformed",
    "left_behind_share": "share of households left behind (unable to follow, or hit and not recovered)",
    "left_behind_share_transformed": "share of transformed neighbourhoods' households unable to follow",
    "transformed_neighbourhoods": "neighbourhoods transformed",
    "functioning": "mean functioning of affected households",
    "displaced_share": "share of households displaced",
    "without_water_share": "households without tap water",
    "provision_lost_share": "households lacking an essential provision",
    "recovered_share": "affected households recovered",
    "fear_share": "households in fear of unavailable essentials",
    "trust_end": "trust in government at the end",
    "trust_change": "change in trust in government (end minus start)",
    "government.collaboration": "government's starting stance (0: defensive, 1: cooperative)",
    "government.receptivity": "government's starting stance (0: directive, 1: receptive)",
    "government.bureaucracy": "bureaucracy (procedural friction, 0 to 1)",
    "scenario.support_threshold": "support a neighbourhood needs before a project starts",
    "population.trust_shift": "shift of every class's starting trust",
    "policy_cost_eur": "cost of the policy levers (EUR)",
}


SCENARIO_ORDER = ("leak", "flooding", "sea_level_rise")  # coping, adaptation, transformation


def in_order(scenarios) -> list:
    """Scenarios in the order coping, adaptation, transformation (``SCENARIO_ORDER``); others after them."""
    known = len(SCENARIO_ORDER)
    return sorted(scenarios, key=lambda s: (SCENARIO_ORDER.index(s) if s in SCENARIO_ORDER else known, str(s)))


# The unit each scenario's durations are shown in: hours for the leak, years for sea-level rise; days where not named.
SCENARIO_TIME_UNITS = {"leak": "hours", "sea_level_rise": "years"}
TIME_UNITS_NOTE = "hours for the leak, days for flooding, years for sea-level rise or months where under two years"
DAYS_PER_UNIT = {"hours": 1 / 24, "days": 1.0, "months": DAYS_PER_MONTH, "years": DAYS_PER_YEAR}


def time_unit(scenario: str | None, span_days: float | None = None) -> tuple[str, float]:
    """The unit in which a scenario's durations are shown, and its length in days (``('hours', 1/24)``).

    Years give way to months where what is shown (``span_days``: its largest size) is under two years.
    """
    unit = SCENARIO_TIME_UNITS.get(scenario, "days")
    if unit == "years" and span_days is not None and abs(span_days) < 2 * DAYS_PER_YEAR:
        unit = "months"
    return unit, DAYS_PER_UNIT[unit]


def is_duration(key: str) -> bool:
    """Whether a summary key (or a table column of one) is a duration in days."""
    return "days" in key.split("__")[0].split("_")


def key_unit(key: str, scenario: str | None, span_days: float | None = None) -> tuple[str, float]:
    """The unit a summary key is shown in and its length in days: ``time_unit``'s for a duration, else ``('', 1.0)``."""
    return time_unit(scenario, span_days) if is_duration(key) else ("", 1.0)


def timed_label(key: str, unit: str) -> str:
    """``label(key)`` with its days in ``unit`` ('hours until 90% of those hit were back'); other keys as they are."""
    return label(key).replace("days", unit) if is_duration(key) else label(key)


_STEPS = {"hourly": 1 / 24, "daily": 1.0, "weekly": 7.0, "monthly": DAYS_PER_MONTH}


def clock(horizon_days: float, step_days: float) -> str:
    """A run's clock in words: '14 days in hourly steps', '30 years in weekly steps'."""
    steps = next((word for word, days in _STEPS.items() if math.isclose(step_days, days, rel_tol=1e-3)), None)
    return f"{duration(horizon_days)} in {f'{steps} steps' if steps else f'steps of {duration(step_days)}'}"


def label(key: str) -> str:
    """Words for a config or summary key: from ``LABELS``, else its last part with spaces."""
    if key in LABELS:
        return LABELS[key]
    if key in SCENARIO_NAMES:
        return SCENARIO_NAMES[key]
    return key.rsplit(".", 1)[-1].replace("__", ", ").replace("_", " ")


PRINT_FORMATS = ("pdf", "svg", "png")
PRINT_DPI = 300


def save_for_print(figure, path: Path) -> list[Path]:
    """Save a figure as PDF, SVG and a 300 dpi PNG beside each other (``path`` without its suffix); return the files."""
    written = []
    for suffix in PRINT_FORMATS:
        target = Path(path).with_suffix(f".{suffix}")
        figure.savefig(target, dpi=PRINT_DPI, metadata={"Date": None} if suffix == "svg" else None)
        written.append(target)
    return written
