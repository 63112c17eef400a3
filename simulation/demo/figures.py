"""The class demo's figures, drawn fast enough to follow every step.

Axes, ticks, labels and legends are drawn once into a background; each frame restores it and
draws only the data (matplotlib's blitting), so a frame costs a few milliseconds of drawing
plus the PNG encoding, instead of a full redraw. The y-axes of indicators that can grow
(stress, fear, ...) step up through a few ceilings; only then is the background redrawn.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from PIL import Image

from simulation.classroom import PAGE_STEP_DAYS, ClassroomModel
from simulation.demo.texts import community_name

DAYS_PER_YEAR = 365.25
COMMUNITY_COLOURS = {"low": "#d95f02", "high": "#1b9e77", "chosen": "#7570b3", "without": "#d95f02", "with": "#1b9e77"}
FUNCTIONING_COLOURS = "RdYlGn"
CEILINGS = (0.05, 0.1, 0.2, 0.5, 1.0)  # upper limits a share's axis steps through

# Indicators drawn for every scenario, and those a scenario adds.
INDICATORS = ("recovered_share", "stress", "fear_share", "active_initiatives")
SCENARIO_INDICATORS = {
    "leak": ("without_water_share",),
    "flooding": ("displaced_share", "prepared_share"),
    "sea_level_rise": ("displaced_share", "transformed_neighbourhoods"),
}
COUNTS = ("active_initiatives", "transformed_neighbourhoods")  # at most one per neighbourhood


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
    """The smallest axis ceiling that holds ``value`` (shares), or ``top`` for counts."""
    return next((c for c in CEILINGS if value <= c), CEILINGS[-1]) if top == 1.0 else top


def network_figure(model: ClassroomModel, text: dict) -> LiveFigure:
    """The sampled households of each community, coloured by functioning, with their ties."""
    names = list(model.communities)
    figure = Figure(figsize=(5.0 * len(names) + 0.8, 4.6))
    axes = figure.subplots(1, len(names), squeeze=False, gridspec_kw={"left": 0.01, "right": 0.9, "wspace": 0.05})[0]
    view, norm = model.view, Normalize(0.0, 1.0)
    dots = []
    for ax, name in zip(axes, names, strict=True):
        community = model.communities[name]
        households = community.households
        for matrix, colour, width in (
            (community.networks.bridging, "tab:blue", 0.5),
            (community.networks.bonding, "0.4", 0.7),
        ):
            pairs = view.ties(matrix)
            ax.add_collection(LineCollection(view.xy[pairs], colors=colour, linewidths=width, alpha=0.45))
        class_of = np.asarray(households.class_names)[households.household_class[view.households]]
        is_precariaat = class_of == "precariaat"
        for mask, marker in ((~is_precariaat, "o"), (is_precariaat, "s")):
            dot = ax.scatter(
                *view.xy[mask].T,
                c=households.functioning[view.households[mask]],
                cmap=FUNCTIONING_COLOURS,
                norm=norm,
                s=16,
                marker=marker,
                edgecolors="black" if marker == "s" else "none",
                linewidths=0.4,
            )
            dots.append((dot, households, view.households[mask]))
        ax.set_title(
            community_name(text, model.settings.compare, name), color=COMMUNITY_COLOURS[name], fontweight="bold"
        )
        ax.set_aspect("equal")
        ax.axis("off")
    figure.colorbar(
        ScalarMappable(norm, FUNCTIONING_COLOURS),
        cax=figure.add_axes((0.92, 0.2, 0.015, 0.6)),
        label=text["functioning"],
    )

    def update() -> bool:
        for dot, households, rows in dots:
            dot.set_array(households.functioning[rows])
        return False

    return LiveFigure(figure, [dot for dot, _, _ in dots], update)


def class_figure(model: ClassroomModel, text: dict) -> LiveFigure:
    """Mean functioning of affected households per class over time, one panel per community."""
    names = list(model.communities)
    width = 5.0 * len(names) + 2.6
    figure = Figure(figsize=(width, 3.4))
    margins = {"left": 0.6 / width, "right": 1 - 2.4 / width, "bottom": 0.15, "top": 0.82, "wspace": 0.08}
    axes = figure.subplots(1, len(names), squeeze=False, sharey=True, gridspec_kw=margins)[0]
    unit = text["year" if in_years(model) else "day"]
    lines = []
    for ax, name in zip(axes, names, strict=True):
        recorder = model.communities[name].recorder
        for class_name in recorder.class_names:
            (line,) = ax.plot([], [], label=text["classes"].get(class_name, class_name))
            lines.append((line, recorder, f"functioning__{class_name}"))
        ax.set(xlim=(0, to_time_unit(model, model.horizon_days)), ylim=(0, 1.02), xlabel=unit)
        ax.set_title(community_name(text, model.settings.compare, name), color=COMMUNITY_COLOURS[name])
    axes[0].set_ylabel(text["functioning"])
    axes[-1].legend(fontsize="small", loc="center left", bbox_to_anchor=(1.02, 0.5))
    figure.suptitle(text["functioning_by_class"])

    def update() -> bool:
        for line, recorder, column in lines:
            rows = slice(0, recorder.row)
            line.set_data(to_time_unit(model, recorder.columns["day"][rows]), recorder.columns[column][rows])
        return False

    return LiveFigure(figure, [line for line, _, _ in lines], update)


def indicator_figure(model: ClassroomModel, text: dict) -> LiveFigure:
    """Share recovered, stress, fear, initiatives (and what the scenario adds), each community a line."""
    indicators = INDICATORS + SCENARIO_INDICATORS[model.settings.scenario]
    width = 3.0 * len(indicators)
    figure = Figure(figsize=(width, 2.9))
    margins = {"left": 0.5 / width, "right": 1 - 0.1 / width, "bottom": 0.17, "top": 0.88, "wspace": 0.3}
    axes = figure.subplots(1, len(indicators), squeeze=False, gridspec_kw=margins)[0]
    unit = text["year" if in_years(model) else "day"]
    neighbourhoods = model.reference.n_neighbourhoods
    lines = []
    for ax, indicator in zip(axes, indicators, strict=True):
        top = float(neighbourhoods) if indicator in COUNTS else 1.0
        for name, community in model.communities.items():
            (line,) = ax.plot(
                [], [], color=COMMUNITY_COLOURS[name], label=community_name(text, model.settings.compare, name)
            )
            lines.append((line, community.recorder, indicator, ax, top))
        ax.set(xlim=(0, to_time_unit(model, model.horizon_days)), ylim=(0, ceiling(0.0, top)), xlabel=unit)
        ax.set_title(text["indicators"][indicator], fontsize="small")
    axes[0].legend(fontsize="small", loc="upper right")

    def update() -> bool:
        limits_changed = False
        for line, recorder, indicator, ax, top in lines:
            rows = slice(0, recorder.row)
            values = recorder.columns[indicator][rows]
            line.set_data(to_time_unit(model, recorder.columns["day"][rows]), values)
            needed = ceiling(float(np.nanmax(values, initial=0.0)), top)
            if needed > ax.get_ylim()[1]:
                ax.set_ylim(0, needed)
                limits_changed = True
        return limits_changed

    return LiveFigure(figure, [line for line, *_ in lines], update)


def dashboard_figures(model: ClassroomModel, text: dict) -> dict[str, LiveFigure]:
    """The page's figures, by name, in the order they are shown."""
    return {
        "network": network_figure(model, text),
        "classes": class_figure(model, text),
        "indicators": indicator_figure(model, text),
    }
