"""The facts each case flag's rule reads, found in the rule's own expression (never listed by
hand). An acknowledgement hashes them with the flag's state (domain/acknowledgement.py), so a
change in any of them raises the flag again (hazard H5).

The snapshot's facts are built as an unbound expression over the declared tables (no backend,
no data), each flag's state is built over them as the snapshot builds it (applicability and
hold-backs included), and the fact columns its expression references are its inputs. The facts
counted in days from as_of stand for the date they count from: the passing of time alone never
raises a flag again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

import ibis
import ibis.expr.operations as ops

from caseboard.contract import schema
from caseboard.contract.schema_snapshot import CASE_FLAGS
from caseboard.domain.flag_types import flag_column
from caseboard.domain.policy import DEFAULT_POLICY
from caseboard.engine.rules.common import Context

IBIS_TYPES = {
    "integer": "int64",
    "float": "float64",
    "text": "string",
    "boolean": "boolean",
    "date": "date",
    "datetime": "timestamp('UTC')",
}
# Facts worked out from as_of, and the dated fact each counts from.
COUNTED_FROM_AS_OF = {
    "days_since_received": "received_on",
    "days_since_last_attended": "last_attended_on",
}


class _Unbound:
    """Stands in for a backend: each declared table as an unbound Ibis table."""

    name = "unbound"

    def table(self, name: str) -> ibis.Table:
        declared = schema.table(name)
        return ibis.table({c.name: IBIS_TYPES[c.type] for c in declared.columns}, name=name)


@cache
def rule_inputs() -> Mapping[str, tuple[str, ...]]:
    """Each case flag's code -> the snapshot columns its state is computed from, sorted."""
    from caseboard.engine import rules
    from caseboard.engine.snapshot import build_flagged

    as_of = dt.date(2026, 1, 1)  # any day: which facts a rule reads does not depend on it
    flagged = build_flagged(_Unbound(), as_of=as_of)
    states = {flag_column(flag.code) for flag in CASE_FLAGS}
    facts = ibis.table(
        {name: kind for name, kind in flagged.schema().items() if name not in states},
        name="facts",
    )
    computed = rules.flag_states(facts, Context(as_of, DEFAULT_POLICY))
    found: dict[str, tuple[str, ...]] = {}
    for flag in CASE_FLAGS:
        read = {
            field.name
            for field in computed[flag_column(flag.code)].op().find(ops.Field)
            if field.rel == facts.op()
        }
        read = {COUNTED_FROM_AS_OF.get(name, name) for name in read} - {"as_of"}
        found[flag.code] = tuple(sorted(read))
    return MappingProxyType(found)
