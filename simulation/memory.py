"""Keep freed memory for reuse, so that a step's temporary arrays do not page-fault every time.

A step makes a few dozen temporary arrays of one float per household. glibc returns freed
memory at the top of the heap to the operating system eagerly, and serves arrays over 32 MB
(4M households and more) from fresh mappings it unmaps when they are freed, so each new
temporary touches fresh pages again; on the machines we measured that doubled the time of a
step at 100k households, and at 8M households took 97 s instead of 75 s for a year of weekly
steps. Once a model is built (``CrisisModel`` calls ``keep_freed_memory``), the heap is padded
and no array gets a mapping of its own, so that memory stays in the process; set-up, before
that, still returns its large arrays to the operating system. Only glibc has ``mallopt``;
elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

from simulation.config import Config, ConfigError
from simulation.state import HOUSEHOLD_FIELDS

M_TOP_PAD = -2  # glibc's mallopt parameters: bytes of free memory kept at the top of the heap,
M_MMAP_MAX = -4  # ... and the most allocations served by mappings of their own (0: none)
MIN_PAD = 64 * 2**20
TEMPORARIES_PER_STEP = 32  # assumption: generous count of household-sized float arrays alive in a step

_pad = 0


def keep_freed_memory(households: int) -> None:
    """Pad the heap for a step's temporaries at this many households (never lowers an earlier pad), and serve every array from the heap."""
    global _pad
    pad = max(MIN_PAD, TEMPORARIES_PER_STEP * 8 * households)
    if pad <= _pad:
        return
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError, TypeError):
        return
    if mallopt(M_TOP_PAD, ctypes.c_int(min(pad, 2**31 - 1))) and mallopt(M_MMAP_MAX, ctypes.c_int(0)):
        _pad = pad


# ---- how much memory a run needs --------------------------------------------------------------

BASE_BYTES = 160 * 2**20  # the interpreter with numpy, scipy, pandas, Mesa and Hydra loaded (measured)
AGENT_BYTES = 600  # one Mesa Household agent object and its registration (measured at 1M households), where made
TIE_BYTES = 2 * (8 + 4) * 2  # a tie is stored twice (both directions) in its network and in the summed matrix


def estimated_bytes(households: int, ties_per_household: float, agents: bool = False) -> int:
    """Peak memory of a run: ``BASE + N * (8 * fields + 8 * temporaries + ties * TIE)``, plus ``N * AGENT``
    where the households are made as Mesa agents (the reference engine steps them; the vectorised
    engine makes them only when asked, ``CrisisModel.household_agents``).

    Args:
        households: number of households N.
        ties_per_household: mean bonding plus bridging degree.
        agents: whether the households are made as Mesa agents.
    """
    per_household = 8 * len(HOUSEHOLD_FIELDS) + 8 * TEMPORARIES_PER_STEP + AGENT_BYTES * agents
    return int(BASE_BYTES + households * (per_household + ties_per_household * TIE_BYTES))


def machine_memory() -> tuple[int, int]:
    """Bytes of memory available now and in all (``/proc/meminfo``; the physical total elsewhere)."""
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        with open("/proc/meminfo") as meminfo:
            fields = dict(line.split(":", 1) for line in meminfo)
        return int(fields["MemAvailable"].split()[0]) * 1024, total
    except (OSError, KeyError, ValueError):
        return total, total


def gib(n_bytes: float) -> str:
    """Bytes in GiB (or TiB when large), for messages."""
    return f"{n_bytes / 2**40:.1f} TiB" if n_bytes >= 2**40 else f"{n_bytes / 2**30:.1f} GiB"


def check_memory(cfg: Config) -> None:
    """Refuse, before anything is allocated, a population that does not fit in this machine's memory."""
    households = cfg.population.households
    ties = cfg.network.bonding_degree + cfg.network.bridging_degree
    needed = estimated_bytes(households, ties, agents=cfg.engine == "reference")
    available, total = machine_memory()
    if needed > available:
        raise ConfigError(
            f"population.households={households!r} is not allowed here: a run this size needs about {gib(needed)} "
            f"of memory, and this machine has {gib(available)} available ({gib(total)} in all)"
        )
