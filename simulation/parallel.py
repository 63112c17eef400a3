"""Both cores for one large run: products of a tie matrix, their rows split over threads.

Each row of a product is its own sum, computed in the same order whoever computes it, so
splitting the rows changes no result, bit for bit. scipy's sparse kernels release the GIL, so
the threads run at once. Threads pay only in a large town (``PARALLEL_FROM`` households);
``VEERKRACHT_THREADS`` sets how many at most (the machine's cores by default; 1 in a sweep whose
runs are themselves the parallel unit, as ``experiments.runs`` sets for its worker processes).
"""

from __future__ import annotations

import os
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
# (three pairs of runs) and at 1M within run-to-run noise; an assumption between the two.
PARALLEL_FROM = 200_000
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
    return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="veerkracht-product")


def product(matrix: sp.csr_array, x: np.ndarray) -> np.ndarray:
    """``matrix @ x`` for a CSR matrix and a vector or an (n, k) block of vectors, its rows over threads."""
    workers = threads_for(matrix.shape[0])
    if workers == 1 or csr_matvec is None:
        return matrix @ x
    rows, columns = matrix.shape
    x = np.ascontiguousarray(x, dtype=np.float64)
    result = np.zeros((rows, *x.shape[1:]))
    bounds = np.linspace(0, rows, workers + 1).astype(int)

    def rows_of(start: int, end: int) -> None:
        indptr = matrix.indptr[start : end + 1]  # offsets into the whole matrix's indices and data
        if x.ndim == 1:
            csr_matvec(end - start, columns, indptr, matrix.indices, matrix.data, x, result[start:end])
        else:
            k = x.shape[1]
            csr_matvecs(
                end - start, columns, k, indptr, matrix.indices, matrix.data, x.ravel(), result[start:end].ravel()
            )

    for future in [_pool(workers).submit(rows_of, a, b) for a, b in pairwise(bounds)]:
        future.result()
    return result
