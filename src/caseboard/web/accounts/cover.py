"""Leave cover (DESIGN "Case ownership"; CLINICAL-RULES "What a team expects on day one" 5):
while a practitioner is away, the cover named for the period sees the cases they lead, with
their flags, on the cover's own caseload, and the duty view lists them.

An absence is in force on a day from its start to its end inclusive (an empty end is open). It
comes from the record (``absence``, loaded by an import) or from an absence recorded in Caseboard
and still pending in the EPR (``absence_request``): a case must not go unwatched while the EPR
catches up, and seeing it clears no flag (ORPHANED_CASE still reads the record). A request the
record already confirms is the record's row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import asdict, astuple, dataclass

from django.db.models import Q

from caseboard.records.models import Absence, AbsenceRequest
from caseboard.web.allocation import status


@dataclass(frozen=True)
class Away:
    practitioner_id: int
    kind: str
    starts_on: dt.date
    ends_on: dt.date | None
    cover_practitioner_id: int | None
    pending: bool  # recorded in Caseboard, not yet in the EPR


def _in_force(on: dt.date) -> Q:
    return Q(starts_on__lte=on) & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def away_on(
    on: dt.date,
    *,
    practitioner_ids: Collection[int] | None = None,
    cover_ids: Collection[int] | None = None,
) -> list[Away]:
    """The absences in force on ``on`` of ``practitioner_ids``, or covered by ``cover_ids``."""
    chosen = _in_force(on)
    if practitioner_ids is not None:
        chosen &= Q(practitioner_id__in=list(practitioner_ids))
    if cover_ids is not None:
        chosen &= Q(cover_practitioner_id__in=list(cover_ids))
    fields = ("practitioner_id", "kind", "starts_on", "ends_on", "cover_practitioner_id")
    recorded = [
        status.AbsenceRow(*row) for row in Absence.objects.filter(chosen).values_list(*fields)
    ]
    found = [Away(*astuple(row), pending=False) for row in recorded]
    requests = AbsenceRequest.objects.filter(chosen, withdrawn_at__isnull=True).values_list(*fields)
    for row in requests:
        request = status.AbsenceRow(*row)
        if status.confirming_absence_row(**asdict(request), rows=recorded) is None:
            found.append(Away(*row, pending=True))
    # The record's first, then the earliest.
    return sorted(found, key=lambda a: (a.practitioner_id, a.pending, a.starts_on))


def covered_for(practitioner_ids: Collection[int], on: dt.date) -> frozenset[int]:
    """The practitioners whose cases ``practitioner_ids`` cover on ``on``."""
    if not practitioner_ids:
        return frozenset()
    return frozenset(a.practitioner_id for a in away_on(on, cover_ids=practitioner_ids))


KIND_WORDS = {
    "annual_leave": "annual leave",
    "sickness": "sick leave",
    "long_term_sickness": "long-term sick leave",
    "parental": "parental leave",
    "study": "study leave",
    "other": "leave",
}


def away_text(away: Away, names: dict[int, str]) -> str:
    """'on annual leave until 12 Dec 2026 (cover: Bo Chan, pending in the EPR)', shown beside
    the absent lead's name."""
    until = f"until {away.ends_on.day} {away.ends_on:%b %Y}" if away.ends_on else "return not known"
    cover = names.get(away.cover_practitioner_id or 0)
    parts = [f"cover: {cover}" if cover else "no cover named"]
    if away.pending:
        parts.append("pending in the EPR")
    return f"on {KIND_WORDS.get(away.kind, 'leave')} {until} ({', '.join(parts)})"


def lead_absences(lead_ids: Collection[int], on: dt.date, names: dict[int, str]) -> dict[int, str]:
    """Lead practitioner id -> what their absence in force on ``on`` says (the first, if several
    overlap), for every lead of ``lead_ids`` who is away; ``names``: practitioner id -> name."""
    away = away_on(on, practitioner_ids=lead_ids) if lead_ids else []
    said: dict[int, str] = {}
    for each in away:
        said.setdefault(each.practitioner_id, away_text(each, names))
    return said
