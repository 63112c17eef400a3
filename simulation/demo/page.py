"""The class demo's page: the controls, the scoreboard and live figures, with a settings panel.

Served by ``veerkracht demo`` (``solara run`` on this file). Every browser session builds its
own model inside ``Page``; nothing is shared between sessions. The first screen (1280x720)
holds what a class needs: Reset, Play, Step, the clock, a scoreboard per town and, side by
side, the towns' networks and their recovery over time. The rest (per class, indicators, per
flood) is below. Projector mode hides the settings and enlarges the text. Every word is in
English and Dutch (``texts.py``), numbers as the language writes them (``simulation.style``).
"""

from __future__ import annotations

import time
from dataclasses import replace

import solara

from simulation.config import DAYS_PER_YEAR, POLICY_LEVERS, ConfigError
from simulation.demo.classroom import (
    COHESION_SCALE,
    COMPARISONS,
    GAP_UNITS,
    HIGH_COHESION,
    LOW_COHESION,
    RECOVERY_UNITS,
    SCENARIOS,
    ClassroomModel,
    ClassroomSettings,
    Scoreboard,
    scoreboard,
    ties_for_cohesion,
)
from simulation.demo.figures import community_colours, dashboard_figures
from simulation.demo.inspector import HouseholdCard, NetworkFigure
from simulation.demo.texts import TEXT, community_name
from simulation.levers import MIDWAY
from simulation.style import NONE_YET, duration, number, percent

LANGUAGES = {"English": "en", "Nederlands": "nl"}

SPEEDS = {"slow": 0.8, "normal": 0.25, "fast": 0.0}  # seconds between page steps while playing

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

CSS = """
.veerkracht-score-number { font-size: 1.55rem; font-weight: 700; line-height: 1.15; white-space: nowrap; }
.veerkracht-score-label { font-size: 0.78rem; color: #444; line-height: 1.2; }
.veerkracht-clock { font-size: 1.3rem; font-weight: 700; white-space: nowrap; color: white; margin-right: 1.5em; }
.veerkracht-projector-switch label { color: white !important; }
.veerkracht-top-figure { max-height: calc(100vh - 420px); width: auto !important; max-width: 100%; }
.veerkracht-difference { display: block; font-size: 1.1rem; font-weight: 700; margin: 0.15em 0 0.1em; }
.veerkracht-score-number.veerkracht-score-word { font-size: 1.1rem; line-height: 1.95rem; }
.veerkracht-projector .veerkracht-score-number { font-size: 2.4rem; }
.veerkracht-projector .veerkracht-score-number.veerkracht-score-word { font-size: 1.5rem; line-height: 2.75rem; }
.veerkracht-projector .veerkracht-score-label { font-size: 0.95rem; }
.veerkracht-projector .veerkracht-score-title { font-size: 1.25rem; }
.veerkracht-projector .v-btn { font-size: 1.05rem; }
.veerkracht-projector .veerkracht-top-figure { max-height: calc(100vh - 460px); }
.veerkracht-projector .veerkracht-difference { font-size: 1.35rem; }
.veerkracht-four .veerkracht-top-figure { max-height: none; }
"""


def difference(model: ClassroomModel, scores: dict[str, Scoreboard], text: dict, language: str) -> str | None:
    """The second town against the first, in words with a unit: how much sooner 90% of those hit were back,
    or, until both are, how much better those hit function now (None before the crisis, or with four towns)."""
    if len(scores) != 2 or not all(score.hit for score in scores.values()):
        return None
    words, unit = text["difference"], RECOVERY_UNITS[model.settings.scenario]
    (first, one), (second, other) = scores.items()
    names = {name: community_name(text, model.settings.compare, name) for name in (first, second)}
    if one.t90_days is not None and other.t90_days is not None:
        amount = duration(abs(one.t90_days - other.t90_days), language, unit=unit)
        if amount == duration(0.0, language, unit=unit):
            return words["same"].format(amount=duration(one.t90_days, language, unit=unit))
        return words["sooner" if other.t90_days < one.t90_days else "later"].format(second=names[second], amount=amount)
    if (one.t90_days is None) != (other.t90_days is None):
        back, days = (first, one.t90_days) if one.t90_days is not None else (second, other.t90_days)
        return words["one_back"].format(back=names[back], amount=duration(days, language, unit=unit))
    points = round(100 * (other.functioning - one.functioning))
    if points == 0:
        return words["level"]
    return words["better" if points > 0 else "worse"].format(second=names[second], points=number(abs(points), language))


