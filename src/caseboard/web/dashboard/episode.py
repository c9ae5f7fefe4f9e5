"""A patient's episode page (the dashboards issue fills it out)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from caseboard.records.models import Contact, Measure, Practitioner
from caseboard.web.accounts.access import current_care_team, get_referral, page
from caseboard.web.accounts.roles import Permission
from caseboard.web.audit.record import record
from caseboard.web.dashboard.cases import format_nhs_number
from caseboard.web.dashboard.navigation import nav


@page(Permission.VIEW_PATIENT)
def referral(request, referral_id: int):
    referral = get_referral(request.access, referral_id)
    patient = referral.patient
    names = dict(Practitioner.objects.values_list("pk", "name"))
    care_team = [
        {
            "name": names.get(member.practitioner_id, "unknown"),
            "role": member.role.replace("_", "-"),
            "from": member.starts_on,
        }
        for member in current_care_team(timezone.localdate())
        .filter(referral_id=referral.pk)
        .order_by("role", "starts_on")
    ]
    contacts = list(Contact.objects.filter(referral_id=referral.pk).order_by("-starts_at", "-pk"))
    measures = list(Measure.objects.filter(referral_id=referral.pk).order_by("-measured_on", "-pk"))
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
            "title": f"{patient.family_name.upper()}, {patient.given_name}",
            "patient": patient,
            "nhs_number": format_nhs_number(patient.nhs_number),
            "referral": referral,
            "care_team": care_team,
            "contacts": contacts,
            "measures": measures,
            "practitioner_names": names,
            "nav": nav(request.access, ""),
        },
    )
