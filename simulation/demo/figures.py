"""The class demo's figures, drawn fast enough to follow every step.

Axes, ticks, labels and legends are drawn once into a background; each frame restores it and
draws only the data (matplotlib's blitting), so a frame costs a few milliseconds of drawing
plus the PNG encoding, instead of a full redraw. Axes that can grow (a share that rises, the
first hours of a leak) step up through a few limits; only then is the background redrawn.
Shares are shown in percent everywhere, as on the scoreboard.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Circle
from matplotlib.ticker import FuncFormatter, PercentFormatter
from PIL import Image

from simulation.config import DAYS_PER_YEAR
from simulation.demo.classroom import PAGE_STEP_DAYS, ClassroomModel
from simulation.demo.texts import community_name
from simulation.style import CLASS_NAMES, COMPARED_COLOURS, SINGLE_COLOUR, UNAFFECTED_COLOUR

CEILINGS = (5.0, 10.0, 20.0, 50.0, 100.0)  # upper limits (%) a share's axis steps through
LEAK_WINDOWS = (1.0, 2.0, 4.0, 7.0)  # days the leak's time axis steps through before its horizon
PERCENT = PercentFormatter(100, decimals=0)

# Indicators drawn for every scenario, and those a scenario adds (all shares but the counts).
INDICATORS = ("stress", "fear_share", "trust", "active_initiatives")
SCENARIO_INDICATORS = {
    "leak": ("without_water_share",),
    "flooding": ("displaced_share", "prepared_share"),
    "sea_level_rise": ("displaced_share", "transformed_neighbourhoods"),
}
COUNTS = ("active_initiatives", "transformed_neighbourhoods")  # at most one per neighbourhood


def community_styles(model: ClassroomModel) -> dict[str, dict[str, str]]:
    """Each community's colour and line style: the compared pair of colours by the first side
    (two by two: the second side dashed, then solid), or the single colour alone."""
    names = list(model.communities)
    if len(names) == 1:
        return {names[0]: {"color": SINGLE_COLOUR, "linestyle": "-"}}
    firsts = list(dict.fromkeys(name.split("-")[0] for name in names))
    seconds = list(dict.fromkeys(name.split("-")[-1] for name in names)) if len(names) > len(firsts) else []
    return {
        name: {
            "color": COMPARED_COLOURS[firsts.index(name.split("-")[0])],
            "linestyle": "--" if seconds and name.split("-")[-1] == seconds[0] else "-",
        }
        for name in names
    }


def community_colours(model: ClassroomModel) -> dict[str, str]:
    """Each community's colour (``community_styles``)."""
    return {name: style["color"] for name, style in community_styles(model).items()}


def functioning_colours(threshold: float) -> LinearSegmentedColormap:
    """Red (hard hit) through yellow to pale green just below ``threshold``; dark green from it (recovered)."""
    stops = [(0.0, "#b2182b"), (0.5 * threshold, "#f4a582"), (0.999 * threshold, "#fee08b")]
    stops += [(threshold, "#1a9850"), (1.0, "#1a9850")]
    return LinearSegmentedColormap.from_list("functioning", stops).with_extremes(bad=UNAFFECTED_COLOUR)


class LiveFigure:
    """A figure whose static parts are drawn once and whose data artists are redrawn per frame.

    Args:
        figure: the figure, with every artist in place.
        artists: the artists that change between frames.
        update: sets the artists' data from the model; returns True when an axis limit changed
            (the background is then redrawn).
    """

    def __init__(self, figure: Figure, artists: list, update: Callable[[], bool]) -> None:
        self.figure, self.artists, self.update = figure, artists, update
        for artist in artists:
            artist.set_animated(True)
        self.canvas = FigureCanvasAgg(figure)
        self.background = None

    def png(self) -> bytes:
        """The figure as it is now, as PNG bytes."""
        if self.update() or self.background is None:
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        self.canvas.restore_region(self.background)
        for artist in self.artists:
            self.figure.draw_artist(artist)
        buffer = io.BytesIO()
        Image.fromarray(np.asarray(self.canvas.buffer_rgba())).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def in_years(model: ClassroomModel) -> bool:
    """Whether the scenario's clock reads in years rather than days."""
    return PAGE_STEP_DAYS[model.settings.scenario] >= 28


def to_time_unit(model: ClassroomModel, days: np.ndarray | float) -> np.ndarray | float:
    """Days in the scenario's unit of time (days or years)."""
    return days / DAYS_PER_YEAR if in_years(model) else days


