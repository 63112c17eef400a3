"""A vectorised and a reference model side by side, phase by phase: how far their states differ.

Both are built from the same config (one with ``engine=vectorised``, one with ``engine=reference``)
and so start equal; ``step_by_phase`` advances one of them a phase at a time, and ``state_of``
gathers everything a phase can change into named arrays, which ``compare`` sets against each other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np
import pandas as pd

from simulation.config import Config
from simulation.model import CrisisModel
from simulation.state import HOUSEHOLD_FIELDS
from simulation.step import PHASES, StepWork

GOVERNMENT = ("delay_days", "dominance", "affiliation", "own_dominance", "own_affiliation", "event_start_day")
GOVERNMENT += ("events", "verdicts", "_experience", "_met", "_waited")
MODEL = ("day", "good_days", "bad_days", "aid_served", "covered", "affected", "at_stake", "relations_moved_step")
MODEL += ("attitudes_moved",)
WORK_COUNTS = ("harm_added", "claims_filed", "claims_settled", "scheme_filed", "scheme_decided")
# the vectorised engine's row products (None in the reference)
VECTORISED_ONLY = ("bonding_of_needy", "bridging_of_needy")
RTOL, ATOL = 1e-9, 1e-12  # how closely the two engines must agree (numpy.testing.assert_allclose's rtol, atol)


def step_by_phase(model: CrisisModel) -> Iterator[tuple[str, StepWork]]:
    """Take one step of ``model`` a phase at a time: after each phase (and its rules), its name and the step's work.

    Counts the step first, as Mesa's step does (``Model._wrapped_step``) before ``CrisisModel.step``.
    """
    if model.steps >= model.n_steps:
        raise RuntimeError(f"the run has reached its horizon (step {model.steps} of {model.n_steps})")
    model.steps += 1
    work = StepWork()
    for phase in PHASES:
        model.phases[phase](work)
        model.rules.run(phase)
        yield phase, work


def state_of(model: CrisisModel, work: StepWork, phase: str) -> dict[str, np.ndarray]:
    """Everything the phases change, as named float arrays: households, the step's work, money, relations,
    the government, initiatives, the home pipeline, the scenario, and (after measurement) the recorded row.

    The way in's know-how and contractor news are read right after ``aid`` only (they are asked for
    lazily, from the attitudes at the start of the step).
    """
    h = model.households
    state = {f"households.{f.name}": getattr(h, f.name) for f in HOUSEHOLD_FIELDS}
    state.update({f"work.{name}": getattr(work, name) for name in WORK_COUNTS})
    if work.now is not None:
        for item in dataclasses.fields(work.now):
            if item.name not in VECTORISED_ONLY:
                state[f"work.now.{item.name}"] = getattr(work.now, item.name)
    state.update({f"work.{name}": getattr(work, name) for name in ("fear", "own_rate", "given")})
    help_ = work.help
    state.update({f"work.help.rates.{channel}": rate for channel, rate in help_.rates.items()})
    for item in dataclasses.fields(help_):
        if item.name != "rates":
            state[f"work.help.{item.name}"] = getattr(help_, item.name)
    state.update({f"work.gains.{channel}": gain for channel, gain in work.gains.items()})
    if work.way_in is not None:
        way_in = work.way_in
        state.update({"work.way_in.reach": way_in.reach, "work.way_in.aid": way_in.aid})
        if phase == "aid":
            everyone = np.arange(h.n)
            state["work.way_in.knowhow"] = way_in.knowhow(everyone)
            state["work.way_in.contractor_news"] = way_in.contractor_news(everyone)
    state.update({f"model.{name}": getattr(model, name) for name in MODEL})
    state.update({f"money.{item.name}": getattr(model.money, item.name) for item in dataclasses.fields(model.money)})
    state.update({f"government.{name}": getattr(model.government, name) for name in GOVERNMENT})
    for pair, dimensions in model.collaboration.dimensions.items():
        state.update({f"collaboration.{'-'.join(pair)}.{name}": value for name, value in dimensions.items()})
    state.update(initiatives_state(model))
    housing = model.housing
    state["housing.scheme_open_days"] = housing.scheme_open_days
    state["housing.spell_days"] = np.concatenate([np.zeros(0), *housing.spell_days])
    state["housing.temporary_homes"] = housing.temporary_homes
    for name, value in vars(model.crisis).items():
        if isinstance(value, int | float | np.ndarray):
            state[f"crisis.{name}"] = value
    state["events"] = len(model.event_log.events)
    if phase == "measurement":
        row = model.recorder.row - 1
        state.update({f"record.{name}": column[row] for name, column in model.recorder.columns.items()})
    return {name: np.asarray(value, dtype=np.float64) for name, value in state.items() if value is not None}


def initiatives_state(model: CrisisModel) -> dict[str, np.ndarray]:
    """The active initiatives (by neighbourhood, in the register's order), their members and settings."""
    initiatives = model.initiatives
    active = list(initiatives.values())
    state = {
        "initiatives.neighbourhoods": [initiative.neighbourhood for initiative in active],
        "initiatives.members": np.concatenate([np.zeros(0), *(initiative.members for initiative in active)]),
        "initiatives.sizes": [initiative.members.size for initiative in active],
        "initiatives.formed": initiatives.formed,
        "initiatives.first_day": np.nan if initiatives.first_day is None else initiatives.first_day,
        "initiatives.protection": initiatives.protection,
    }
    for name in ("effectiveness", "collaborates", "supported"):
        state[f"initiatives.{name}"] = [getattr(initiative, name) for initiative in active]
    return state


def compare(
    state: dict[str, np.ndarray], other: dict[str, np.ndarray], rtol: float = RTOL, atol: float = ATOL
) -> dict[str, tuple[float, float]]:
    """Per name: the largest absolute difference between two states, and the largest share of the
    tolerance ``atol + rtol * |other|`` a difference uses (NaN against NaN is no difference).

    A name in one state only, arrays of different shapes, or NaN against a number differ by infinity.
    """
    differences = {}
    for name in sorted(state.keys() | other.keys()):
        a, b = state.get(name), other.get(name)
        if a is None or b is None or a.shape != b.shape:
            differences[name] = (np.inf, np.inf)
            continue
        same = (a == b) | (np.isnan(a) & np.isnan(b))
        gap = np.where(same, 0.0, np.nan_to_num(np.abs(a - b), nan=np.inf))
        tolerance = atol + rtol * np.abs(b)
        share = np.divide(gap, tolerance, out=np.where(gap > 0, np.inf, 0.0), where=tolerance > 0)
        differences[name] = (float(gap.max(initial=0.0)), float(share.max(initial=0.0)))
    return differences


def side_by_side(
    cfg: Config, steps: int, housing: str = "reference"
) -> Iterator[tuple[int, str, dict[str, np.ndarray], dict[str, np.ndarray]]]:
    """A vectorised and a reference model of ``cfg``, advanced together for ``steps`` steps, phase by phase.

    Args:
        housing: the reference model's home pipeline: ``"reference"`` (``ReferenceHousing``, as the
            engine has it) or ``"vectorised"`` (the model's ``Housing``, to check the other phases alone).
            (``Housing`` dates finished claims, applications and repairs a step later than
            ``ReferenceHousing``: see tests/test_reference_housing.py.)

    Yields:
        After each phase: the step, the phase, the vectorised model's state and the reference model's.
    """
    if housing not in ("reference", "vectorised"):
        raise ValueError(f"housing={housing!r} is not allowed: expected 'reference' or 'vectorised'")
    vectorised = CrisisModel(dataclasses.replace(cfg, engine="vectorised"))
    reference = CrisisModel(dataclasses.replace(cfg, engine="reference"))
    if housing == "vectorised":
        engine = reference.phases["snapshot"].__self__  # the ReferenceEngine whose phases the model runs
        engine.housing = reference.housing
    for _ in range(steps):
        for (phase, work), (_, reference_work) in zip(step_by_phase(vectorised), step_by_phase(reference), strict=True):
            yield vectorised.steps, phase, state_of(vectorised, work, phase), state_of(reference, reference_work, phase)


def agreement(cfg: Config, steps: int, housing: str = "reference") -> pd.DataFrame:
    """How far a vectorised and a reference model of ``cfg`` differ, phase by phase, over ``steps`` steps.

    Args:
        housing: the reference model's home pipeline (see ``side_by_side``).

    Returns:
        Per phase (in step order): the largest absolute difference over every compared quantity
        and step (``largest_difference``), the quantity (``where``) and the step it was found in,
        and the largest share of the tolerance (``RTOL``, ``ATOL``) any difference used (``of_tolerance``;
        up to 1 the two agree).
    """
    rows = {phase: {"largest_difference": 0.0, "where": "", "step": 0, "of_tolerance": 0.0} for phase in PHASES}
    for step, phase, state, reference_state in side_by_side(cfg, steps, housing):
        row = rows[phase]
        differences = compare(reference_state, state)
        where = max(differences, key=lambda name: differences[name][0])
        if differences[where][0] > row["largest_difference"]:
            row.update(largest_difference=differences[where][0], where=where, step=step)
        row["of_tolerance"] = max(row["of_tolerance"], *(share for _, share in differences.values()))
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "phase"
    return frame