def clock(model: ClassroomModel, text: dict, language: str) -> str:
    """Where the run is, in the scenario's unit and the language's numbers: 'Day 2, 13:00 (of 14 days)', 'Jaar 5,6 van 30'."""
    whole_days, hours = divmod(round(model.day * 24), 24)
    years = model.day / DAYS_PER_YEAR
    return text["clock"][model.settings.scenario].format(
        whole_days=whole_days,
        hour=hours,
        weeks=model.day / 7,
        years_tenths=number(years, language, 1),
        years_whole=number(years, language, 0),
        horizon_days=model.horizon_days,
        horizon_years=number(model.horizon_days / DAYS_PER_YEAR, language, 0),
    )


def ties_text(ties: dict[str, float], text: dict, language: str) -> str:
    """'1 bonding tie · 0 bridging ties · homophily 0.9', in the language's words and numbers."""

    def count(value: float, words: tuple[str, str]) -> str:
        written = number(value, language, 0 if float(value).is_integer() else 1)
        return f"{written} {words[0] if value == 1 else words[1]}"

    words = text["tie_words"]
    return text["ties"].format(
        bonding=count(ties["bonding_degree"], words["bonding"]),
        bridging=count(ties["bridging_degree"], words["bridging"]),
        homophily=number(ties["homophily"], language, 2).rstrip("0").rstrip(".,"),
    )


def comparison_label(text: dict, compare: str) -> str:
    """What side by side compares, in words: 'low and high cohesion', 'without and with higher dikes'."""
    if f"compare_{compare}" in text:
        return text[f"compare_{compare}"]
    return text["compare_lever"].format(lever=text["levers"][compare])


def comparison_note(text: dict, settings: ClassroomSettings, language: str) -> str:
    """What stays the same and what differs between the two towns."""
    if settings.compare == "cohesion":
        low, high = (ties_text(ties_for_cohesion(c), text, language) for c in (LOW_COHESION, HIGH_COHESION))
        return text["side_by_side_note"].format(low=low, high=high)
    if settings.compare in text["side_note"]:
        closed, mixed = COHESION_SCALE["homophily"]
        return text["side_note"][settings.compare].format(closed=closed, mixed=mixed)
    lever = settings.compare
    return text["lever_note"].format(lever=text["levers"][lever], what=text["levers_explained"][lever])


# ---- settings ---------------------------------------------------------------------------------