def ceiling(value: float, top: float) -> float:
    """The smallest axis ceiling that holds ``value`` (a share in %), or ``top`` for counts."""
    return next((c for c in CEILINGS if value <= c), CEILINGS[-1]) if top == 100.0 else top


def time_limit(model: ClassroomModel) -> float:
    """The time axis' end, in the scenario's unit: the leak's first days widen as they pass; else the horizon."""
    horizon = to_time_unit(model, model.horizon_days)
    if model.settings.scenario != "leak":
        return horizon
    return next((w for w in LEAK_WINDOWS if model.day < w), horizon)


def write_numbers(ax, language: str, y: bool = True) -> None:
    """Tick labels as the language writes numbers (a decimal comma in Dutch); ``y=False`` leaves y (percent) alone."""
    if language == "nl":
        comma = FuncFormatter(lambda value, _: f"{value:g}".replace(".", ","))
        for axis in (ax.xaxis, ax.yaxis) if y else (ax.xaxis,):
            axis.set_major_formatter(comma)


def in_percent(indicator: str) -> float:
    """100 for a share or a mean on [0, 1] such as stress (drawn in %), 1 for a count."""
    return 1.0 if indicator in COUNTS else 100.0


def network_figure(model: ClassroomModel, text: dict) -> LiveFigure:
    """The sampled households of each community, coloured by functioning, with their ties.

    Households a crisis has not hit are grey; green starts at the recovery threshold. Households
    that could not follow their neighbourhood's transformation are crossed out and transformed
    neighbourhoods circled (sea-level rise).
    """
    names, colours = list(model.communities), community_colours(model)
    threshold = model.reference.cfg.dynamics.recovery_threshold
    rows = 2 if len(names) == 4 else 1  # two by two in a square
    columns = len(names) // rows
    figure = Figure(figsize=(3.3 * columns + 0.9, 3.4 * rows))
    grid = {"left": 0.01, "right": 0.8, "wspace": 0.04, "hspace": 0.2, "top": 0.9 if rows == 1 else 0.93}
    axes = figure.subplots(rows, columns, squeeze=False, gridspec_kw=grid).ravel()
    view, norm, cmap = model.view, Normalize(0.0, 1.0), functioning_colours(threshold)
    dots, crosses, circles = [], [], []
    centres, radius, k = view.centres, view.radius, len(view.centres)
    for ax, name in zip(axes, names, strict=True):
        community = model.communities[name]
        for matrix, colour, width in (
            (community.networks.bridging, "tab:blue", 0.4),
            (community.networks.bonding, "0.5", 0.5),
        ):
            ax.add_collection(LineCollection(view.xy[view.ties(matrix)], colors=colour, linewidths=width, alpha=0.35))
        households = community.households
        is_precariaat = np.asarray(households.class_names)[households.household_class[view.households]] == "precariaat"
        for mask, marker in ((~is_precariaat, "o"), (is_precariaat, "s")):
            dot = ax.scatter(
                *view.xy[mask].T,
                c=np.zeros(mask.sum()),
                cmap=cmap,
                norm=norm,
                s=14,
                marker=marker,
                edgecolors="black" if marker == "s" else "none",
                linewidths=0.4,
            )
            dots.append((dot, households, view.households[mask]))
        cross = ax.scatter([], [], marker="x", s=22, c="black", linewidths=0.9)
        crosses.append((cross, households))
        for centre in centres:
            circle = Circle(centre, radius * 1.08, fill=False, edgecolor="black", linewidth=2.0, visible=False)
            ax.add_patch(circle)
            circles.append((circle, community, len(circles) % k))
        title = community_name(text, model.settings.compare, name).replace(" · ", "\n")  # a town of two sides
        ax.set_title(title, color=colours[name], fontweight="bold", fontsize="medium" if "\n" in title else "large")
        ax.set(xlim=(-1.0 - radius, 1.0 + radius), ylim=(-1.0 - radius, 1.0 + radius), aspect="equal")
        ax.axis("off")
    bar = figure.colorbar(ScalarMappable(norm, cmap), cax=figure.add_axes((0.82, 0.15, 0.02, 0.7)))
    bar.set_ticks([0.0, 0.5, threshold], labels=["0%", "50%", text["recovered_tick"].format(threshold=100 * threshold)])
    bar.ax.tick_params(labelsize="small")
    transformation = model.settings.scenario == "sea_level_rise"

    def update() -> bool:
        for dot, households, rows in dots:
            dot.set_array(np.where(np.isnan(households.shock_day[rows]), np.nan, households.functioning[rows]))
        for cross, households in crosses:
            behind = households.transformation[view.households] == 2 if transformation else np.zeros(0, bool)
            cross.set_offsets(view.xy[behind] if behind.any() else np.empty((0, 2)))
        for circle, community, neighbourhood in circles:
            days = getattr(community.crisis, "transformed_day", np.empty(0))
            circle.set_visible(bool(days.size) and not np.isnan(days[neighbourhood]))
        return False

    return LiveFigure(figure, [a for a, *_ in dots] + [c for c, _ in crosses] + [c for c, *_ in circles], update)


