"""Vectorised draws for the scaled trust (scale.py): a Choice as arrays, whole-number ranges,
each block's own generator, and the epoch-day arithmetic the blocks share."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from caseboard.synthetic.draw import Choice

EPOCH = dt.date(1970, 1, 1)
NULL_INT = np.iinfo(np.int64).min  # never a real day, id or count


def choice_table(choice: Choice[Any]) -> tuple[list[Any], np.ndarray]:
    """A Choice's options and cumulative probabilities, for vectorised draws."""
    return list(choice.options), np.asarray(choice.cumulative)


def draw_indices(rng: np.random.Generator, choice: Choice[Any], n: int) -> np.ndarray:
    """Indices into choice.options, one per row."""
    cumulative = np.asarray(choice.cumulative)
    return np.minimum(np.searchsorted(cumulative, rng.random(n), side="right"), len(cumulative) - 1)


def between_n(rng: np.random.Generator, low: int, high: int, n: int) -> np.ndarray:
    return rng.integers(low, high + 1, size=n)


def block_rng(seed: int, block: int) -> np.random.Generator:
    """Block ``block``'s generator: the ``block``-th child of SeedSequence(seed)."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))


def weekday_shift(day: np.ndarray) -> np.ndarray:
    """Move weekend days forward to Monday (epoch day 0 was a Thursday)."""
    weekday = (day + 3) % 7
    return day + np.where(weekday == 5, 2, np.where(weekday == 6, 1, 0))
