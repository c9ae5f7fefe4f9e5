"""What the episode page lists from the record beside the flags: measures with their severity
band and caseness, care documents with review dates, safeguarding, risk, events, supervision
discussions and actions. Plain rows for the template; "unknown" where the record holds none."""

from __future__ import annotations

import datetime as dt
from typing import Any

from caseboard.domain.evidence import instrument_name
from caseboard.domain.evidence_text import as_date, day_text
from caseboard.domain.measures import BANDS, band
from caseboard.domain.policy import Policy
from caseboard.records.models import (
    CareDocument,
    Event,
    Measure,
    MeasureItem,
    ReferralPriorityGroup,
    RiskInformation,
    SafeguardingConcern,
)
from caseboard.web.dashboard.case_view import risk_level, words
from caseboard.web.supervision.models import SupervisionAction, SupervisionDiscussion

CASENESS = ("phq9", "gad7", "spin", "pcl5", "pdss", "oci_r", "shai", "mi")


def measures(referral_id: int, policy: Policy) -> list[dict[str, Any]]:
    """Each measure, latest first; a PHQ-9 with its item 9 (thoughts of self-harm) beside it."""
    rows = []
    taken = list(Measure.objects.filter(referral_id=referral_id).order_by("-measured_on", "-pk"))
    item9 = dict(
        MeasureItem.objects.filter(
            measure_id__in=[m.pk for m in taken if m.instrument == "phq9"], item=9
        ).values_list("measure_id", "score")
    )
    for measure in taken:
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
                "item9": item9.get(measure.pk),
            }
        )
    return rows


def episode_facts(referral: Any, row: dict[str, Any] | None) -> list[tuple[str, str]]:
    """What a supervisor asks of the episode (issue 19 item 3), "unknown" or "none" where the
    record holds nothing, and "not recorded in this service" for a risk level in Talking
    Therapies (CLINICAL-RULES section 4)."""
    talking = referral.team.service.kind == "talking_therapies"
    groups = list(
        ReferralPriorityGroup.objects.filter(referral_id=referral.pk)
        .order_by("priority_group")
        .values_list("priority_group", flat=True)
    )
    facts: list[tuple[str, str]] = []
    if talking:
        limit = referral.agreed_session_limit
        facts += [
            ("Step", str(referral.step) if referral.step else "unknown"),
            ("Problem descriptor", words(referral.problem_descriptor)),
            ("Planned treatment", words(referral.planned_intervention)),
            ("Agreed session limit", str(limit) if limit else "none agreed"),
            (
                "Keeping-in-touch calls",
                f"opted out {day_text(referral.kit_opted_out_on)}"
                if referral.kit_opted_out_on
                else "not opted out",
            ),
        ]
    else:
        facts.append(("Pathway stage", words(referral.pathway_stage)))
    facts.append(("Priority groups", ", ".join(words(g) for g in groups) or "none"))
    if row is not None:
        phq9 = row.get("phq9_last")
        if phq9 is not None:
            item9 = row.get("phq9_item9")
            on = day_text(as_date(row.get("phq9_last_on")))
            item = "not recorded" if item9 is None else str(item9)
            facts.append(
                ("Latest PHQ-9", f"{phq9:g} on {on}; item 9 (thoughts of self-harm): {item}")
            )
        facts.append(("Risk level", risk_level(row)))
        if row.get("weight") is not None:
            facts.append(
                (
                    "Complexity weight (unvalidated)",
                    f"{row['weight']:.1f}: {row.get('weight_breakdown') or 'no breakdown'}",
                )
            )
    return facts


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
