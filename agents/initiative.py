"""The citizen initiative agent: a neighbourhood's pooled capacity, formed and dissolved by the model."""

from __future__ import annotations

import mesa
import numpy as np


class CitizenInitiative(mesa.Agent):
    """A citizen initiative in one neighbourhood.

    Its members give it the share of their spare capacity that it claims (beside their needy
    ties); the model spreads a share ``initiative_openness`` of that pool over all the
    neighbourhood's needy households and the rest over the needy it knows (its members and their
    ties) first.

    Attributes:
        neighbourhood: where it works.
        members: indices of the member households.
        effectiveness: 1 + creativity times the class diversity of its members.
        collaborates: whether it works with the government as an equal.
        supported: whether it is supported to last between crises (it does not dissolve).
    """

    def __init__(
        self,
        model: mesa.Model,
        neighbourhood: int,
        members: np.ndarray,
        effectiveness: float,
        collaborates: bool,
        supported: bool = False,
    ) -> None:
        super().__init__(model)
        self.neighbourhood = neighbourhood
        self.members = members
        self.effectiveness = effectiveness
        self.collaborates = collaborates
        self.supported = supported
