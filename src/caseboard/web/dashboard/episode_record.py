"""What the episode page lists from the record beside the flags: measures with their severity
band and caseness, care documents with review dates, safeguarding, risk, events, supervision
discussions and actions. Plain rows for the template; "unknown" where the record holds none."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caseboard.domain.evidence import instrument_name
from caseboard.domain.measures import BANDS, band
from caseboard.domain.policy import Policy
from caseboard.records.models import (
    CareDocument,
    Event,
    Measure,
    RiskInformation,
    SafeguardingConcern,
)
from caseboard.web.supervision.models import SupervisionAction, SupervisionDiscussion

CASENESS = ("phq9", "gad7", "spin", "pcl5", "pdss", "oci_r", "shai", "mi")


def measures(referral_id: int, policy: Policy) -> list[dict[str, Any]]:
    rows = []
    for measure in Measure.objects.filter(referral_id=referral_id).order_by("-measured_on", "-pk"):
        instrument = measure.instrument
        cut_off = policy.caseness(instrument) if instrument in CASENESS else None
        rows.append(
            {
                "on": measure.measured_on,
                "instrument": instrument_name(instrument),
                "score": measure.score,
                "band": band(instrument, measure.score) if instrument in BANDS else "",
                "caseness": (
                    ""
                    if cut_off is None
                    else ("in caseness" if measure.score >= cut_off else "below caseness")
                ),
                "cut_off": cut_off,
            }
        )
    return rows


def documents(referral_id: int, today: dt.date) -> list[dict[str, Any]]:
    return [
        {
            "kind": doc.kind.replace("_", " "),
            "completed_on": doc.completed_on,
            "review_due_on": doc.review_due_on,
            "overdue": doc.review_due_on is not None and doc.review_due_on < today,
        }
        for doc in CareDocument.objects.filter(referral_id=referral_id).order_by(
            "kind", "-completed_on", "-pk"
        )
    ]


def patient_record(patient_id: int) -> dict[str, list[Any]]:
    return {
        "safeguarding": list(
            SafeguardingConcern.objects.filter(patient_id=patient_id).order_by("-opened_on")
        ),
        "risks": list(
            RiskInformation.objects.filter(patient_id=patient_id).order_by("-recorded_on", "-pk")
        ),
        "events": list(Event.objects.filter(patient_id=patient_id).order_by("-occurred_on")),
    }


def supervision(referral_id: int) -> dict[str, list[Any]]:
    return {
        "discussions": list(
            SupervisionDiscussion.objects.filter(referral_id=referral_id).order_by(
                "-session_date", "-pk"
            )
        ),
        "actions": list(
            SupervisionAction.objects.filter(referral_id=referral_id).order_by("-due_on", "-pk")
        ),
    }
