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
from simulation.demo.classroom import PAGE_STEP_DAYS, RECOVERY_UNITS, ClassroomModel
from simulation.demo.texts import community_name
from simulation.events import Event
from simulation.style import (
    CLASS_COLOURS,
    CLASS_NAMES,
    COMPARED_COLOURS,
    DAYS_PER_UNIT,
    SINGLE_COLOUR,
    UNAFFECTED_COLOUR,
    number,
)

CEILINGS = (5.0, 10.0, 20.0, 50.0, 100.0)  # upper limits (%) a share's axis steps through
LEAK_WINDOWS = (24.0, 48.0, 96.0, 168.0)  # hours the leak's time axis steps through before its horizon
PERCENT = PercentFormatter(100, decimals=0)

# The recovery charts count time from the latest event, in ``RECOVERY_UNITS``, over a window that
# widens (through these lengths, in that unit) only while 90% are not yet back.
SINCE_EVENT_WINDOWS = {
    "leak": (12.0, 24.0, 48.0, 96.0, 336.0),
    "flooding": (12.0, 24.0, 36.0, 60.0, 120.0),
    "sea_level_rise": (2.0, 5.0, 10.0, 20.0, 50.0),
}
EARLIER_EVENTS = 3  # earlier events drawn faintly behind the latest

# Indicators drawn for every scenario, and those a scenario adds (all shares but the counts).
INDICATORS = ("stress", "fear_share", "trust", "active_initiatives")
SCENARIO_INDICATORS = {
    "leak": ("without_water_share",),
    "flooding": ("displaced_share", "prepared_share"),
    "sea_level_rise": ("displaced_share", "transformed_neighbourhoods"),
}
COUNTS = ("active_initiatives", "transformed_neighbourhoods")  # at most one per neighbourhood


