"""Both cores for one large run, and fewer passes over memory: work split by rows.

Products of a tie matrix have their rows split over threads; updates where each household's
new values depend on its own row only run block by block (``by_blocks``). Each row of a
product is its own sum, and each row of an update the same operations, computed in the same
order whoever computes it, so splitting the rows changes no result, bit for bit. scipy's sparse
kernels and numpy's loops release the GIL, so the threads run at once. Threads pay only in a
large town (``PARALLEL_FROM`` households); ``VEERKRACHT_THREADS`` sets how many at most (the
machine's cores by default; 1 in a sweep whose runs are themselves the parallel unit, as
``simulation.cli`` sets for the runs of the local parallel launcher).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from itertools import pairwise

import numpy as np
import scipy.sparse as sp

try:  # scipy's own kernels for a CSR matrix times a vector or a block of vectors (as ``matrix @ x`` calls them)
    from scipy.sparse._sparsetools import csr_matvec, csr_matvecs
except ImportError:  # pragma: no cover (a scipy without them: one thread, through ``@``)
    csr_matvec = csr_matvecs = None

# Households from which work is split over threads. Measured on 2 cores: the two-column tie product
# alone is faster on two threads from about 50k households (0.97 against 0.86 ms at 50k, 3.0 against
# 1.9 ms at 100k, 43 against 26 ms at 1M), but a whole step at 100k was 2-3% slower with two threads
# (three pairs of runs) and at 1M within run-to-run noise; an assumption between the two. With the
# updates by blocks split too, a step at 100k took 13.9 ms on two threads against 11.9 ms on one
# (three pairs of runs), and at 1M 150 ms against 181 ms (two pairs).
PARALLEL_FROM = 200_000
# Rows per block of an update: 256 KB per array of float64, so that the few arrays and temporaries of
# an update stay in a core's 4 MB L2 cache and each array crosses memory once per update, not once per
# numpy operation. Measured on an update of trust (three relaxations and the pull of ties, 4 arrays):
# one call 0.87 / 10.7 / 131 ms at 100k / 1M / 8M households, by blocks of 32k rows 0.40 / 4.0 / 43 ms
# (8k: 0.43 / 4.4 / 45; 128k: 0.89 / 6.4 / 63), and 35 ms at 8M on two threads.
BLOCK = 1 << 15
THREADS_VARIABLE = "VEERKRACHT_THREADS"


def threads() -> int:
    """Threads this process may use: ``VEERKRACHT_THREADS``, else the cores it may run on."""
    value = os.environ.get(THREADS_VARIABLE, "")
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"{THREADS_VARIABLE}={value!r} is not allowed: expected a whole number of at least 1")
        return int(value)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def threads_for(households: int) -> int:
    """Threads for work over a town of this many households: one below ``PARALLEL_FROM``, else ``threads()``."""
    return 1 if households < PARALLEL_FROM else threads()


@cache
def _pool(workers: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="veerkracht-rows")


def product(matrix: sp.csr_array, x: np.ndarray) -> np.ndarray:
    """``matrix @ x`` for a CSR matrix and a vector or an (n, k) block of vectors, its rows over threads."""
    workers = threads_for(matrix.shape[0])
    if workers == 1 or csr_matvec is None:
        return matrix @ x
    rows, columns = matrix.shape
    x = np.ascontiguousarray(x, dtype=np.float64)
    result = np.zeros((rows, *x.shape[1:]))

    def rows_of(start: int, end: int) -> None:
        indptr = matrix.indptr[start : end + 1]  # offsets into the whole matrix's indices and data
        if x.ndim == 1:
            csr_matvec(end - start, columns, indptr, matrix.indices, matrix.data, x, result[start:end])
        else:
            k = x.shape[1]
            csr_matvecs(
                end - start, columns, k, indptr, matrix.indices, matrix.data, x.ravel(), result[start:end].ravel()
            )

    _over_threads(workers, rows, rows_of)
    return result


def by_blocks(rows: int, update: Callable[[slice], None]) -> None:
    """Run ``update`` on every block of ``BLOCK`` rows of ``rows``, the blocks split over threads in a large town.

    ``update(block)`` must read and write only the rows of its block of every-household arrays
    (``array[block]`` is a view, so in-place operations on it write through); then the result is
    the one of a single call on all rows, bit for bit.
    """
    blocks = [slice(start, min(start + BLOCK, rows)) for start in range(0, rows, BLOCK)]

    def run(first: int, last: int) -> None:
        for block in blocks[first:last]:
            update(block)

    workers = min(threads_for(rows), len(blocks))
    if workers <= 1:
        run(0, len(blocks))
    else:
        _over_threads(workers, len(blocks), run)


def _over_threads(workers: int, count: int, task: Callable[[int, int], None]) -> None:
    """Run ``task(start, end)`` on ``workers`` contiguous shares of ``range(count)``, one thread each; wait for all."""
    bounds = np.linspace(0, count, workers + 1).astype(int)
    for future in [_pool(workers).submit(task, a, b) for a, b in pairwise(bounds)]:
        future.result()
