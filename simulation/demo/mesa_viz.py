"""Mesa's own web app (SolaraViz) on ``CrisisModel``, rebuilt from keyword parameters on Reset.

    solara run simulation/demo/mesa_viz.py

A small example of Mesa's conventions, apart from the class demo (``veerkracht demo``): the
sliders are ``model_params``, which SolaraViz passes to ``CrisisModel(**params)`` when Reset is
pressed, and the plots read ``model.datacollector``.
"""

from __future__ import annotations

import solara
from mesa.visualization import Slider, SolaraViz, make_plot_component

from scenarios import SCENARIOS
from simulation.model import CrisisModel

MODEL_PARAMS = {
    "scenario": {"type": "Select", "value": "leak", "values": sorted(SCENARIOS), "label": "Scenario"},
    "households": Slider("Households", 1000, 200, 5000, 100),
    "bonding_degree": Slider("Bonding ties per household", 5.0, 0.0, 12.0, 1.0),
    "bridging_degree": Slider("Bridging ties per household", 2.0, 0.0, 8.0, 1.0),
    "seed": Slider("Seed", 0, 0, 99, 1),
}
FIRST_PARAMS = {
    name: param.value if isinstance(param, Slider) else param["value"] for name, param in MODEL_PARAMS.items()
}


def town(model: CrisisModel) -> solara.Text:
    """What the model was built from, and where it is now."""
    cfg = model.cfg
    return solara.Text(
        f"{cfg.scenario.name}: {cfg.population.households:,} households, "
        f"{cfg.network.bonding_degree:g} bonding and {cfg.network.bridging_degree:g} bridging ties each, "
        f"seed {cfg.seed}; day {model.day:.2f} of {cfg.scenario.horizon_days:g}",
        style={"font-size": "1.1em"},
    )


COMPONENTS = [
    (town, 0),
    make_plot_component(["functioning", "recovered_share"]),
    make_plot_component(["fear_share", "provision_lost_share"]),
]


@solara.component
def Page():
    """One model per browser session (a model made at import time would be shared by all)."""
    model = solara.use_memo(lambda: CrisisModel(**FIRST_PARAMS), [])
    SolaraViz(model, components=COMPONENTS, model_params=MODEL_PARAMS, name="Veerkracht in Mesa's SolaraViz")
