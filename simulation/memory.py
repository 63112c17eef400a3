"""Keep freed memory for reuse, so that a step's temporary arrays do not page-fault every time.

A step makes a few dozen temporary arrays of one float per household. glibc returns freed
memory at the top of the heap to the operating system eagerly, so each new temporary touches
fresh pages again; on the machines we measured that doubled the time of a step at 100k
households. Padding the heap keeps that memory in the process. Only glibc has ``mallopt``;
elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_TOP_PAD = -2  # glibc's mallopt parameter: bytes of free memory kept at the top of the heap
MIN_PAD = 64 * 2**20
TEMPORARIES_PER_STEP = 32  # assumption: generous count of household-sized float arrays alive in a step

_pad = 0


def keep_freed_memory(households: int) -> None:
    """Pad the heap for a step's temporaries at this many households (never lowers an earlier pad)."""
    global _pad
    pad = max(MIN_PAD, TEMPORARIES_PER_STEP * 8 * households)
    if pad <= _pad:
        return
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError, TypeError):
        return
    if mallopt(M_TOP_PAD, ctypes.c_int(min(pad, 2**31 - 1))):
        _pad = pad
