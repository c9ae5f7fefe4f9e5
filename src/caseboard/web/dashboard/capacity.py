"""The team's capacity view: each practitioner's lead cases against capacity (the count rule of
OVER_CAPACITY), the advisory weighted load, high-risk share, supervision, modalities and leave;
with the team's unallocated and orphaned cases (CLINICAL-RULES "What a team expects on day one"
1 and 2). Read from the tier summaries the last refresh wrote."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.shortcuts import render

from caseboard.domain import clock
from caseboard.engine.summaries import STATE_OF_VALUE
from caseboard.records.models import Absence, Practitioner, PractitionerModality, TierSummary
from caseboard.services.policy import current_policy
from caseboard.web.accounts.access import get_team_aggregates, page
from caseboard.web.accounts.roles import Permission
from caseboard.web.allocation.pending import with_pending_leave
from caseboard.web.allocation.scope import allocation_team_ids
from caseboard.web.audit.record import record
from caseboard.web.dashboard import freshness
from caseboard.web.dashboard.navigation import nav
from caseboard.web.dashboard.pdf import filename_for, pdf_response


def role_text(role: str) -> str:
    """'high intensity therapist', 'PWP', 'trainee PWP'."""
    return role.replace("_", " ").replace("pwp", "PWP")


@dataclass(frozen=True)
class PractitionerLoad:
    practitioner_id: int
    name: str
    role: str
    wte: float
    lead_cases: int | None
    capacity: float | None  # None: the role has no cap
    over_capacity: str  # the OVER_CAPACITY state: clear, amber, not_applicable, cannot_assess
    weighted_load: float | None  # advisory: unvalidated until calibrated
    high_risk_share: float | None
    high_risk_flag: str
    level_recorded: bool  # the service records risk levels (HIGH_RISK applies to some case)
    supervision_flag: str
    modalities: tuple[str, ...]
    away: str  # "long-term sickness since 4 Oct 2026 (cover: Ann Lee)", or ""

    @property
    def used(self) -> float | None:
        if self.capacity in (None, 0) or self.lead_cases is None:
            return None
        return self.lead_cases / self.capacity


def _state(value: float | None) -> str:
    return STATE_OF_VALUE.get(value, "cannot_assess")


def loads(
    practitioners: list[dict],
    measures: dict[int, dict[str, float | None]],
    modalities: dict[int, list[str]],
    away: dict[int, str],
) -> list[PractitionerLoad]:
    """One row per practitioner, the most over capacity first (tested on plain values)."""
    rows = []
    for person in practitioners:
        got = measures.get(person["id"], {})
        lead = got.get("lead_cases")
        rows.append(
            PractitionerLoad(
                practitioner_id=person["id"],
                name=person["name"],
                role=role_text(person["role"]),
                wte=person["wte"],
                lead_cases=None if lead is None else int(lead),
                capacity=got.get("capacity"),
                over_capacity=_state(got.get("flag_over_capacity")),
                weighted_load=got.get("weighted_load"),
                high_risk_share=got.get("high_risk_share"),
                high_risk_flag=_state(got.get("flag_high_risk_share")),
                level_recorded=bool(got.get("high_risk_recorded_cases")),
                supervision_flag=_state(got.get("flag_supervision_due")),
                modalities=tuple(sorted(modalities.get(person["id"], []))),
                away=away.get(person["id"], ""),
            )
        )
    return sorted(rows, key=lambda r: (-(r.used or 0), r.name))


def _away(ids: list[int], names: dict[int, str], today: dt.date) -> dict[int, str]:
    current = Absence.objects.filter(practitioner_id__in=ids, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    found = {}
    for absence in current.order_by("starts_on"):
        cover = names.get(absence.cover_practitioner_id) if absence.cover_practitioner_id else None
        found[absence.practitioner_id] = (
            f"{absence.kind.replace('_', ' ')} since {absence.starts_on:%-d %b %Y}"
            + (f" (cover: {cover})" if cover else " (no cover recorded)")
        )
    return found


@page(Permission.VIEW_TEAM, Permission.VIEW_SERVICE)
def capacity(request, team_id: int):
    team = get_team_aggregates(request.access, team_id)
    today = clock.today()
    people = list(
        Practitioner.objects.filter(team_id=team.pk, active=True)
        .values("id", "name", "role", "wte")
        .order_by("name")
    )
    ids = [person["id"] for person in people]
    measures: dict[int, dict[str, float | None]] = defaultdict(dict)
    for tier_id, measure, value in TierSummary.objects.filter(
        month__isnull=True, tier="practitioner", tier_id__in=ids
    ).values_list("tier_id", "measure", "value"):
        measures[tier_id][measure] = value
    team_measures = dict(
        TierSummary.objects.filter(month__isnull=True, tier="team", tier_id=team.pk).values_list(
            "measure", "value"
        )
    )
    modalities: dict[int, list[str]] = defaultdict(list)
    for practitioner_id, modality in PractitionerModality.objects.filter(
        practitioner_id__in=ids
    ).values_list("practitioner_id", "modality"):
        modalities[practitioner_id].append(modality.replace("_", " "))
    names = dict(Practitioner.objects.values_list("pk", "name"))
    away = with_pending_leave(_away(ids, names, today), team_id=team.pk, today=today)
    rows = loads(people, measures, modalities, away)
    record(request, action="view_capacity", object_kind="team", object_id=team.pk)
    context = {
        "wide": True,
        "title": f"{team.name}: capacity",
        "team": team,
        "rows": rows,
        "team_measures": team_measures,
        "computed": bool(team_measures),
        "may_allocate": team.pk in allocation_team_ids(request.access),
        "freshness": freshness.current(current_policy()),
        "nav": nav(request.access, request.path),
    }
    if request.GET.get("format") == "pdf":
        name = filename_for(context["title"], today)
        return pdf_response(request, "dashboard/capacity.html", context, name)
    return render(request, "dashboard/capacity.html", context)
