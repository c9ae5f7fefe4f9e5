"""The audit helper: who saw or changed which patient's record, and when.

One audit_event per request or action, one audit_event_patient per patient shown (list pages
included), written together in one transaction. Rows carry ids, not foreign keys, so they survive
whatever they describe.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest

from caseboard.domain import clock
from caseboard.web.audit.models import AuditEvent, AuditEventPatient


def record(
    request: HttpRequest,
    *,
    action: str,
    patients: Iterable[tuple[int, int | None]] = (),
    object_kind: str | None = None,
    object_id: object = None,
    reason: str | None = None,
):
    """Write one event for ``request`` and a row per (patient_id, referral_id) shown or changed."""
    shown = list(dict.fromkeys(patients))
    user = request.user
    with transaction.atomic():
        event = AuditEvent.objects.create(
            at=clock.now(),
            user_id=user.pk if user.is_authenticated else None,
            username=user.get_username() if user.is_authenticated else "",
            action=action,
            method=request.method or "",
            path=request.get_full_path(),
            object_kind=object_kind,
            object_id=None if object_id is None else str(object_id),
            reason=reason,
            patient_count=len(shown),
        )
        AuditEventPatient.objects.bulk_create(
            AuditEventPatient(audit_event_id=event.pk, patient_id=patient, referral_id=referral)
            for patient, referral in shown
        )
    return event
