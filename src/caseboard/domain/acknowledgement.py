"""Acknowledging and snoozing a flag (DESIGN "Flags"; CLINICAL-RULES hazard H5).

A flag is never deleted: an acknowledgement is kept beside it, tied to the flag's evidence (a
hash of its state and the facts its rule reads: ``inputs``, which the engine finds in the rule's
own expression, engine/rules/inputs.py). When the case worsens (a new DNA, a higher
score, a new risk row, amber turning red) the hash changes and the flag is raised again. A
snooze lasts at most ``policy.snooze_maximum_days`` (28). Only a supervisor may snooze a red
safety flag, and only until the lead's next signed supervision session. NOT_CASENESS is cleared
only by a signed discussion, never by an acknowledgement (CLINICAL-RULES §2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from caseboard.domain.flag_types import RAISED, RED, flag_column
from caseboard.domain.flags import SAFETY_CODES
from caseboard.domain.policy import Policy

ACKNOWLEDGED, SNOOZED = "acknowledged", "snoozed"
NOT_ACKNOWLEDGEABLE = frozenset({"NOT_CASENESS"})


class Refused(ValueError):
    """An acknowledgement or snooze the rules do not allow; the message says why."""


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def evidence_hash(code: str, row: Mapping[str, Any], inputs: Sequence[str]) -> str:
    """The flag's state and the facts its rule reads (``inputs``), hashed: equal while nothing
    changed."""
    state = row[flag_column(code)]
    parts = [code, str(state), *(f"{name}={_text(row[name])}" for name in inputs)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def is_red_safety(code: str, state: str) -> bool:
    return code in SAFETY_CODES and state == RED


def check(
    *,
    code: str,
    state: str,
    kind: str,
    until: dt.date | None,
    reason: str,
    today: dt.date,
    may_snooze_safety: bool,
    policy: Policy,
) -> None:
    """Raise Refused unless this acknowledgement or snooze is allowed."""
    if kind not in (ACKNOWLEDGED, SNOOZED):
        raise Refused(f"{kind!r} is neither an acknowledgement nor a snooze")
    if state not in RAISED:
        raise Refused("only a raised flag can be acknowledged or snoozed")
    if code in NOT_ACKNOWLEDGEABLE:
        raise Refused(f"{code} clears only with a signed supervision discussion")
    if not reason.strip():
        raise Refused("give a reason")
    if kind == ACKNOWLEDGED:
        return
    if until is None:
        raise Refused("a snooze needs an end date")
    if until <= today:
        raise Refused("a snooze must end after today")
    latest = today + dt.timedelta(days=policy.snooze_maximum_days)
    if until > latest:
        raise Refused(f"a snooze lasts at most {policy.snooze_maximum_days} days (to {latest})")
    if is_red_safety(code, state) and not may_snooze_safety:
        raise Refused("only a supervisor may snooze a red safety flag")


@dataclass(frozen=True)
class Acknowledgement:
    code: str
    kind: str  # acknowledged or snoozed
    until: dt.date | None
    evidence_hash: str
    recorded_on: dt.date
    red_safety: bool  # a red safety flag when it was snoozed
    by: str = ""
    reason: str = ""


def in_force(
    ack: Acknowledgement,
    row: Mapping[str, Any],
    *,
    inputs: Sequence[str],
    today: dt.date,
    lead_session_since: dt.date | None,
) -> bool:
    """Whether ``ack`` still holds for the flag in ``row``, whose rule reads ``inputs``.
    ``lead_session_since``: the date of the lead's first signed supervision session after the
    acknowledgement, if any."""
    if row[flag_column(ack.code)] not in RAISED:
        return False
    if ack.evidence_hash != evidence_hash(ack.code, row, inputs):
        return False  # the case changed: raised again
    if ack.kind == SNOOZED and (ack.until is None or today > ack.until):
        return False
    return not (ack.kind == SNOOZED and ack.red_safety and lead_session_since is not None)
