"""Flag acknowledgements and snoozes as the pages read and write them (rules in
domain/acknowledgement.py): the latest per referral and flag, whether it still holds, and the
view that records one, audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from caseboard.contract.schema_snapshot import CASE_FLAGS
from caseboard.domain import acknowledgement as rules
from caseboard.domain import clock
from caseboard.domain.flag_types import flag_column
from caseboard.engine.rules.inputs import rule_inputs
from caseboard.records.models import CaseSnapshot
from caseboard.services.policy import current_policy
from caseboard.web.accounts.access import get_referral, page
from caseboard.web.accounts.models import User
from caseboard.web.accounts.roles import Permission
from caseboard.web.audit.record import record
from caseboard.web.supervision.models import (
    FlagAcknowledgement,
    SupervisionAttendee,
    SupervisionSession,
)

Held = dict[str, tuple[rules.Acknowledgement, bool]]  # code -> (latest, still in force)
CODES = frozenset(flag.code for flag in CASE_FLAGS)


def _first_session_after(practitioner_id: int | None, day: dt.date) -> dt.date | None:
    """The lead's first signed caseload supervision session held after ``day``."""
    if practitioner_id is None:
        return None
    sessions = SupervisionSession.objects.filter(
        pk__in=SupervisionAttendee.objects.filter(practitioner_id=practitioner_id).values(
            "session_id"
        ),
        kind="caseload",
        signed_off_at__isnull=False,
        held_on__gt=day,
    )
    return sessions.aggregate(first=Min("held_on"))["first"]


def held(snapshots: Mapping[int, Mapping[str, Any]], today: dt.date) -> dict[int, Held]:
    """For each referral, the latest acknowledgement of each flag and whether it holds."""
    latest: dict[tuple[int, str], Any] = {}
    for ack in FlagAcknowledgement.objects.filter(referral_id__in=list(snapshots)).order_by(
        "recorded_at", "pk"
    ):
        latest[(ack.referral_id, ack.code)] = ack
    authors = {ack.by_id for ack in latest.values()}
    names = dict(User.objects.filter(pk__in=authors).values_list("pk", "username"))
    found: dict[int, Held] = {}
    for (referral_id, code), ack in latest.items():
        row = snapshots[referral_id]
        acknowledgement = rules.Acknowledgement(
            code=code,
            kind=ack.kind,
            until=ack.until,
            evidence_hash=ack.evidence_hash,
            recorded_on=clock.local(ack.recorded_at).date(),
            # The hash holds the state, so while it matches the flag is as red as when snoozed.
            red_safety=ack.kind == rules.SNOOZED and _red(row, code),
            by=names.get(ack.by_id, "unknown"),
            reason=ack.reason,
        )
        session = None
        if acknowledgement.red_safety:
            session = _first_session_after(
                row.get("lead_practitioner_id"), acknowledgement.recorded_on
            )
        holds = rules.in_force(
            acknowledgement,
            row,
            inputs=rule_inputs()[code],
            today=today,
            lead_session_since=session,
        )
        found.setdefault(referral_id, {})[code] = (acknowledgement, holds)
    return found


def _red(row: Mapping[str, Any], code: str) -> bool:
    return rules.is_red_safety(code, row[flag_column(code)])


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise rules.Refused(f"{text!r} is not a date (YYYY-MM-DD)") from None


@require_POST
@page(Permission.ACKNOWLEDGE_FLAGS)
def acknowledge(request, referral_id: int, code: str) -> HttpResponse:
    referral = get_referral(request.access, referral_id)
    row = CaseSnapshot.objects.filter(referral_id=referral.pk).values().first()
    if code not in CODES or row is None:
        return _refused(request, referral, code, "this flag is not raised on the case")
    kind = request.POST.get("kind", "")
    reason = request.POST.get("reason", "")
    state = row[flag_column(code)]
    try:
        until = _date(request.POST.get("until", "")) if kind == rules.SNOOZED else None
        rules.check(
            code=code,
            state=state,
            kind=kind,
            until=until,
            reason=reason,
            today=clock.today(),
            may_snooze_safety=request.access.can(Permission.SNOOZE_SAFETY_FLAGS),
            policy=current_policy(),
        )
    except rules.Refused as refusal:
        return _refused(request, referral, code, str(refusal))
    with transaction.atomic():
        FlagAcknowledgement.objects.create(
            referral_id=referral.pk,
            code=code,
            raised_on=row["as_of"],
            kind=kind,
            until=until,
            reason=reason.strip(),
            by_id=request.user.pk,
            evidence_hash=rules.evidence_hash(code, row, rule_inputs()[code]),
            recorded_at=clock.now(),
        )
        record(
            request,
            action="snooze_flag" if kind == rules.SNOOZED else "acknowledge_flag",
            object_kind="flag",
            object_id=code,
            reason=reason.strip(),
            patients=[(referral.patient_id, referral.pk)],
        )
    return redirect(reverse("referral", args=[referral.pk]) + f"#flag-{code.lower()}")


def _refused(request, referral, code: str, message: str) -> HttpResponse:
    from caseboard.web.dashboard.episode import render_episode

    return render_episode(request, referral, error=(code, message), status=400)
