"""The duty and huddle view of the day for a team (CLINICAL-RULES "What a team expects on day
one"): contacts in the last 24 hours and today, urgent referrals not yet screened, today's
missed appointments, red flags, cases of absent staff, and keeping-in-touch calls due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.shortcuts import render

from caseboard.domain import clock
from caseboard.domain.flag_types import RED
from caseboard.records.models import Contact, Practitioner
from caseboard.services.policy import current_policy
from caseboard.web.accounts.access import get_team, page, visible_referrals
from caseboard.web.accounts.roles import Permission
from caseboard.web.allocation.pending import pending_leave
from caseboard.web.audit.record import record
from caseboard.web.dashboard import freshness, quarantine
from caseboard.web.dashboard.case_view import CaseView
from caseboard.web.dashboard.cases import open_cases
from caseboard.web.dashboard.navigation import nav
from caseboard.web.dashboard.pdf import filename_for, pdf_response

MISSED = ("did_not_attend", "was_not_brought")


@dataclass(frozen=True)
class ContactLine:
    at: dt.datetime
    patient_id: int
    referral_id: int
    patient_name: str
    kind: str
    outcome: str
    practitioner: str


@dataclass(frozen=True)
class Huddle:
    contacts: list[ContactLine]  # the last 24 hours and the rest of today, latest first
    missed_today: list[ContactLine]
    unscreened: list[CaseView]  # urgent and not screened, or UNSCREENED raised
    red: list[CaseView]
    # The lead has left or is long-term absent (ORPHANED_CASE), or is away today (cover.py).
    absent_staff: list[CaseView]
    kit_due: list[CaseView]


def sections(cases: list[CaseView], contacts: list[ContactLine], today: dt.date) -> Huddle:
    """The huddle's lists from the team's open cases and its recent contacts (tested on plain
    values)."""
    return Huddle(
        contacts=sorted(contacts, key=lambda c: (c.at, c.referral_id), reverse=True),
        missed_today=[
            c for c in contacts if c.outcome in MISSED and clock.local(c.at).date() == today
        ],
        unscreened=[c for c in cases if "UNSCREENED" in c.codes or c.urgent_unscreened],
        red=[c for c in cases if any(flag.state == RED for flag in c.flags)],
        absent_staff=[c for c in cases if "ORPHANED_CASE" in c.codes or c.lead_away],
        kit_due=[c for c in cases if "KIT_DUE" in c.codes],
    )


def _contacts(referrals, names: dict[int, str], now: dt.datetime) -> list[ContactLine]:
    end_of_today = clock.local(now).replace(hour=23, minute=59, second=59)
    rows = (
        Contact.objects.filter(
            referral__in=referrals,
            starts_at__gte=now - dt.timedelta(hours=24),
            starts_at__lte=end_of_today,
        )
        .select_related("referral__patient")
        .order_by("-starts_at", "-pk")
    )
    return [
        ContactLine(
            at=contact.starts_at,
            patient_id=contact.referral.patient_id,
            referral_id=contact.referral_id,
            patient_name=(
                f"{contact.referral.patient.family_name.upper()}, "
                f"{contact.referral.patient.given_name}"
            ),
            kind=contact.kind,
            outcome=contact.outcome,
            practitioner=names.get(contact.practitioner_id, "unknown"),
        )
        for contact in rows
    ]


@page(Permission.VIEW_TEAM)
def huddle(request, team_id: int):
    team = get_team(request.access, team_id)
    referrals = visible_referrals(request.access).filter(team_id=team.pk)
    now = clock.now()
    names = dict(Practitioner.objects.values_list("pk", "name"))
    cases = open_cases(referrals)
    contacts = _contacts(referrals, names, now)
    day = sections(cases, contacts, clock.today())
    listed = day.unscreened + day.red + day.absent_staff + day.kit_due
    shown = {(c.patient_id, c.referral_id) for c in [*listed, *day.contacts]}
    record(
        request,
        action="view_huddle",
        object_kind="team",
        object_id=team.pk,
        patients=sorted(shown),
    )
    context = {
        "wide": True,
        "title": f"{team.name}: huddle",
        "team": team,
        "day": day,
        "quarantined": quarantine.touched(referrals),
        "pending_leave": pending_leave(team.pk, clock.today()),
        "today": clock.today(),
        "freshness": freshness.current(current_policy()),
        "nav": nav(request.access, request.path),
    }
    if request.GET.get("format") == "pdf":
        name = filename_for(context["title"], context["today"])
        return pdf_response(request, "dashboard/huddle.html", context, name)
    return render(request, "dashboard/huddle.html", context)
