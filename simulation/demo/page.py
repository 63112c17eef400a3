"""The class demo's page: Mesa's SolaraViz with a settings panel, an explanation and live figures.

Served by ``veerkracht demo`` (``solara run`` on this file). Every browser session builds its
own model inside ``Page``; nothing is shared between sessions. Mesa's SolaraViz provides the
step, play/pause and reset controls (and their English labels); the settings, the explanation
and the figures are ours, in English and Dutch.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from simulation.classroom import (
    COHESION_SCALE,
    COMPARISONS,
    HIGH_COHESION,
    LOW_COHESION,
    SCENARIOS,
    ClassroomModel,
    ClassroomSettings,
    ties_for_cohesion,
)
from simulation.config import ConfigError
from simulation.demo.figures import COMMUNITY_COLOURS, DAYS_PER_YEAR, dashboard_figures
from simulation.demo.texts import TEXT, community_name
from simulation.metrics import precariaat_gap
from simulation.model import CrisisModel

LANGUAGES = {"English": "en", "Nederlands": "nl"}

# The advanced panel's sliders: key, lowest, highest, step (an int step makes an int slider).
ADVANCED_SLIDERS = (
    ("bonding_degree", 0.0, 10.0, 0.5),
    ("bridging_degree", 0.0, 6.0, 0.5),
    ("homophily", 0.0, 1.0, 0.05),
    ("delay_days", 0.0, 60.0, 1.0),
    ("receptivity", 0.0, 1.0, 0.05),
    ("learning", 0.0, 1.0, 0.05),
    ("households", 500, 20000, 500),
)


def clock(model: ClassroomModel, text: dict) -> str:
    """Where the run is, in the scenario's unit: 'Day 2, 13:00 (of 14 days)', 'Year 3 of 100'."""
    whole_days, hours = divmod(round(model.day * 24), 24)
    return text["clock"][model.settings.scenario].format(
        whole_days=whole_days,
        hour=hours,
        weeks=model.day / 7,
        years=model.day / DAYS_PER_YEAR,
        horizon_days=model.horizon_days,
        horizon_years=model.horizon_days / DAYS_PER_YEAR,
    )


def percent(value: float) -> str:
    """A share as a whole percentage, or a dash where there is none yet."""
    return "-" if np.isnan(value) else f"{100 * value:.0f}%"


def gap(community: CrisisModel, text: dict) -> str:
    """The precariaat's mean recovery days against the rest's so far, in days and as a ratio."""
    h = community.households
    ratio, days = precariaat_gap(community.event_log, h.household_class, h.class_names, community.day)
    if ratio is None or days is None:
        return "-"
    return text["gap"].format(days=days, ratio=ratio)


def readout(model: ClassroomModel, name: str, text: dict) -> str:
    """The current state of one community in one line."""
    community = model.communities[name]
    columns, row = community.recorder.columns, community.recorder.row - 1
    return text["readout"].format(
        functioning=percent(columns["functioning"][row]),
        recovered=percent(columns["recovered_share"][row]),
        displaced=percent(columns["displaced_share"][row]),
        fear=percent(columns["fear_share"][row]),
        initiatives=int(columns["active_initiatives"][row]),
        trust=percent(columns["trust"][row]),
        gap=gap(community, text),
    )


def community_title(model: ClassroomModel, name: str, text: dict) -> str:
    """A community's name and its ties."""
    settings = model.settings
    return f"{community_name(text, settings.compare, name)}: {text['ties'].format(**settings.ties()[name])}"


def comparison_label(text: dict, compare: str) -> str:
    """What side by side compares, in words: 'low and high cohesion', 'without and with higher dikes'."""
    if compare == "cohesion":
        return text["compare_cohesion"]
    return text["compare_lever"].format(lever=text["levers"][compare])


# ---- page ------------------------------------------------------------------------------------


class PageModel(ClassroomModel):
    """A ClassroomModel built from the page's current settings (Mesa's Reset calls this)."""

    def __init__(self, settings: solara.Reactive[ClassroomSettings]) -> None:
        super().__init__(settings.value)


