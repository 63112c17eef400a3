"""The per-agent reference engine (``engine=reference``): the phases of a step as plain per-household code.

``ReferenceEngine`` (``engine``) replaces the model's phases from snapshot to adaptation with
per-household versions (``household``); ``ReferenceHousing`` (``housing``) does the home
pipeline household by household. ``simulation.agreement`` runs a vectorised and a reference
model together, phase by phase, and measures how far they differ.
"""

from __future__ import annotations

from simulation.reference.engine import ReferenceEngine

__all__ = ["ReferenceEngine"]
