"""Supervision sessions, per-patient discussions, actions, scores, reviews, escalations and flag
acknowledgements, built from contract/schema_application.py."""

from caseboard.records.models.build import build_area

_models = build_area("supervision", module=__name__)

SupervisionSession = _models["SupervisionSession"]
SupervisionAttendee = _models["SupervisionAttendee"]
SupervisionDiscussion = _models["SupervisionDiscussion"]
SupervisionAction = _models["SupervisionAction"]
ComplexityScore = _models["ComplexityScore"]
DocumentReview = _models["DocumentReview"]
Escalation = _models["Escalation"]
FlagAcknowledgement = _models["FlagAcknowledgement"]