@solara.component
def SettingsPanel(
    settings: solara.Reactive[ClassroomSettings],
    language: solara.Reactive[str],
    model: solara.Reactive[ClassroomModel],
    tick: solara.Reactive[int],
):
    """The class's controls: language, crisis, what to compare, cohesion, and an advanced panel.

    What can change in running towns acts at once (``ClassroomModel.take_live``); the rest waits for Reset.
    """
    running = model.value.settings
    lang = language.value
    text = TEXT[lang]
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
        model.value.take_live(candidate)  # acts only on what changed and can change while running
        tick.set(tick.value + 1)

    scenario_names = text["scenarios"]
    with solara.Column(style={"padding": "0 0.5em"}):
        solara.ToggleButtonsSingle(
            value=next(label for label, code in LANGUAGES.items() if code == lang),
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
            solara.Text(comparison_note(text, current, lang), style={"font-size": "0.9em"})
        Slider(
            f"{text['cohesion']}: {number(current.cohesion, lang, 2)}",
            current.cohesion,
            (0.0, 1.0, 0.05),
            lambda v: change(cohesion=v, **ties_for_cohesion(v)),
            disabled=current.compares_cohesion,
        )
        solara.Text(text["cohesion_note"].format(ties=text["ties_explained"]), style={"font-size": "0.9em"})
        lever_names = {text["levers"][lever]: lever for lever in POLICY_LEVERS}
        solara.SelectMultiple(
            text["levers_chosen"],
            values=[text["levers"][lever] for lever in current.levers],
            all_values=list(lever_names),
            on_value=lambda labels: change(
                levers=tuple(lever for lever in POLICY_LEVERS if text["levers"][lever] in labels)
            ),
            classes=["veerkracht-levers"],
        )
        midway = text["and"].join(text["levers"][lever] for lever in MIDWAY)
        note = text["levers_note"].format(midway=midway)
        solara.Text(note[0].upper() + note[1:], style={"font-size": "0.9em"})
        with solara.Details(summary=text["advanced"]):
            for key, low, high, step in ADVANCED_SLIDERS:
                value = getattr(current, key)
                shown = number(value, lang, 0 if isinstance(step, int) or float(step).is_integer() else 2)
                Slider(
                    f"{text[key]}: {shown}",
                    value,
                    (low, high, step),
                    lambda v, key=key: change(**{key: v}),
                    disabled=current.compares_cohesion and key in COHESION_SCALE,
                    classes=[f"veerkracht-advanced-{key}"],
                )
            solara.InputInt(text["seed"], value=current.seed, on_value=lambda v: change(seed=v))
        if error.value:
            solara.Error(error.value)
        if current != running:
            solara.Warning(text["pending"], classes=["veerkracht-pending"])
        else:
            solara.Text(text["apply"], style={"font-size": "0.9em"})


@solara.component
def Slider(label: str, value: float, bounds: tuple, on_value, disabled: bool = False, classes: list[str] | None = None):
    """A labelled slider whose label shows its value (int bounds give an int slider)."""
    low, high, step = bounds
    with solara.Column(gap="0", classes=classes or [], style={"width": "100%"}):
        solara.Text(label, style={"font-size": "0.9em"})
        slider = solara.SliderInt if isinstance(step, int) else solara.SliderFloat
        slider("", value=value, min=low, max=high, step=step, on_value=on_value, disabled=disabled, thumb_label=False)


# ---- the first screen -------------------------------------------------------------------------


@solara.component
def Controls(
    model: solara.Reactive[ClassroomModel],
    settings: solara.Reactive[ClassroomSettings],
    tick: solara.Reactive[int],
    playing: solara.Reactive[bool],
    speed: solara.Reactive[str],
    text: dict,
):
    """Reset, Play/Pause, Step, to the next flood, and the speed of play."""
    words = text["controls"]
    _ = tick.value  # read, so that the buttons follow every step
    finished = not model.value.running
    scenario = model.value.settings.scenario

    def reset() -> None:
        playing.set(False)
        model.set(ClassroomModel(settings.value))
        tick.set(tick.value + 1)

    def step() -> None:
        model.value.step()
        tick.set(tick.value + 1)

    def skip() -> None:
        model.value.skip_to_next_event()
        tick.set(tick.value + 1)

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "0.5em"}):
        solara.Button(words["reset"], on_click=reset, icon_name="mdi-restart", color="primary", outlined=True)
        solara.Button(
            words["pause"] if playing.value else words["play"],
            on_click=lambda: playing.set(not playing.value),
            icon_name="mdi-pause" if playing.value else "mdi-play",
            color="primary",
            disabled=finished,
        )
        solara.Button(words["step"], on_click=step, icon_name="mdi-step-forward", disabled=finished or playing.value)
        if scenario in words["skip"]:
            solara.Button(
                words["skip"][scenario], on_click=skip, icon_name="mdi-skip-next", disabled=finished or playing.value
            )
        labels = {words["speeds"][s]: s for s in SPEEDS}
        solara.ToggleButtonsSingle(
            value=words["speeds"][speed.value], values=list(labels), on_value=lambda v: speed.set(labels[v]), dense=True
        )


@solara.component
def ScoreCard(model: ClassroomModel, name: str, score: Scoreboard, colour: str, text: dict, language: str):
    """One town's large numbers: households back, time until 90% were back, the precariaat's gap."""
    words, scenario = text["score"], model.settings.scenario
    settings = model.settings
    with solara.Card(
        style={"border-top": f"6px solid {colour}", "padding": "0.4em 0.8em", "height": "100%"},
        classes=[f"veerkracht-score-{name}"],
    ):
        with solara.Row(style={"align-items": "baseline", "gap": "0.6em"}):
            solara.Text(
                community_name(text, settings.compare, name),
                style={"color": colour, "font-weight": "bold"},
                classes=["veerkracht-score-title"],
            )
            solara.Text(ties_text(settings.ties(name), text, language), style={"font-size": "0.75em", "color": "#555"})
        if not score.hit:
            solara.Text(words["no_crisis"], classes=["veerkracht-score-number"])
            return
        t90 = NONE_YET if score.t90_days is None else duration(score.t90_days, language, True, RECOVERY_UNITS[scenario])
        # The gap means something once some are back (before that everyone's days count until now).
        no_gap = score.gap_days is None or not score.back_share > 0
        gap = NONE_YET if no_gap else duration(abs(score.gap_days), language, True, GAP_UNITS[scenario])
        gap_words = words["earlier"] if score.gap_days is not None and score.gap_days < 0 else words["gap"]
        with solara.Row(style={"gap": "0.8em", "flex-wrap": "nowrap"}):
            for value, label, kind in (
                (percent(score.functioning, language), words["functioning"], "functioning"),
                (percent(score.back_share, language), words["back"], "back"),
                (t90, words["t90"], "t90"),
                (gap, gap_words, "gap"),
            ):
                with solara.Column(gap="0", style={"flex": "1 1 0", "min-width": "min-content"}):
                    word = [] if value[0].isdigit() else ["veerkracht-score-word"]  # 'not yet' in smaller type
                    solara.Text(value, classes=["veerkracht-score-number", f"veerkracht-score-{name}-{kind}", *word])
                    solara.Text(label, classes=["veerkracht-score-label"])
        details = [words["hit"].format(hit=number(score.hit, language), event=words["event"][scenario])]
        if scenario != "leak":
            hosted, temporary, emergency = (percent(share, language) for share in score.staying)
            details.append(
                words["displaced"].format(
                    share=percent(score.displaced_share, language),
                    hosted=hosted,
                    temporary=temporary,
                    emergency=emergency,
                )
            )
        if scenario == "sea_level_rise":
            details.append(
                words["transformed"].format(
                    transformed=score.transformed,
                    neighbourhoods=model.reference.n_neighbourhoods,
                    behind=number(score.left_behind, language),
                )
            )
        solara.Text(" · ".join(details), style={"font-size": "0.8em", "color": "#555"})


