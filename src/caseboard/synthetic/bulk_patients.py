"""The patients of a block of the scaled trust, as columns."""

from __future__ import annotations

from typing import Any

import numpy as np

from caseboard.synthetic import vocab
from caseboard.synthetic.bulk_context import Context
from caseboard.synthetic.bulk_draw import NULL_INT, choice_table, draw_indices
from caseboard.synthetic.draw import Choice

ETHNICITY = Choice(vocab.ETHNIC_CATEGORIES)


def patient_columns(
    rng: np.random.Generator,
    ctx: Context,
    first: int,
    n: int,
    received: np.ndarray,
    team_index: np.ndarray,
) -> dict[str, Any]:
    index = np.arange(first, first + n)
    known = index < len(ctx.nhs_numbers)
    nhs = np.full(n, None, dtype=object)
    nhs[known] = ctx.nhs_numbers[index[known]].astype(str)
    sex_roll = rng.random(n)
    sex = np.select(
        [sex_roll < 0.65, sex_roll < 0.99, sex_roll < 0.995],
        ["female", "male", "other"],
        "not_known",
    ).astype(object)
    female = np.array(vocab.FEMALE_NAMES, dtype=object)
    male = np.array(vocab.MALE_NAMES, dtype=object)
    other = np.array(vocab.OTHER_NAMES, dtype=object)
    given = np.where(
        sex == "female",
        female[rng.integers(0, len(female), n)],
        np.where(
            sex == "male",
            male[rng.integers(0, len(male), n)],
            other[rng.integers(0, len(other), n)],
        ),
    )
    family = np.array(vocab.FAMILY_NAMES, dtype=object)[rng.integers(0, len(vocab.FAMILY_NAMES), n)]
    age = 18 + rng.integers(0, 67, size=(n, 2)).min(axis=1)
    birth = received[:n] - (365.25 * age).astype(np.int64) - rng.integers(0, 365, n)
    ethnic_options, _ = choice_table(ETHNICITY)
    ethnicity = np.array(ethnic_options, dtype=object)[draw_indices(rng, ETHNICITY, n)]
    ethnicity = np.where(rng.random(n) < 0.02, None, ethnicity)
    area_index = np.array([vocab.TEAM_AREAS.index(a) for a in ctx.team_areas])[team_index[:n]]
    town = rng.integers(0, 3, n)
    letters = np.array(list(vocab.POSTCODE_UNIT_LETTERS), dtype=object)
    unit = (
        rng.integers(1, 10, n).astype(str).astype(object)
        + letters[rng.integers(0, len(letters), n)]
        + letters[rng.integers(0, len(letters), n)]
    )
    postcode = (
        vocab.POSTCODE_AREA + (area_index * 3 + town + 1).astype(str).astype(object) + " " + unit
    )
    towns = np.array([vocab.AREA_TOWNS[a] for a in vocab.TEAM_AREAS], dtype=object)
    locality = towns[area_index, town]
    restricted = rng.random(n) < 0.002
    learning_disability = rng.random(n) < 0.015
    autism = rng.random(n) < np.where(learning_disability, 0.3, 0.03)
    sensory = rng.random(n) < 0.04
    interpreter = rng.random(n) < 0.04
    return {
        "nhs_number": nhs,
        "given_name": given,
        "family_name": family,
        "birth_date": birth,
        "sex": sex,
        "ethnic_category": ethnicity,
        "postcode": np.where(restricted, None, postcode),
        "locality": np.where(restricted, None, locality),
        "interpreter_needed": interpreter,
        "learning_disability": learning_disability,
        "autism": autism,
        "sensory_impairment": sensory,
        "reasonable_adjustments": interpreter
        | learning_disability
        | autism
        | sensory
        | (rng.random(n) < 0.03),
        "dependent_children": rng.random(n) < 0.3,
        "deceased_on": np.full(n, NULL_INT, dtype=np.int64),
        "restricted": restricted,
    }
