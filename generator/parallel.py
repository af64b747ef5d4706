"""Run a function over many independent items in forked worker processes, when that pays.

Parsing the content files and rendering (and writing) the pages are most of a full build,
and every file and page is independent of the others, so on a machine with two cores or
more they are split between worker processes. The workers are forked: they start with
everything the parent built (the site graph, the compiled templates and name patterns),
and only the items' positions and the results cross between processes.

Forking is done only where it is safe: on Linux, in a process that has started no thread
(a forked child gets a copy of every lock, held or not, but only the forking thread).
Otherwise, or for a small batch, the work runs here, in order. Results come back in the
order of the items either way, so the output does not depend on the number of processes.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from typing import Callable, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items, starting processes costs more than it saves.
MIN_ITEMS = 400
# Sets the smallest run of items (see _chunk_bounds): a quarter of an even share of this
# many runs per worker.
CHUNKS_PER_WORKER = 4

# What the forked workers run: set just before the fork, read by _run_chunk in the child.
_task: tuple[Callable, Sequence] | None = None


# Forked pools started by this process: what the tests and the curious can check.
pools_started = 0


def worker_count() -> int:
    """The processes to use: GENERATOR_WORKERS if set (1: no worker), else the usable cores."""
    if os.environ.get("GENERATOR_WORKERS", "").strip():
        return max(1, int(os.environ["GENERATOR_WORKERS"]))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    # Linux only: macOS offers fork but its system libraries are not safe to fork (Python
    # itself defaults to spawning there), and Windows has no fork.
    return sys.platform.startswith("linux") and threading.active_count() == 1


def will_fork(item_count: int, workers: int | None = None) -> bool:
    """Whether map_in_chunks would share this many items between worker processes."""
    workers = worker_count() if workers is None else workers
    return workers >= 2 and item_count >= MIN_ITEMS and can_fork()


def map_in_chunks(function: Callable[[Sequence[Item]], list[Result]], items: Sequence[Item],
                  workers: int | None = None, while_waiting: Callable[[], object] | None = None,
                  chunks_per_worker: int = CHUNKS_PER_WORKER) -> tuple[list[Result], object]:
    """function(chunk) over consecutive chunks of items, results concatenated in order.

    while_waiting, if given, runs in this process while the workers run (or after the
    items, when there are no workers); its return value is returned beside the results.
    """
    workers = worker_count() if workers is None else workers
    if not will_fork(len(items), workers):
        results = function(items)
        return results, while_waiting() if while_waiting else None
    global _task, pools_started
    _task = (function, items)
    pools_started += 1
    # Frozen objects are left alone by the workers' garbage collector, which would
    # otherwise write to (and so copy) every memory page of the inherited site graph.
    # Not when something else (incremental.py) froze objects: unfreezing would undo that too.
    freezing = gc.get_freeze_count() == 0
    if freezing:
        gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            pending = pool.map_async(_run_chunk, _chunk_bounds(len(items), workers, chunks_per_worker), chunksize=1)
            waited_for = while_waiting() if while_waiting else None
            chunks = pending.get()
    finally:
        _task = None
        if freezing:
            gc.unfreeze()
    return [result for chunk in chunks for result in chunk], waited_for


def _chunk_bounds(count: int, workers: int, chunks_per_worker: int) -> list[tuple[int, int]]:
    """Consecutive runs of items, largest first: each a share of what is left.

    The workers take the next run as they finish one, so they end within the time of the
    last, smallest runs of each other. With runs of equal size, one worker could still be
    busy with a whole run while the other had finished (0.23 s apart at 1,000 entities).
    """
    smallest = max(1, count // (workers * chunks_per_worker * 4))
    bounds, start = [], 0
    while start < count:
        size = max(smallest, -(-(count - start) // (2 * workers)))
        bounds.append((start, min(start + size, count)))
        start += size
    return bounds


def _run_chunk(bounds: tuple[int, int]) -> list:
    function, items = _task
    return function(items[bounds[0]:bounds[1]])