@solara.component
def Dashboard(model: ClassroomModel, tick: int, language: str):
    """The scoreboard and the figures; redrawn after every step (``tick``)."""
    text = TEXT[language]
    figures = solara.use_memo(lambda: dashboard_figures(model, text, language), [model, language])
    chosen = solara.use_reactive(None)  # the household clicked in the network figure: (community, index)
    colours = community_colours(model)
    n, k = model.view.of_total, model.view.households.size
    shown = (
        text["all"].format(n=number(n, language))
        if k == n
        else text["sample"].format(k=number(k, language), n=number(n, language))
    )
    if not model.running:
        solara.Success(text["finished"][model.settings.scenario], classes=["veerkracht-finished"], dense=True)
    scores = {name: scoreboard(community) for name, community in model.communities.items()}
    names = list(scores)
    for row in (names[:2], names[2:]) if len(names) == 4 else (names,):  # two by two in a square
        with solara.Columns([1] * len(row), gutters_dense=True):
            for name in row:
                ScoreCard(model, name, scores[name], colours[name], text, language)
    said = difference(model, scores, text, language)
    if said:
        solara.Text(said, classes=["veerkracht-difference"])
    with solara.Columns([1, 1] if len(names) == 4 else [3, 2], gutters_dense=True):  # four towns: room for the chart
        NetworkFigure(
            figures["network"],
            figures["network"].png(),
            model,
            chosen,
            language,
            ["veerkracht-figure-network", "veerkracht-top-figure"],
        )
        solara.Image(
            figures["recovery"].png(), width="100%", classes=["veerkracht-figure-recovery", "veerkracht-top-figure"]
        )
    HouseholdCard(model, tick, chosen, language)
    threshold = percent(model.reference.cfg.dynamics.recovery_threshold, language)
    solara.Text(text["network_note"].format(shown=shown, threshold=threshold), style={"font-size": "0.85em"})
    with solara.Card(text["scenarios"][model.settings.scenario]):
        solara.Text(f"{text['explanations'][model.settings.scenario]} {text['page_step'][model.settings.scenario]}")
    for name in ("floods", "classes", "indicators"):
        if name in figures:
            solara.Image(figures[name].png(), width="100%", classes=[f"veerkracht-figure-{name}"])


@solara.component
def Page():
    """The whole page, with a model of its own for every browser session."""
    language = solara.use_reactive("en")
    settings = solara.use_reactive(ClassroomSettings())
    first = solara.use_memo(lambda: ClassroomModel(settings.value), [])
    model = solara.use_reactive(first)
    tick = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    speed = solara.use_reactive("normal")
    projector = solara.use_reactive(False)
    text = TEXT[language.value]

    def play() -> None:
        while playing.value and model.value.running:
            model.value.step()
            tick.set(tick.value + 1)
            time.sleep(SPEEDS[speed.value])
        playing.set(False)

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)
    with solara.Column(gap="0"):  # no gaps around the page's invisible parts (style, title, sidebar)
        solara.Style(CSS)
        solara.Title(text["title"])
        if not projector.value:
            with solara.Sidebar():
                SettingsPanel(settings, language, model, tick)
        with solara.AppBarTitle():
            solara.Text(text["title"])
        with solara.AppBar():
            solara.Text(clock(model.value, text, language.value), classes=["veerkracht-clock"])
            with solara.Div(classes=["veerkracht-projector-switch"]):
                solara.Checkbox(label=text["controls"]["projector"], value=projector)
        looks = ["veerkracht-projector"] * projector.value + ["veerkracht-four"] * (len(model.value.communities) == 4)
        with solara.Column(classes=looks, style={"padding": "0 1em"}):
            Controls(model, settings, tick, playing, speed, text)
            Dashboard(model.value, tick.value, language.value)
