"""A click on the class demo's network figure finds the household drawn there (``simulation.demo.inspector``)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from simulation.demo.classroom import ClassroomModel, ClassroomSettings
from simulation.demo.figures import network_figure
from simulation.demo.inspector import household_at, household_facts, household_position, valid
from simulation.demo.texts import TEXT
from simulation.style import CLASS_NAMES


@pytest.fixture(scope="module")
def drawn():
    """A side-by-side leak, stepped into the crisis, its network figure drawn, and the figure as an image."""
    model = ClassroomModel(ClassroomSettings(scenario="leak"))
    for _ in range(16):
        model.step()
    live = network_figure(model, TEXT["en"])
    image = Image.open(io.BytesIO(live.png())).convert("RGB")
    return model, live.figure, image


def test_a_click_on_a_drawn_household_finds_it(drawn):
    model, figure, image = drawn
    for name in model.communities:
        for household in model.view.households[::7]:
            x, y = household_position(figure, model, (name, int(household)))
            assert 0 < x < 1 and 0 < y < 1, f"household {household} of {name} should be inside the figure"
            pixel = image.getpixel((int(x * image.width), int(y * image.height)))
            assert pixel != (255, 255, 255), f"a dot should be drawn where household {household} of {name} is"
            assert household_at(figure, model, x, y) == (name, int(household))


def test_a_click_a_few_pixels_off_still_finds_the_household(drawn):
    model, figure, _ = drawn
    name, household = "high", int(model.view.households[0])
    x, y = household_position(figure, model, (name, household))
    found = household_at(figure, model, x + 2 / figure.bbox.width, y - 2 / figure.bbox.height)
    assert found is not None and found[0] == name, "a click two pixels from a dot should find a household there"


@pytest.mark.parametrize("where", [(0.005, 0.01), (0.995, 0.99), (0.83, 0.5)], ids=["corner", "corner", "colour bar"])
def test_a_click_on_empty_space_finds_none(drawn, where):
    model, figure, _ = drawn
    assert household_at(figure, model, *where) is None


def test_the_state_is_written_in_the_page_language(drawn):
    model, _, _ = drawn
    h = model.communities["low"].households
    household = int(model.view.households[np.argmax(h.shock_day[model.view.households] >= 0)])  # one that was hit
    for language in ("en", "nl"):
        facts = dict(household_facts(model, ("low", household), language))
        words = TEXT[language]["household"]
        assert facts[words["class"]] == CLASS_NAMES[language][h.class_names[h.household_class[household]]]
        assert facts[words["hit"]] == words["yes"]
        assert facts[words["functioning"]].endswith("%")
    capitals = dict(household_facts(model, ("low", household), "nl"))[TEXT["nl"]["household"]["capitals"]]
    assert "," in capitals and "." not in capitals, f"Dutch writes decimal commas: {capitals!r}"


def test_a_choice_from_other_towns_is_not_shown(drawn):
    model, _, _ = drawn
    assert valid(model, ("low", 0)) and not valid(model, None)
    assert not valid(model, ("chosen", 0)), "a town the model does not have"
    assert not valid(model, ("low", model.communities["low"].households.n)), "a household the town does not have"


def test_four_towns_two_by_two_each_find_their_own_households():
    model = ClassroomModel(ClassroomSettings(scenario="leak", compare="ties_and_government", households=1000))
    live = network_figure(model, TEXT["en"])
    image = Image.open(io.BytesIO(live.png())).convert("RGB")
    for name in model.communities:
        for household in model.view.households[::50]:
            x, y = household_position(live.figure, model, (name, int(household)))
            assert image.getpixel((int(x * image.width), int(y * image.height))) != (255, 255, 255)
            assert household_at(live.figure, model, x, y) == (name, int(household))
