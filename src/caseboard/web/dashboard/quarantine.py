"""The cases the last import left incomplete (CLINICAL-RULES hazard H3): a case is marked when a
row the last import quarantined names its referral or its patient by source id.

The last import is the one the freshness banner reports (freshness.current): the latest that
is not still running.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from caseboard.records.models import ImportBatch, QuarantinedRow


@dataclass(frozen=True)
class Quarantined:
    file: str
    row_number: int
    field: str | None
    reason: str


def _last_import_rows() -> QuerySet:
    last = ImportBatch.objects.exclude(status="running").order_by("-started_at", "-pk")
    return QuarantinedRow.objects.filter(import_batch_id__in=last.values("pk")[:1])


def touched(referrals: QuerySet) -> frozenset[int]:
    """The ids of ``referrals`` that a row quarantined by the last import names: one query."""
    rows = _last_import_rows()
    referrals_named = rows.filter(referral_source_id__isnull=False).values("referral_source_id")
    patients_named = rows.filter(patient_source_id__isnull=False).values("patient_source_id")
    named = Q(source_id__in=referrals_named) | Q(patient__source_id__in=patients_named)
    return frozenset(referrals.filter(named).values_list("pk", flat=True))


def rows_for(referral) -> list[Quarantined]:
    """The rows the last import quarantined that name this referral or its patient."""
    named = Q(referral_source_id=referral.source_id) | Q(
        patient_source_id=referral.patient.source_id
    )
    return [
        Quarantined(row.file, row.row_number, row.field, row.reason)
        for row in _last_import_rows().filter(named).order_by("file", "row_number", "pk")
    ]
