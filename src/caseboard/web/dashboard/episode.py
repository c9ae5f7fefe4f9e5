"""A patient's episode page: who they are, the care team, the flags with their evidence (and
the form to acknowledge or snooze one), contacts, outcome measures, care documents,
safeguarding, risk, and supervision discussions and actions."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render

from caseboard.domain import clock
from caseboard.domain.acknowledgement import NOT_ACKNOWLEDGEABLE
from caseboard.domain.flags import SAFETY_CODES
from caseboard.records.models import CaseSnapshot, Contact, Practitioner
from caseboard.services.policy import current_policy
from caseboard.web.accounts.access import current_care_team, get_referral, page
from caseboard.web.accounts.roles import Permission
from caseboard.web.audit.record import record
from caseboard.web.dashboard import episode_record, freshness, quarantine
from caseboard.web.dashboard.acknowledgements import held
from caseboard.web.dashboard.case_view import case_view
from caseboard.web.dashboard.cases import format_nhs_number
from caseboard.web.dashboard.navigation import nav


@page(Permission.VIEW_PATIENT)
def referral(request, referral_id: int):
    return render_episode(request, get_referral(request.access, referral_id))


def render_episode(request, referral, *, error: tuple[str, str] | None = None, status: int = 200):
    """The page for ``referral`` (already checked to be in scope); ``error``: (flag code,
    why an acknowledgement was refused)."""
    patient = referral.patient
    today = clock.today()
    names = dict(Practitioner.objects.values_list("pk", "name"))
    care_team = [
        {
            "name": names.get(member.practitioner_id, "unknown"),
            "role": member.role.replace("_", "-"),
            "from": member.starts_on,
        }
        for member in current_care_team(today)
        .filter(referral_id=referral.pk)
        .order_by("role", "starts_on")
    ]
    contacts = list(Contact.objects.filter(referral_id=referral.pk).order_by("-starts_at", "-pk"))
    policy = current_policy()
    row = CaseSnapshot.objects.filter(referral_id=referral.pk).values().first()
    acknowledged = held({referral.pk: row}, today) if row else {}
    case = case_view(
        row,
        policy,
        acknowledged.get(referral.pk),
        referral_id=referral.pk,
        patient_id=patient.pk,
        patient_name=f"{patient.family_name.upper()}, {patient.given_name}",
        nhs_number=format_nhs_number(patient.nhs_number),
        team=referral.team.name,
        lead="",
        lead_id=None,
        co_workers=(),
    )
    record(
        request,
        action="view_episode",
        object_kind="referral",
        object_id=referral.pk,
        patients=[(patient.pk, referral.pk)],
    )
    return render(
        request,
        "dashboard/episode.html",
        {
            "title": case.patient_name,
            "patient": patient,
            "nhs_number": case.nhs_number,
            "referral": referral,
            "case": case,
            "care_team": care_team,
            "contacts": contacts,
            "measures": episode_record.measures(referral.pk, policy),
            "episode_facts": episode_record.episode_facts(referral, row),
            "documents": episode_record.documents(referral.pk, today),
            **episode_record.patient_record(patient.pk),
            **episode_record.supervision(referral.pk),
            "practitioner_names": names,
            "can_acknowledge": request.access.can(Permission.ACKNOWLEDGE_FLAGS),
            "not_acknowledgeable": NOT_ACKNOWLEDGEABLE,
            "safety_codes": SAFETY_CODES,
            "snooze_latest": today + dt.timedelta(days=policy.snooze_maximum_days),
            "error": error,
            "quarantined_rows": quarantine.rows_for(referral),
            "today": today,
            "freshness": freshness.current(policy),
            "nav": nav(request.access, ""),
        },
        status=status,
    )
