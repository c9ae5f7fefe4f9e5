"""The outcome measures of a block of the scaled trust, on the trajectories of measures.py."""

from __future__ import annotations

from typing import Any

import numpy as np

from caseboard.synthetic import measures
from caseboard.synthetic.bulk_draw import choice_table, draw_indices
from caseboard.synthetic.tt_script import KIT


def measure_columns(
    rng: np.random.Generator,
    c_ref: np.ndarray,
    c_kind: np.ndarray,
    attended: np.ndarray,
    planned: np.ndarray,
    descriptor: np.ndarray,
    n: int,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """PHQ-9 and GAD-7 (with the ADSM for some, WSAS every third time for some) at attended
    assessment and treatment contacts, on each referral's trajectory (measures.py)."""
    course_options, _ = choice_table(measures.COURSES)
    bounds = np.array(course_options, dtype=float)[draw_indices(rng, measures.COURSES, n)]
    share = bounds[:, 0] + (bounds[:, 1] - bounds[:, 0]) * rng.random(n)
    below = rng.random(n) < 0.08
    sessions = np.maximum(1, planned - 1)
    adsm_name = np.array([measures.ADSM.get(d or "") for d in descriptor], dtype=object)
    adsm = np.where(rng.random(n) < 0.75, adsm_name, None)
    wsas = rng.random(n) < 0.4
    instruments = ["phq9", "gad7", "wsas", *sorted(set(measures.ADSM.values()))]
    starts = {}
    for name in instruments:
        mean, spread = measures.BASELINE[name]
        if name in ("phq9", "gad7"):
            mean = np.where(below, 6.0 if name == "phq9" else 5.0, mean)
        starts[name] = rng.normal(mean, spread, n)

    contact = np.nonzero(attended & (c_kind != KIT))[0]
    ref = c_ref[contact]
    new = np.r_[True, ref[1:] != ref[:-1]]
    group_start = np.maximum.accumulate(np.where(new, np.arange(len(ref)), 0))
    index = np.arange(len(ref)) - group_start
    recorded = (index == 0) | (rng.random(len(ref)) >= 0.08)
    contact, ref, index = contact[recorded], ref[recorded], index[recorded]
    parts = []
    for order, name in enumerate(instruments):
        if name == "phq9" or name == "gad7":
            mask = np.ones(len(ref), dtype=bool)
        elif name == "wsas":
            mask = wsas[ref] & (index % 3 == 0)
        else:
            mask = adsm[ref] == name
        parts.append((np.nonzero(mask)[0], order, name))
    rows = np.concatenate([p[0] for p in parts])
    instrument_index = np.concatenate([np.full(len(p[0]), p[1]) for p in parts])
    order = np.lexsort((instrument_index, rows))
    rows, instrument_index = rows[order], instrument_index[order]
    names = np.array(instruments, dtype=object)[instrument_index]
    r = ref[rows]
    start = np.zeros(len(rows))
    low = np.zeros(len(rows))
    high = np.zeros(len(rows))
    for position, name in enumerate(instruments):
        mask = instrument_index == position
        start[mask] = starts[name][r[mask]]
        low[mask], high[mask] = measures.RANGES[name]
    response = np.ones(len(rows))
    for position, name in enumerate(instruments):
        response[instrument_index == position] = measures.RESPONSE.get(name, 1.0)
    progress = np.minimum(1.0, index[rows] / sessions[r]) * response
    noise = rng.normal(0, 1, len(rows)) * 0.05 * (high - low)
    value = np.clip(start + (start * share[r] - start) * progress + noise, low, high)
    score = np.where(names == "mi", np.round(value, 1), np.round(value))
    measure_cols = {
        "contact_id": contact[rows],
        "instrument": names,
        "score": score.astype(float),
    }
    phq = np.nonzero(names == "phq9")[0]
    item_scores = measures._items(rng, score[phq].astype(np.int64))
    items = {
        "measure_id": np.repeat(phq, 9),
        "item": np.tile(np.arange(1, 10), len(phq)),
        "score": item_scores.reshape(-1),
    }
    return measure_cols, items