@solara.component
def SettingsPanel(
    settings: solara.Reactive[ClassroomSettings], language: solara.Reactive[str], running: ClassroomSettings
):
    """The class's controls: language, crisis, cohesion, and an advanced panel."""
    text = TEXT[language.value]
    error = solara.use_reactive("")
    current = settings.value

    def change(**values) -> None:
        candidate = replace(settings.value, **values)
        try:
            candidate.configs()
        except ConfigError as problem:
            error.set(str(problem))
            return
        error.set("")
        settings.set(candidate)

    def set_cohesion(value: float) -> None:
        change(cohesion=value, **ties_for_cohesion(value))

    scenario_names = text["scenarios"]
    with solara.Card(text["settings"]):
        solara.ToggleButtonsSingle(
            value=next(label for label, code in LANGUAGES.items() if code == language.value),
            values=list(LANGUAGES),
            on_value=lambda label: language.set(LANGUAGES[label]),
        )
        solara.Select(
            text["scenario"],
            value=scenario_names[current.scenario],
            values=[scenario_names[s] for s in SCENARIOS],
            on_value=lambda label: change(scenario=next(s for s in SCENARIOS if scenario_names[s] == label)),
        )
        solara.Checkbox(
            label=text["side_by_side"], value=current.side_by_side, on_value=lambda v: change(side_by_side=v)
        )
        if current.side_by_side:
            labels = {comparison_label(text, c): c for c in COMPARISONS}
            solara.Select(
                text["compare"],
                value=comparison_label(text, current.compare),
                values=list(labels),
                on_value=lambda label: change(compare=labels[label]),
            )
            if current.compares_cohesion:
                note = text["side_by_side_note"].format(
                    low=text["ties"].format(**ties_for_cohesion(LOW_COHESION)),
                    high=text["ties"].format(**ties_for_cohesion(HIGH_COHESION)),
                )
            else:
                lever = current.compare
                note = text["lever_note"].format(lever=text["levers"][lever], what=text["levers_explained"][lever])
            solara.Text(note)
        solara.SliderFloat(
            text["cohesion"],
            value=current.cohesion,
            min=0.0,
            max=1.0,
            step=0.05,
            on_value=set_cohesion,
            disabled=current.compares_cohesion,
        )
        solara.Text(text["cohesion_note"].format(ties=text["ties_explained"]))
        with solara.Details(summary=text["advanced"]):
            for key, low, high, step in ADVANCED_SLIDERS:
                slider = solara.SliderInt if isinstance(step, int) else solara.SliderFloat
                slider(
                    text[key],
                    value=getattr(current, key),
                    min=low,
                    max=high,
                    step=step,
                    on_value=lambda v, key=key: change(**{key: v}),
                    disabled=current.compares_cohesion and key in COHESION_SCALE,
                )
            solara.InputInt(text["seed"], value=current.seed, on_value=lambda v: change(seed=v))
        if error.value:
            solara.Error(error.value)
        if current != running:
            solara.Warning(text["pending"], classes=["veerkracht-pending"])
        else:
            solara.Text(text["apply"])


@solara.component
def Dashboard(model: ClassroomModel, language: str):
    """The scenario's explanation, where the run is, and the figures; redrawn after every step."""
    text = TEXT[language]
    figures = solara.use_memo(lambda: dashboard_figures(model, text), [model, language])
    update_counter.get()  # Mesa's controller bumps this after each step
    scenario = model.settings.scenario
    n, k = model.view.of_total, model.view.households.size
    shown = text["all"].format(n=n) if k == n else text["sample"].format(k=k, n=n)
    with solara.Column(style={"padding": "0 1em"}):
        with solara.Card(text["scenarios"][scenario]), solara.Column():
            solara.Text(f"{text['explanations'][scenario]} {text['page_step'][scenario]}")
            solara.Text(
                clock(model, text),
                classes=["veerkracht-clock"],
                style={"font-size": "1.4em", "font-weight": "bold"},
            )
        with solara.Columns([1] * len(model.communities)):
            for name in model.communities:
                with solara.Column(gap="0"):
                    solara.Text(
                        community_title(model, name, text),
                        style={"color": COMMUNITY_COLOURS[name], "font-weight": "bold"},
                    )
                    solara.Text(readout(model, name, text), classes=[f"veerkracht-readout-{name}"])
        for name, figure in figures.items():
            solara.Image(figure.png(), classes=[f"veerkracht-figure-{name}"])
            if name == "network":
                solara.Text(text["network_note"].format(shown=shown), style={"font-size": "0.9em"})


@solara.component
def Page():
    """The whole page, with a model of its own for every browser session."""
    language = solara.use_reactive("en")
    settings = solara.use_reactive(ClassroomSettings())
    first_model = solara.use_memo(lambda: PageModel(settings), [])
    model = solara.use_reactive(first_model)
    with solara.Sidebar():
        SettingsPanel(settings, language, model.value.settings)
    SolaraViz(model, components=[], model_params={"settings": settings}, name=TEXT[language.value]["title"])
    Dashboard(model.value, language.value)
