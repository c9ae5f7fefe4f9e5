"""Append-only audit rows, without foreign keys, so they outlive what they describe."""

from caseboard.records.models.build import build_area

_models = build_area("audit", module=__name__)

AuditEvent = _models["AuditEvent"]
AuditEventPatient = _models["AuditEventPatient"]
