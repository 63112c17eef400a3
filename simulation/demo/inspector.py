"""A click on a household in the network figure shows its state, as NetLogo's inspect does.

``household_at`` finds the household drawn where a click fell (and ``household_position``
where a household is drawn); ``NetworkFigure`` shows the network figure as an image that
reports its clicks; ``HouseholdCard`` shows the chosen household's state in the page's language.
The module is not called ``inspect``: ``solara run`` puts this folder on ``sys.path``, where it
would shadow the standard library's module of that name.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Callable

import numpy as np
import solara
from matplotlib.figure import Figure

from simulation.demo.classroom import ClassroomModel
from simulation.demo.figures import LiveFigure, community_colours
from simulation.demo.texts import TEXT, community_name
from simulation.provisions import AT_HOME
from simulation.state import SHELTERS
from simulation.style import CLASS_NAMES, number, percent

CLICK_PIXELS = 6.0  # how far (in the figure's pixels) a click may fall from a household's dot
CAPITALS = ("economic", "social", "cultural", "personal")

Chosen = tuple[str, int]  # a community's name and a household's index in it


def drawn_pixels(figure: Figure, model: ClassroomModel) -> dict[str, np.ndarray]:
    """Where each community's drawn households are, in the figure's pixels (from its bottom left corner)."""
    pixels = {}
    for ax, name in zip(figure.axes, model.communities, strict=False):  # the colour bar's axes come last
        ax.apply_aspect()  # the position an equal-aspect axes takes when drawn
        pixels[name] = ax.transData.transform(model.view.xy)
    return pixels


def household_at(
    figure: Figure, model: ClassroomModel, x: float, y: float, within: float = CLICK_PIXELS
) -> Chosen | None:
    """The household drawn nearest a click, or None if none is within ``within`` pixels.

    Args:
        figure: the network figure (``network_figure``).
        model: the model it draws.
        x, y: the click, as fractions of the image's width and height from its top left corner.
        within: the largest distance, in the figure's pixels, from the click to a household's dot.

    Returns:
        The community's name and the household's index in its arrays.
    """
    width, height = figure.bbox.width, figure.bbox.height
    click = np.array([x * width, (1.0 - y) * height])
    best, nearest = None, within
    for name, pixels in drawn_pixels(figure, model).items():
        distances = np.hypot(*(pixels - click).T)
        closest = int(np.argmin(distances))
        if distances[closest] <= nearest:
            best, nearest = (name, int(model.view.households[closest])), distances[closest]
    return best


def household_position(figure: Figure, model: ClassroomModel, chosen: Chosen) -> tuple[float, float] | None:
    """Where a household is drawn, as fractions of the image from its top left corner (None if it is not drawn)."""
    name, household = chosen
    pixels = drawn_pixels(figure, model).get(name)
    rows = np.flatnonzero(model.view.households == household)
    if pixels is None or not rows.size:
        return None
    px, py = pixels[rows[0]]
    return float(px / figure.bbox.width), float(1.0 - py / figure.bbox.height)


def data_url(png: bytes) -> str:
    """PNG bytes as a ``data:`` URL an ``img`` shows."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


@solara.component_vue("clickable_image.vue")
def ClickableImage(
    src: str,
    classes: list[str] = [],  # noqa: B006 (a Vue property's default, never changed)
    width: str | None = None,
    hint: str = "",
    marker: list[float] | None = None,
    event_pick: Callable[[dict], None] | None = None,
):
    """An image (``src``, a URL) that sends where it was clicked to ``event_pick``.

    ``event_pick`` gets ``{"x": ..., "y": ...}``: fractions of the image's width and height from
    its top left corner. ``marker`` (fractions too) rings a point of the image.
    """


@solara.component
def NetworkFigure(
    figure: LiveFigure, png: bytes, model: ClassroomModel, chosen: solara.Reactive, language: str, classes: list[str]
):
    """The network figure as drawn now (``png``, which changes with every step and so redraws the component); a
    click on a household chooses it (``chosen``), a click elsewhere clears the choice."""
    words = TEXT[language]["household"]

    def pick(click: dict) -> None:
        chosen.set(household_at(figure.figure, model, float(click["x"]), float(click["y"])))

    marker = household_position(figure.figure, model, chosen.value) if valid(model, chosen.value) else None
    with solara.Column(gap="0", style={"align-items": "flex-start"}):
        ClickableImage(
            src=data_url(png),
            classes=classes,
            hint=words["hint"],
            marker=list(marker) if marker else None,
            event_pick=pick,
        )
        solara.Text(words["hint"], classes=["veerkracht-household-hint"], style={"font-size": "0.8em", "color": "#555"})


