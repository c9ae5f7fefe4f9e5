"""A Talking Therapies trust at scale: vectorised generation in blocks, written in chunks.

``generate(params)`` in trust.py builds the demo trust row by row, with every story the screens
need (the leaver's orphaned cases, the supervisor's two teams, signed discussions). This module
builds the bulk a benchmark or a regional demo needs, up to millions of referrals, with numpy:

- the organisation (services, teams, practitioners, leave) is the same as trust.py's, drawn
  for a Talking Therapies service scaled to the number of referrals;
- referrals are cut into fixed blocks of ``BLOCK`` referrals. Block ``b`` draws from its own
  generator, ``default_rng(SeedSequence(seed, spawn_key=(b,)))`` (the ``b``-th child that
  ``SeedSequence(seed).spawn`` would give), and its row ids follow from the rows of the blocks
  before it. A chunk is any run of whole blocks, so the tables are the same whatever the chunk
  size; ``write_parquet`` re-cuts rows into fixed row groups, so the files are byte-identical too;
- each referral follows the Talking Therapies script of tt_script.py, as the demo trust's do
  (screening, assessment, treatment at step 2 or 3, keeping-in-touch calls while waiting for
  step 3, drop-out after missed sessions) and the score trajectories of measures.py, with the
  same tuned constants, so the published figures of published.py hold for a scaled trust as for
  the demo trust.

Simplifications against the demo generator (said here so nobody mistakes them for data): no
step-ups, co-workers, leavers' orphaned cases or supervision history; one lead per referral, a
PWP at step 2 and a step 3 therapist at step 3; about one referral in twelve is a second referral
of a patient of the same block; NHS numbers run out after about 909,000 patients (the 999 test
range), after which nhs_number is null.

The parts: bulk_context.py (the shared organisation), bulk_block.py (one block, with
tt_script.py, bulk_patients.py and bulk_measures.py), bulk_arrow.py (Arrow tables and Parquet row
groups) and bulk_draw.py (vectorised draws).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from caseboard.contract import schema
from caseboard.synthetic import vocab, writers
from caseboard.synthetic.bulk_arrow import FOREIGN_KEYS, RowGroups, to_arrow
from caseboard.synthetic.bulk_block import PATIENTS_PER_BLOCK, build_block
from caseboard.synthetic.bulk_context import ORG_TABLES, Context, context
from caseboard.synthetic.bulk_draw import block_rng
from caseboard.synthetic.params import Params
from caseboard.synthetic.rows import arrow_schema

__all__ = ["BLOCK", "block_rng", "generate_tables", "iter_chunks", "scaled_params", "write_parquet"]

BLOCK = 4096  # referrals per random block: the unit of determinism
ROW_GROUP = 1 << 20  # rows per Parquet row group, whatever the chunk size
REFERRALS_PER_TEAM = 25_000
REFERRALS_PER_PRACTITIONER = 400
BULK_TABLES = ("patient", "referral", "referral_care_team", "contact", "measure", "measure_item")
TABLE_NAMES = ORG_TABLES + BULK_TABLES


def scaled_params(referrals: int, *, seed: int = 1, as_of: dt.date, years: int = 2) -> Params:
    """Params for a Talking Therapies trust of this many referrals, with staff to match."""
    teams = max(1, min(len(vocab.TEAM_AREAS) * 25, referrals // REFERRALS_PER_TEAM))
    practitioners = max(teams * 4, referrals // REFERRALS_PER_PRACTITIONER)
    return Params(
        seed=seed,
        as_of=as_of,
        referrals=referrals,
        years=years,
        services=1,
        teams=teams,
        practitioners=practitioners,
    )


def blocks(params: Params) -> int:
    return -(-params.referrals // BLOCK)


def iter_chunks(
    params: Params, *, chunk_referrals: int = 65_536, ctx: Context | None = None
) -> Iterator[dict[str, pa.Table]]:
    """The bulk tables, a chunk of whole blocks at a time, with global ids. The rows are the
    same whatever ``chunk_referrals`` (rounded up to whole blocks)."""
    ctx = ctx or context(params)
    per_chunk = max(1, -(-chunk_referrals // BLOCK))
    next_id = dict.fromkeys(BULK_TABLES, 1)
    total = blocks(params)
    for first in range(0, total, per_chunk):
        parts: dict[str, list[pa.Table]] = {name: [] for name in BULK_TABLES}
        for block in range(first, min(total, first + per_chunk)):
            n = min(BLOCK, params.referrals - block * BLOCK)
            placed = build_block(ctx, block, n)
            offsets = dict(next_id)
            # The patients of block b are numbered after those of the blocks before it.
            offsets["patient"] = block * PATIENTS_PER_BLOCK + 1
            for (table, column), target in FOREIGN_KEYS.items():
                values = placed.tables[table][column]
                placed.tables[table][column] = values + offsets[target]
            for name in BULK_TABLES:
                parts[name].append(to_arrow(name, placed.tables[name], offsets[name]))
                next_id[name] = offsets[name] + placed.counts[name]
        yield {name: pa.concat_tables(tables) for name, tables in parts.items()}


def generate_tables(params: Params, *, chunk_referrals: int = 65_536) -> dict[str, pa.Table]:
    """The whole scaled trust in memory (for small sizes and tests), in load order."""
    ctx = context(params)
    chunks = list(iter_chunks(params, chunk_referrals=chunk_referrals, ctx=ctx))
    bulk = {name: pa.concat_tables([c[name] for c in chunks]) for name in BULK_TABLES}
    tables = {**ctx.org_tables, **bulk}
    return {t.name: tables[t.name] for t in schema.load_order() if t.name in tables}


def write_parquet(
    params: Params,
    out_dir: Path | str,
    *,
    chunk_referrals: int = 65_536,
    rows_per_group: int = ROW_GROUP,
) -> dict[str, Any]:
    """Generate and write the scaled trust as mirror Parquet, a chunk at a time; returns the
    manifest. The bytes are the same whatever ``chunk_referrals``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ctx = context(params)
    counts: dict[str, int] = {}
    for name, table in ctx.org_tables.items():
        pq.write_table(table, out / f"{name}.parquet", **writers.PARQUET_OPTIONS)
        counts[name] = table.num_rows
    groups = {
        name: RowGroups(out / f"{name}.parquet", arrow_schema(schema.table(name)), rows_per_group)
        for name in BULK_TABLES
    }
    for chunk in iter_chunks(params, chunk_referrals=chunk_referrals, ctx=ctx):
        for name, table in chunk.items():
            groups[name].add(table)
    for name, group in groups.items():
        group.close()
        counts[name] = group.total
    ordered = {t.name: counts[t.name] for t in schema.load_order() if t.name in counts}
    notes = [
        "Datetimes are UTC instants; dates are Europe/London calendar dates.",
        "A scaled Talking Therapies trust (synthetic.scale): no supervision history.",
    ]
    return writers._manifest(
        out, params, writers.MIRROR_FORMAT, ordered, "parquet", notes, generator_mode="scale"
    )