def recovery_figure(model: ClassroomModel, text: dict, language: str) -> LiveFigure:
    """Share of affected households back to normal over time, one line per community."""
    styles = community_styles(model)
    figure = Figure(figsize=(4.4, 3.4))
    ax = figure.subplots(gridspec_kw={"left": 0.16, "right": 0.96, "bottom": 0.15, "top": 0.88})
    lines = []
    for name, community in model.communities.items():
        (line,) = ax.plot(
            [], [], **styles[name], linewidth=2.2, label=community_name(text, model.settings.compare, name)
        )
        lines.append((line, community.recorder))
    ax.set(xlim=(0, time_limit(model)), ylim=(0, 100), xlabel=text["year" if in_years(model) else "day"])
    write_numbers(ax, language, y=False)
    ax.yaxis.set_major_formatter(PERCENT)
    ax.set_title(text["indicators"]["recovered_share"], fontsize="medium")
    ax.legend(fontsize="small", loc="lower right")
    ax.grid(alpha=0.3)

    def update() -> bool:
        for line, recorder in lines:
            rows = slice(0, recorder.row)
            line.set_data(
                to_time_unit(model, recorder.columns["day"][rows]), 100 * recorder.columns["recovered_share"][rows]
            )
        limit = time_limit(model)
        if limit != ax.get_xlim()[1]:
            ax.set_xlim(0, limit)
            return True
        return False

    return LiveFigure(figure, [line for line, _ in lines], update)


def class_figure(model: ClassroomModel, text: dict, language: str) -> LiveFigure:
    """Share of each class's affected households back to normal over time, one panel per community."""
    names, colours = list(model.communities), community_colours(model)
    width = 4.2 * len(names) + 2.4
    figure = Figure(figsize=(width, 3.0))
    margins = {"left": 0.6 / width, "right": 1 - 2.3 / width, "bottom": 0.17, "top": 0.8, "wspace": 0.08}
    axes = figure.subplots(1, len(names), squeeze=False, sharey=True, gridspec_kw=margins)[0]
    lines = []
    for ax, name in zip(axes, names, strict=True):
        recorder = model.communities[name].recorder
        for class_name in recorder.class_names:
            style = {"color": "black", "linewidth": 2.2} if class_name == "precariaat" else {"linewidth": 1.2}
            (line,) = ax.plot([], [], label=CLASS_NAMES[language].get(class_name, class_name), **style)
            lines.append((line, recorder, f"recovered_share__{class_name}"))
        ax.set(xlim=(0, time_limit(model)), ylim=(0, 100), xlabel=text["year" if in_years(model) else "day"])
        write_numbers(ax, language, y=False)
        ax.yaxis.set_major_formatter(PERCENT)
        ax.set_title(community_name(text, model.settings.compare, name), color=colours[name], fontsize="medium")
    axes[-1].legend(fontsize="small", loc="center left", bbox_to_anchor=(1.02, 0.5))
    figure.suptitle(text["recovered_by_class"])

    def update() -> bool:
        for line, recorder, column in lines:
            rows = slice(0, recorder.row)
            line.set_data(to_time_unit(model, recorder.columns["day"][rows]), 100 * recorder.columns[column][rows])
        limit = time_limit(model)
        if limit != axes[0].get_xlim()[1]:
            for ax in axes:
                ax.set_xlim(0, limit)
            return True
        return False

    return LiveFigure(figure, [line for line, *_ in lines], update)