def valid(model: ClassroomModel, chosen: Chosen | None) -> bool:
    """Whether ``chosen`` is a household of one of the model's communities (a reset may have changed them)."""
    return (
        chosen is not None
        and chosen[0] in model.communities
        and 0 <= chosen[1] < model.communities[chosen[0]].households.n
    )


def household_facts(model: ClassroomModel, chosen: Chosen, language: str) -> list[tuple[str, str]]:
    """The household's state as (label, value) pairs, in the language's words and numbers."""
    text = TEXT[language]
    words = text["household"]
    name, i = chosen
    community = model.communities[name]
    h = community.households
    class_name = h.class_names[h.household_class[i]]
    capitals = " · ".join(
        f"{words['capital_names'][capital]} {number(getattr(h, capital)[i], language, 2)}" for capital in CAPITALS
    )
    hit = not math.isnan(h.shock_day[i])
    place = "at_home" if h.displaced[i] == AT_HOME else SHELTERS[int(h.displaced[i])]

    def ties(matrix, kind: str) -> str:
        count = int(matrix.indptr[i + 1] - matrix.indptr[i])
        singular, plural = text["tie_words"][kind]
        return f"{number(count, language)} {singular if count == 1 else plural}"

    facts = [
        (words["town"], community_name(text, model.settings.compare, name)),
        (words["class"], CLASS_NAMES[language].get(class_name, class_name)),
        (words["capitals"], capitals),
        (words["functioning"], percent(h.functioning[i], language)),
        (words["hit"], words["yes"] if hit else words["no"]),
        (words["lives"], words["where"][place]),
        (
            words["ties"],
            f"{ties(community.networks.bonding, 'bonding')} · {ties(community.networks.bridging, 'bridging')}",
        ),
        (words["trust"], percent(h.trust[i], language)),
    ]
    # savings left, in euros and as a share of those it had when the run began
    euros = number(community.housing.savings_eur[i] * h.buffer[i], language)
    facts.append((words["savings"], words["savings_euros"].format(euros=euros, share=percent(h.buffer[i], language))))
    return facts


@solara.component
def HouseholdCard(model: ClassroomModel, tick: int, chosen: solara.Reactive, language: str):
    """The chosen household's state, with a button that closes it; nothing while none is chosen.

    ``tick`` changes with every step, so the card follows the model.
    """
    if not valid(model, chosen.value):
        return
    words = TEXT[language]["household"]
    name, household = chosen.value
    colour = community_colours(model)[name]
    with solara.Card(
        # in a corner of the screen, over the page: in view wherever the figure was clicked
        style={
            "border-top": f"6px solid {colour}",
            "padding": "0.4em 0.8em",
            "position": "fixed",
            "right": "1em",
            "bottom": "1em",
            "width": "31em",
            "max-width": "90vw",
            "z-index": 5,
        },
        classes=["veerkracht-household"],
    ):
        with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
            solara.Text(
                words["title"].format(household=household),
                style={"font-weight": "bold", "color": colour},
                classes=["veerkracht-household-title"],
            )
            solara.Button(
                icon_name="mdi-close",
                icon=True,
                small=True,
                on_click=lambda: chosen.set(None),
                classes=["veerkracht-household-close"],
                attributes={"title": words["close"], "aria-label": words["close"]},
            )
        with solara.Div(
            style={
                "display": "grid",
                "grid-template-columns": "repeat(auto-fill, minmax(14em, 1fr))",
                "gap": "0.3em 1em",
            }
        ):
            for label, value in household_facts(model, chosen.value, language):
                with solara.Column(gap="0"):
                    solara.Text(label, style={"font-size": "0.78rem", "color": "#444"})
                    solara.Text(value, style={"font-weight": "600"})