def community_styles(model: ClassroomModel) -> dict[str, dict]:
    """Each community's colour, line style and width: the compared pair of colours by the first side
    (two by two: the second side dashed, then solid), or the single colour alone. The first side's
    lines are wider, so that the second's stay visible where the two coincide."""
    names = list(model.communities)
    if len(names) == 1:
        return {names[0]: {"color": SINGLE_COLOUR, "linestyle": "-", "linewidth": 2.2}}
    firsts = list(dict.fromkeys(name.split("-")[0] for name in names))
    seconds = list(dict.fromkeys(name.split("-")[-1] for name in names)) if len(names) > len(firsts) else []
    return {
        name: {
            "color": COMPARED_COLOURS[firsts.index(name.split("-")[0])],
            "linestyle": "--" if seconds and name.split("-")[-1] == seconds[0] else "-",
            "linewidth": 3.4 if name.split("-")[0] == firsts[0] else 1.8,
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
        artists: the artists that change between frames (``update`` may replace the list's items).
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
        # 256 colours (a figure has fewer that matter): a third of the bytes, and faster to encode
        image = Image.fromarray(np.asarray(self.canvas.buffer_rgba())[..., :3]).quantize(256, Image.Quantize.FASTOCTREE)
        image.save(buffer, format="png", compress_level=1)
        return buffer.getvalue()


def in_years(model: ClassroomModel) -> bool:
    """Whether the scenario's clock reads in years rather than hours (the leak)."""
    return PAGE_STEP_DAYS[model.settings.scenario] >= 28


def to_time_unit(model: ClassroomModel, days: np.ndarray | float) -> np.ndarray | float:
    """Days in the scenario's unit of time (hours or years)."""
    return days / DAYS_PER_YEAR if in_years(model) else days * 24


def time_label(model: ClassroomModel, text: dict) -> str:
    """The time axis' label: 'year' or 'hour'."""
    return text["year" if in_years(model) else "hour"]


def back_curve(event: Event, now: float, members: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Share (%) of the households ``event`` hit (or of those ``members`` marks) that had been back, against
    days since it struck, until ``now`` (a step curve: the definition of the scoreboard's time until 90%)."""
    returned = event.recovered_day if members is None else event.recovered_day[members]
    times = np.sort(returned[~np.isnan(returned)] - event.day)
    share = 100.0 * np.arange(1, times.size + 1) / max(returned.size, 1)
    last = share[-1:] if share.size else np.zeros(1)
    return np.concatenate([[0.0], times, [now - event.day]]), np.concatenate([[0.0], share, last])


def since_event_window(model: ClassroomModel) -> float:
    """The recovery charts' window, in the scenario's unit: long enough for the latest event until 90% are back."""
    scenario, needed = model.settings.scenario, 0.0
    for community in model.communities.values():
        if community.event_log.events:
            latest = community.event_log.events[-1]
            needed = max(needed, (model.day if latest.t90_day is None else latest.t90_day) - latest.day)
    amount, windows = needed / DAYS_PER_UNIT[RECOVERY_UNITS[scenario]], SINCE_EVENT_WINDOWS[scenario]
    return next((w for w in windows if amount <= w), windows[-1])


def ceiling(value: float, top: float) -> float:
    """The smallest axis ceiling that holds ``value`` (a share in %), or just above ``top`` for counts (so that a
    line at the top stays visible)."""
    return next((c for c in CEILINGS if value <= c), CEILINGS[-1]) if top == 100.0 else top + 0.5


def time_limit(model: ClassroomModel) -> float:
    """The time axis' end, in the scenario's unit: the leak's first hours widen as they pass; else the horizon."""
    horizon = to_time_unit(model, model.horizon_days)
    if model.settings.scenario != "leak":
        return horizon
    return next((w for w in LEAK_WINDOWS if to_time_unit(model, model.day) < w), horizon)


def write_numbers(ax, language: str, x: bool = True, y: bool = True) -> None:
    """Tick labels as the language writes numbers (a decimal comma in Dutch), on the axes named (``y=False``
    leaves a percent axis alone)."""
    if language == "nl":
        comma = FuncFormatter(lambda value, _: f"{value:g}".replace(".", ","))
        for axis in [ax.xaxis] * x + [ax.yaxis] * y:
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
    """Share of the households the latest event hit that had been back to normal, against the time since it
    struck: one line per community, its earlier events faint behind it, the 90% mark dotted."""
    styles, scenario = community_styles(model), model.settings.scenario
    unit_days = DAYS_PER_UNIT[RECOVERY_UNITS[scenario]]
    figure = Figure(figsize=(4.4, 3.4))
    ax = figure.subplots(gridspec_kw={"left": 0.16, "right": 0.96, "bottom": 0.15, "top": 0.88})
    lines = []
    for name, community in model.communities.items():
        look = {**styles[name], "drawstyle": "steps-post"}
        earlier = [ax.plot([], [], **(look | {"linewidth": 1.0}), alpha=0.35)[0] for _ in range(EARLIER_EVENTS)]
        (latest,) = ax.plot([], [], **look, label=community_name(text, model.settings.compare, name))
        lines.append((latest, earlier, community))
    ax.axhline(90.0, color="0.35", linestyle=":", linewidth=1.2)
    ax.text(0.01, 90.0, "90%", transform=ax.get_yaxis_transform(), va="bottom", fontsize="small", color="0.35")
    ax.set(xlim=(0, since_event_window(model)), ylim=(0, 100), xlabel=text["since_event"][scenario])
    write_numbers(ax, language, y=False)
    ax.yaxis.set_major_formatter(PERCENT)
    ax.set_title(text["back_since_event"], fontsize="medium")
    ax.legend(fontsize="small", loc="lower right")
    ax.grid(alpha=0.3)
    waiting = ax.text(0.5, 0.5, text["no_event_yet"][scenario], transform=ax.transAxes, ha="center", va="center")

    def update() -> bool:
        for latest, earlier, community in lines:
            log = community.event_log
            log.resolve()
            slots, shown = [*earlier, latest], log.events[-1 - EARLIER_EVENTS :]  # the latest event last
            unused = len(slots) - len(shown)
            for line in slots[:unused]:
                line.set_data([], [])
            for line, event in zip(slots[unused:], shown, strict=True):
                days, share = back_curve(event, model.day)
                line.set_data(days / unit_days, share)
        waiting.set_visible(not model.events)
        window = since_event_window(model)
        if window != ax.get_xlim()[1]:
            ax.set_xlim(0, window)
            return True
        return False

    artists = [line for latest, earlier, _ in lines for line in (*earlier, latest)]
    return LiveFigure(figure, [*artists, waiting], update)


def class_figure(model: ClassroomModel, text: dict, language: str) -> LiveFigure:
    """Per class, the share of the households the latest event hit that had been back, against the time since
    it struck, one panel per community (the precariaat in black)."""
    names, colours, scenario = list(model.communities), community_colours(model), model.settings.scenario
    unit_days = DAYS_PER_UNIT[RECOVERY_UNITS[scenario]]
    width = 4.2 * len(names) + 0.8
    figure = Figure(figsize=(width, 3.4))
    margins = {"left": 0.6 / width, "right": 1 - 0.2 / width, "bottom": 0.36, "top": 0.82, "wspace": 0.08}
    axes = figure.subplots(1, len(names), squeeze=False, sharey=True, gridspec_kw=margins)[0]
    class_names = model.reference.households.class_names
    lines = []
    for ax, name in zip(axes, names, strict=True):
        for code, class_name in enumerate(class_names):
            style = {"color": CLASS_COLOURS.get(class_name), "linewidth": 1.4}
            if class_name == "precariaat":
                style = {"color": "black", "linewidth": 2.4}
            (line,) = ax.plot(
                [], [], label=CLASS_NAMES[language].get(class_name, class_name), drawstyle="steps-post", **style
            )
            lines.append((line, model.communities[name], code))
        ax.set(xlim=(0, since_event_window(model)), ylim=(0, 100), xlabel=text["since_event"][scenario])
        write_numbers(ax, language, y=False)
        ax.yaxis.set_major_formatter(PERCENT)
        ax.axhline(90.0, color="0.35", linestyle=":", linewidth=1.0)
        ax.set_title(community_name(text, model.settings.compare, name), color=colours[name], fontsize="medium")
    figure.legend(*axes[0].get_legend_handles_labels(), loc="lower center", ncol=4, fontsize="small", frameon=False)
    figure.suptitle(text["recovered_by_class"][scenario])

    def update() -> bool:
        for line, community, code in lines:
            log, households = community.event_log, community.households
            log.resolve()
            if not log.events:
                line.set_data([], [])
                continue
            latest = log.events[-1]
            days, share = back_curve(latest, model.day, households.household_class[latest.hit] == code)
            line.set_data(days / unit_days, share)
        window = since_event_window(model)
        if window != axes[0].get_xlim()[1]:
            for ax in axes:
                ax.set_xlim(0, window)
            return True
        return False

    return LiveFigure(figure, [line for line, *_ in lines], update)


def indicator_figure(model: ClassroomModel, text: dict, language: str) -> LiveFigure:
    """Stress, fear, trust, initiatives (and what the scenario adds), each community a line."""
    indicators = INDICATORS + SCENARIO_INDICATORS[model.settings.scenario]
    styles = community_styles(model)
    width = 2.6 * len(indicators)
    figure = Figure(figsize=(width, 3.0))
    margins = {"left": 0.45 / width, "right": 1 - 0.1 / width, "bottom": 0.3, "top": 0.88, "wspace": 0.35}
    axes = figure.subplots(1, len(indicators), squeeze=False, gridspec_kw=margins)[0]
    neighbourhoods = model.reference.n_neighbourhoods
    lines = []
    for ax, indicator in zip(axes, indicators, strict=True):
        scale = in_percent(indicator)
        top = float(neighbourhoods) if indicator in COUNTS else 100.0
        for name, community in model.communities.items():
            (line,) = ax.plot([], [], **styles[name], label=community_name(text, model.settings.compare, name))
            lines.append((line, community.recorder, indicator, ax, top, scale))
        ax.set(xlim=(0, time_limit(model)), ylim=(0, ceiling(0.0, top)), xlabel=time_label(model, text))
        write_numbers(ax, language)
        if scale == 100.0:
            ax.yaxis.set_major_formatter(PERCENT)
        ax.set_title(text["indicators"][indicator], fontsize="small")
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize="small", frameon=False)

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
    """Per flood so far: the damage it did and how long its households took to get back, bars per community;
    under each flood's number, its severity (so that floods of the same severity can be compared).

    The axes are drawn again when a flood strikes; in between only the bars' heights change."""
    names, styles = list(model.communities), community_styles(model)
    figure = Figure(figsize=(9.0, 3.0))
    axes = figure.subplots(1, 2, gridspec_kw={"left": 0.07, "right": 0.98, "bottom": 0.27, "top": 0.88, "wspace": 0.25})
    damage_ax, days_ax = axes
    width = 0.8 / len(names)
    bars: list = []  # the animated bars: (damage rectangles, days rectangles, community) per community
    drawn = {"events": -1}

    def mean_days(event: Event) -> float:
        """Mean days its households took to get back (those not back yet: until now)."""
        return float(np.mean(np.fmin(event.recovered_day, model.day) - event.day)) if event.hit.size else 0.0

    def draw_axes(events: list[Event]) -> None:
        """The axes, with a bar per flood and community (heights set by ``update``)."""
        for ax in axes:
            ax.clear()
        bars.clear()
        for offset, name in enumerate(names):
            positions = np.arange(1, len(events) + 1) + (offset - (len(names) - 1) / 2) * width
            label = community_name(text, model.settings.compare, name)
            look = {"color": styles[name]["color"], "hatch": "//" if styles[name]["linestyle"] == "--" else None}
            damage = damage_ax.bar(positions, np.zeros(len(events)), width, label=label, animated=True, **look)
            days = days_ax.bar(positions, np.zeros(len(events)), width, label=label, animated=True, **look)
            bars.append((damage.patches, days.patches, model.communities[name]))
        ticks = np.arange(1, len(events) + 1)
        severity = [f"{i}\n{number(event.severity, language, 2)}" for i, event in zip(ticks, events, strict=True)]
        for ax, title in ((damage_ax, text["flood_damage"]), (days_ax, text["flood_recovery_days"])):
            ax.set_title(title, fontsize="small")
            ax.set_xlabel(text["flood_number"], fontsize="small")
            ax.set_xlim(0.4, max(len(events), 5) + 0.6)
            ax.set_xticks(ticks, severity, fontsize="x-small")
        damage_ax.set_ylim(0, 100)
        damage_ax.yaxis.set_major_formatter(PERCENT)
        days_ax.set_ylim(0, 1)
        write_numbers(days_ax, language, x=False)
        if events:
            damage_ax.legend(fontsize="small", loc="upper right")
        else:
            damage_ax.text(0.5, 0.5, text["no_flood_yet"], transform=damage_ax.transAxes, ha="center", va="center")

    def update() -> bool:
        events = model.reference.event_log.events
        redraw = len(events) != drawn["events"]
        if redraw:
            draw_axes(events)
            drawn["events"] = len(events)
        longest = 0.0
        for damage, days, community in bars:
            community.event_log.resolve()
            for event, damage_bar, days_bar in zip(community.event_log.events, damage, days, strict=True):
                damage_bar.set_height(100 * event.damage.mean())
                days_bar.set_height(mean_days(event))
                longest = max(longest, days_bar.get_height())
        if longest > days_ax.get_ylim()[1]:
            days_ax.set_ylim(0, 1.25 * longest)  # headroom, so that the axis is drawn again only now and then
            redraw = True
        figure_artists[:] = [bar for damage, days, _ in bars for bar in (*damage, *days)]
        return redraw

    figure_artists: list = []
    return LiveFigure(figure, figure_artists, update)


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