def indicator_figure(model: ClassroomModel, text: dict, language: str) -> LiveFigure:
    """Stress, fear, trust, initiatives (and what the scenario adds), each community a line."""
    indicators = INDICATORS + SCENARIO_INDICATORS[model.settings.scenario]
    styles = community_styles(model)
    width = 2.6 * len(indicators)
    figure = Figure(figsize=(width, 2.6))
    margins = {"left": 0.45 / width, "right": 1 - 0.1 / width, "bottom": 0.18, "top": 0.86, "wspace": 0.35}
    axes = figure.subplots(1, len(indicators), squeeze=False, gridspec_kw=margins)[0]
    neighbourhoods = model.reference.n_neighbourhoods
    lines = []
    for ax, indicator in zip(axes, indicators, strict=True):
        scale = in_percent(indicator)
        top = float(neighbourhoods) if indicator in COUNTS else 100.0
        for name, community in model.communities.items():
            (line,) = ax.plot([], [], **styles[name], label=community_name(text, model.settings.compare, name))
            lines.append((line, community.recorder, indicator, ax, top, scale))
        ax.set(
            xlim=(0, time_limit(model)), ylim=(0, ceiling(0.0, top)), xlabel=text["year" if in_years(model) else "day"]
        )
        write_numbers(ax, language)
        if scale == 100.0:
            ax.yaxis.set_major_formatter(PERCENT)
        ax.set_title(text["indicators"][indicator], fontsize="small")

    def update() -> bool:
        changed = False
        limit = time_limit(model)
        for line, recorder, indicator, ax, top, scale in lines:
            rows = slice(0, recorder.row)
            values = scale * recorder.columns[indicator][rows]
            line.set_data(to_time_unit(model, recorder.columns["day"][rows]), values)
            needed = ceiling(float(np.nanmax(values, initial=0.0)), top)
            if needed > ax.get_ylim()[1] or limit != ax.get_xlim()[1]:
                ax.set_ylim(0, max(needed, ax.get_ylim()[1]))
                ax.set_xlim(0, limit)
                changed = True
        return changed

    return LiveFigure(figure, [line for line, *_ in lines], update)


def flood_figure(model: ClassroomModel, text: dict, language: str) -> LiveFigure:
    """Per flood so far: the damage it did and how long its households took to get back, bars per community."""
    names, styles = list(model.communities), community_styles(model)
    figure = Figure(figsize=(9.0, 2.8))
    damage_ax, days_ax = figure.subplots(
        1, 2, gridspec_kw={"left": 0.07, "right": 0.98, "bottom": 0.2, "top": 0.85, "wspace": 0.25}
    )
    width = 0.8 / len(names)

    def update() -> bool:
        for ax in (damage_ax, days_ax):
            ax.clear()
        for offset, name in enumerate(names):
            log = model.communities[name].event_log
            log.resolve()
            number = np.arange(1, len(log.events) + 1) + (offset - (len(names) - 1) / 2) * width
            damage = [100 * event.damage.mean() for event in log.events]
            now = model.day  # households not back yet count until now
            days = [
                np.mean(np.fmin(event.recovered_day, now) - event.day) if event.hit.size else 0.0
                for event in log.events
            ]
            label = community_name(text, model.settings.compare, name)
            look = {"color": styles[name]["color"], "hatch": "//" if styles[name]["linestyle"] == "--" else None}
            damage_ax.bar(number, damage, width, label=label, **look)
            days_ax.bar(number, days, width, label=label, **look)
        events = len(model.reference.event_log.events)
        for ax, title in ((damage_ax, text["flood_damage"]), (days_ax, text["flood_recovery_days"])):
            ax.set_title(title, fontsize="small")
            ax.set_xlabel(text["flood_number"])
            ax.set_xlim(0.4, max(events, 5) + 0.6)
            ax.xaxis.get_major_locator().set_params(integer=True)
            write_numbers(ax, language, y=ax is days_ax)
        damage_ax.yaxis.set_major_formatter(PercentFormatter(100, decimals=0))
        if events:
            damage_ax.legend(fontsize="small", loc="upper right")
        else:
            damage_ax.text(0.5, 0.5, text["no_flood_yet"], transform=damage_ax.transAxes, ha="center", va="center")
        return True  # a few bars: redrawn whole every frame

    return LiveFigure(figure, [], update)


def dashboard_figures(model: ClassroomModel, text: dict, language: str) -> dict[str, LiveFigure]:
    """The page's figures, by name: the two above the fold first, then those below it."""
    figures = {
        "network": network_figure(model, text),
        "recovery": recovery_figure(model, text, language),
        "classes": class_figure(model, text, language),
        "indicators": indicator_figure(model, text, language),
    }
    if model.settings.scenario != "leak":
        figures["floods"] = flood_figure(model, text, language)
    return figures
