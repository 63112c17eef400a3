"""An example of a per-agent rule, as a Mesa user adds one (``simulation/rules.py``).

Used by the README, notebook 01 and the tests; a template for rules of one's own.
"""

from __future__ import annotations

from agents.household import Household

AWAY_AFTER_DAYS = 2 / 24  # assumption (example): a household goes to family after two hours without tap water


class StaysWithFamily(Household):
    """A household that may go to stay with family when its tap has been off for more than a day."""

    def stay_with_family(self) -> None:
        """Without tap water for more than ``AWAY_AFTER_DAYS``, stay with a bonding tie whose tap runs: water there.

        Run it after the ``stand_ins`` phase, which sets what stands in for missing water in the
        step: ``model.rules.add("stand_ins", "stay_with_family")``.
        """
        model = self.model
        dry_for = model.day - self.shock_day
        if not (self.water_back_day > model.day and dry_for > AWAY_AFTER_DAYS):
            return
        bonding = model.networks.bonding
        family = bonding.indices[bonding.indptr[self.index] : bonding.indptr[self.index + 1]]
        if (model.households.water_back_day[family] <= model.day).any():
            self.water_cover = 1.0
