"""Run seeds for a batch: one independent stream per run, from ``numpy.random.SeedSequence``.

Run ``i`` of a batch with seed ``s`` plays with the integer seed
``SeedSequence(s).spawn(n)[i].generate_state(1)[0]``. A spawned child depends only
on the parent's entropy and its own index, so run ``i``'s seed is the same
whatever ``n``, the number of workers or the chunking: a batch can be split,
resumed or extended and still give the same rows. The seed is a 32-bit
unsigned integer, saved in every row; ``sim run FILE --seed SEED`` replays that
run with its transcript.

>>> run_seeds(0, 3)
[3757552657, 673228719, 3241444873]
>>> run_seeds(0, 5)[:3] == run_seeds(0, 3)
True
>>> seed_array(0, 3).tolist()
[3757552657, 673228719, 3241444873]
"""

from __future__ import annotations

import numpy as np


def run_seeds(seed: int, runs: int) -> list[int]:
    """The integer seed of every run of a batch, in run order.

    Args:
        seed: The batch's seed (>= 0).
        runs: How many runs.

    Returns:
        ``runs`` integers in ``[0, 2**32)``, one per run index.

    Raises:
        ValueError: If ``seed`` or ``runs`` is negative.
    """
    if seed < 0:
        raise ValueError(f"the batch seed must be >= 0, got {seed}")
    if runs < 0:
        raise ValueError(f"runs must be >= 0, got {runs}")
    return seed_array(seed, runs).tolist()


def seed_array(seed: int, runs: int) -> np.ndarray:
    """:func:`run_seeds` as a ``uint32`` array, built one child at a time.

    ``SeedSequence(s).spawn(n)[i]`` is ``SeedSequence(s, spawn_key=(i,))``; making
    the children one by one (rather than ``spawn(n)``, which holds all ``n``
    objects at once) keeps a 100,000-run batch's seeds at 400 kB.

    Args:
        seed: The batch's seed (>= 0).
        runs: How many runs (>= 0).

    Returns:
        Run ``i``'s seed at index ``i``.
    """
    if seed < 0:
        raise ValueError(f"the batch seed must be >= 0, got {seed}")
    if runs < 0:
        raise ValueError(f"runs must be >= 0, got {runs}")
    seeds = np.empty(runs, dtype=np.uint32)
    for index in range(runs):
        seeds[index] = np.random.SeedSequence(seed, spawn_key=(index,)).generate_state(1)[0]
    return seeds
