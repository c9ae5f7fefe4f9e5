"""One supervisee at a time: the cases they lead, as every case list shows them, and their
trends. Only the user's own supervisees; anyone else's answers 404."""

from __future__ import annotations

from django.urls import reverse

from caseboard.domain import clock
from caseboard.web.accounts.access import (
    current_care_team,
    get_supervisee,
    page,
    visible_referrals,
)
from caseboard.web.accounts.roles import Permission
from caseboard.web.dashboard import trends
from caseboard.web.dashboard.navigation import nav
from caseboard.web.dashboard.views import _case_list


@page(Permission.VIEW_SUPERVISEE_CASELOADS)
def caseload(request, practitioner_id: int):
    access = request.access
    person = get_supervisee(access, practitioner_id)
    led = current_care_team(clock.today()).filter(role="lead", practitioner_id=person.pk)
    referrals = visible_referrals(access).filter(pk__in=led.values("referral_id"))
    return _case_list(
        request,
        title=f"{person.name}: caseload",
        referrals=referrals,
        action="view_supervisee_caseload",
        object_kind="practitioner",
        object_id=person.pk,
        caption=f"Cases {person.name} leads",
        extra={
            "before_list": "dashboard/_supervisee_links.html",
            "supervisee": person,
            "nav": nav(access, reverse("supervisees")),
        },
    )


@page(Permission.VIEW_SUPERVISEE_CASELOADS)
def supervisee_trends(request, practitioner_id: int):
    person = get_supervisee(request.access, practitioner_id)
    return trends.practitioner_trends(
        request,
        person.pk,
        title=f"{person.name}: trends",
        filename=f"practitioner-{person.pk}-trends.csv",
    )
