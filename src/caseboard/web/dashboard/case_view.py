"""One case as the dashboard shows it: the nine essential components of seed 000 section 4.2.

Built from the case snapshot's row (a plain mapping) so it is tested without a database. Every
component reads "unknown" where the record holds nothing, never a reassuring blank.

1 the patient; 2 who leads and who co-works; 3 the episode of care; 4 the place on the pathway;
5 complexity and additional needs; 6 safeguarding; 7 the flags for discussion; 8 engagement;
9 readiness to step down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from caseboard.contract.schema_snapshot import CASE_FLAGS
from caseboard.domain.acknowledgement import SNOOZED, Acknowledgement
from caseboard.domain.evidence import as_date, day_text, evidence
from caseboard.domain.evidence_text import days_text
from caseboard.domain.flag_types import AMBER, CANNOT_ASSESS, NOT_APPLICABLE, RED, flag_column
from caseboard.domain.flags import SAFETY_CODES, discussion_sort_key, rule_text
from caseboard.domain.lanes import closure_supersedes, lane, superseded
from caseboard.domain.measures import in_caseness
from caseboard.domain.policy import Policy

UNKNOWN = "unknown"
# Talking Therapies records risk as concerns, not a level (CLINICAL-RULES section 4, revision 2).
NOT_RECORDED = "not recorded in this service"
NEEDS = (
    ("interpreter_needed", "interpreter"),
    ("learning_disability", "learning disability"),
    ("autism", "autism"),
    ("sensory_impairment", "sensory impairment"),
)


@dataclass(frozen=True)
class ShownFlag:
    code: str
    title: str
    state: str  # red, amber or cannot_assess
    evidence: str  # the dates and values the rule used, or what is missing
    rule: str  # the rule with the policy's values, and its source
    acknowledgement: str = ""  # who acknowledged or snoozed it, when, until when and why
    lane: str = "clinical"  # safety, clinical or process, in this state for this case

    @property
    def label(self) -> str:
        return self.code.replace("_", " ").lower()


@dataclass(frozen=True)
class CaseView:
    referral_id: int
    patient_id: int
    patient_name: str
    nhs_number: str
    team: str
    lead: str
    lead_id: int | None
    co_workers: tuple[str, ...]
    computed: bool  # False until the first refresh has computed this case
    lead_away: str = ""  # the lead's absence in force today and its cover, or ""
    episode: tuple[str, ...] = (UNKNOWN,)
    pathway: tuple[str, ...] = (UNKNOWN,)
    needs: tuple[str, ...] = (UNKNOWN,)
    safeguarding: str = UNKNOWN
    engagement: tuple[str, ...] = (UNKNOWN,)
    step_down: str = UNKNOWN
    flags: tuple[ShownFlag, ...] = ()
    no_data: tuple[ShownFlag, ...] = ()
    snoozed: tuple[ShownFlag, ...] = ()  # shown apart, never lost
    # Raised, but superseded by a recent discharge or closure decision: shown apart, with it.
    superseded: tuple[ShownFlag, ...] = ()
    superseded_by: str = ""
    priority: int = 5
    # domain.flags.discussion_sort_key of the flags shown: lane, priority group, severity, age.
    order: tuple[int, ...] = (5,)
    # What the filters read.
    stage: str = UNKNOWN
    step: int | None = None
    cluster: int | None = None
    risk: str = UNKNOWN
    received_on: dt.date | None = None
    last_attended_on: dt.date | None = None
    urgent_unscreened: bool = False
    codes: frozenset[str] = field(default_factory=frozenset)

    @property
    def print_notes(self) -> tuple[str, ...]:
        """What the printed list keeps of the columns it leaves out: the HIGH RISK marker, a
        priority group and open safeguarding."""
        notes = [line for line in self.needs if line.startswith(("HIGH RISK", "priority group"))]
        notes += ["priority group" for line in self.needs if line.startswith("in a priority")]
        if self.safeguarding not in ("none open", UNKNOWN):
            notes.append(f"safeguarding: {self.safeguarding}")
        return tuple(notes)

    @property
    def main_flags(self) -> tuple[ShownFlag, ...]:
        """The safety and clinical flags, shown in full."""
        return tuple(flag for flag in self.flags if flag.lane != "process")

    @property
    def process_flags(self) -> tuple[ShownFlag, ...]:
        """The process flags, shown as one collapsible line (CLINICAL-RULES revision 2)."""
        return tuple(flag for flag in self.flags if flag.lane == "process")

    @property
    def sort_key(self) -> tuple[int, ...]:
        """Discussion order: lane, then priority group, then severity, then age."""
        return (*self.order, self.referral_id)

    @property
    def red_count(self) -> int:
        return sum(flag.state == RED for flag in self.flags)

    @property
    def amber_count(self) -> int:
        return sum(flag.state == AMBER for flag in self.flags)


def _days(row: Mapping[str, Any], name: str) -> int | None:
    day, as_of = as_date(row.get(name)), as_date(row["as_of"])
    return None if day is None or as_of is None else (as_of - day).days


def words(code: Any) -> str:
    """A code as words ('in_treatment': 'in treatment'), "unknown" where there is none."""
    return str(code).replace("_", " ") if code else UNKNOWN


def shown_flags(row: Mapping[str, Any], policy: Policy) -> list[ShownFlag]:
    """Every flag raised or unassessable, worst first: by lane (safety, clinical, process), red
    before amber within a lane, and the flags with no data last."""
    shown = [
        ShownFlag(
            code=flag.code,
            title=flag.title,
            state=row[flag_column(flag.code)],
            evidence=evidence(flag.code, row, policy),
            rule=f"{rule_text(flag, policy, row.get('service_kind'))} ({flag.source})",
            lane=lane(flag.code, row[flag_column(flag.code)], row),
        )
        for flag in CASE_FLAGS
        if not flag.marker and row[flag_column(flag.code)] in (RED, AMBER, CANNOT_ASSESS)
    ]
    order = {RED: 0, AMBER: 1, CANNOT_ASSESS: 2}
    lanes = {"safety": 0, "clinical": 1, "process": 2}
    return sorted(
        shown,
        key=lambda each: (
            each.state == CANNOT_ASSESS,
            lanes[each.lane],
            order[each.state],
            each.code not in SAFETY_CODES,
            each.code,
        ),
    )


def episode(row: Mapping[str, Any]) -> tuple[str, ...]:
    lines = [f"received {day_text(as_date(row['received_on']))}"]
    lines.append(f"{days_text(row['days_since_received'])} open")
    lead_since = as_date(row.get("lead_since"))
    if lead_since is not None:
        lines.append(f"with this lead since {day_text(lead_since)}")
    treated = as_date(row.get("first_treatment_on"))
    if treated is not None:
        lines.append(f"first treatment {day_text(treated)}")
    return tuple(lines)


def pathway(row: Mapping[str, Any]) -> tuple[str, ...]:
    stage = words(row.get("pathway_stage"))
    days = _days(row, "pathway_stage_entered_on")
    lines = [stage + (f", {days_text(days)}" if days is not None else ", days in stage unknown")]
    if row.get("step") is not None:
        lines.append(f"step {row['step']}")
    if row.get("care_cluster") is not None:
        lines.append(f"cluster {row['care_cluster']}")
    elif row.get("uses_care_clusters"):
        lines.append("cluster unknown")
    if row.get("step") is None and row.get("service_kind") == "talking_therapies":
        lines.append("step unknown")
    return tuple(lines)


def risk_level(row: Mapping[str, Any]) -> str:
    """The recorded level, 'not recorded in this service' where the profile records none."""
    if row.get("service_kind") == "talking_therapies":
        return NOT_RECORDED
    return str(row.get("risk_level") or UNKNOWN)


def needs(row: Mapping[str, Any]) -> tuple[str, ...]:
    lines = [f"risk level: {risk_level(row)}"]
    if row.get("urgent"):
        lines.append("priority group: urgent")
    elif int(row.get("priority_groups") or 0) > 0:
        lines.append("in a priority group (discussed first in its lane)")
    if row.get(flag_column("HIGH_RISK")) in (RED, AMBER):
        lines.append(f"HIGH RISK marker, recorded {day_text(as_date(row.get('risk_recorded_on')))}")
    if row.get("risk_on_high_risk_list"):
        lines.append("on the high-risk list")
    if row.get("weight") is not None:
        lines.append(f"weight {row['weight']:.1f} (advisory, unvalidated)")
    additional = [label for name, label in NEEDS if row.get(name)]
    unknown = any(row.get(name) is None for name, _ in NEEDS if name in row)
    if additional:
        lines.append("needs: " + ", ".join(additional))
    else:
        lines.append("additional needs: unknown" if unknown else "no additional needs recorded")
    return tuple(lines)


def safeguarding(row: Mapping[str, Any]) -> str:
    count, child = row.get("open_safeguarding"), row.get("open_child_safeguarding")
    if count is None:
        return UNKNOWN
    if count == 0:
        return "none open"
    about = f" ({child} about a child)" if child else ""
    return f"{count} open{about}"


def engagement(row: Mapping[str, Any]) -> tuple[str, ...]:
    last = as_date(row.get("last_attended_on"))
    booked = as_date(row.get("next_booked_on"))
    return (
        f"last attended {day_text(last)}" if last else "never attended",
        f"next booked {day_text(booked)}" if booked else "nothing booked",
        f"{row.get('attended_clinical_contacts') or 0} attended, "
        f"{row.get('dna_or_cancellations') or 0} missed or cancelled",
    )


def goals_met_in_caseness(row: Mapping[str, Any], policy: Policy) -> bool:
    """Talking Therapies: goals met recorded while the latest PHQ-9 or anxiety measure is still
    in caseness (CLINICAL-RULES READY_TO_STEP_DOWN, revision 2: a counter-prompt, not
    readiness)."""
    goals = as_date(row.get("goals_met_on"))
    if row.get("service_kind") != "talking_therapies" or goals is None:
        return False
    instrument = row.get("anxiety_instrument") or "gad7"
    return bool(in_caseness(row.get("phq9_last"), row.get("anxiety_last"), instrument, policy))


def step_down(row: Mapping[str, Any], policy: Policy) -> str:
    state = row[flag_column("READY_TO_STEP_DOWN")]
    if state in (RED, AMBER):
        return "ready: " + evidence("READY_TO_STEP_DOWN", row, policy)
    if goals_met_in_caseness(row, policy):
        goals = day_text(as_date(row.get("goals_met_on")))
        return f"goals met recorded {goals}; scores still in caseness: discuss"
    if state == CANNOT_ASSESS:
        return UNKNOWN
    if state == NOT_APPLICABLE:
        return "not applicable"
    return "not yet"


def _acknowledged(
    shown: list[ShownFlag], held: Mapping[str, tuple[Acknowledgement, bool]]
) -> tuple[list[ShownFlag], list[ShownFlag]]:
    """(flags to show, flags snoozed): an acknowledgement in force is noted on its flag."""
    showing, snoozed = [], []
    for flag in shown:
        ack, holds = held.get(flag.code, (None, False))
        if ack is None or not holds:
            showing.append(flag)
            continue
        noted = replace(flag, acknowledgement=acknowledgement_text(ack))
        (snoozed if ack.kind == SNOOZED else showing).append(noted)
    return showing, snoozed


def acknowledgement_text(ack: Acknowledgement) -> str:
    """'snoozed until 4 Dec 2026 by supervisor on 20 Nov 2026: reason'."""
    what = f"snoozed until {day_text(ack.until)}" if ack.kind == SNOOZED else "acknowledged"
    return f"{what} by {ack.by} on {day_text(ack.recorded_on)}: {ack.reason}"


def case_view(
    row: Mapping[str, Any] | None,
    policy: Policy,
    held: Mapping[str, tuple[Acknowledgement, bool]] | None = None,
    **identity: Any,
) -> CaseView:
    """``identity``: referral_id, patient_id, patient_name, nhs_number, team, lead, lead_id,
    co_workers and lead_away (from the record, shown even before the first refresh). ``held``:
    the latest acknowledgement of each flag and whether it still holds."""
    if row is None:
        return CaseView(computed=False, **identity)
    every = shown_flags(row, policy)
    days = policy.discharge_agreed_days
    apart = [flag for flag in every if superseded(flag.code, flag.state, row, days)]
    shown, snoozed = _acknowledged([flag for flag in every if flag not in apart], held or {})
    # A snoozed or superseded flag does not set the discussion order while it is so.
    order = discussion_sort_key({flag.code: flag.state for flag in shown}, row, policy)
    agreed = closure_supersedes(row, days)
    superseded_by = ""
    if apart and agreed is not None:
        until = day_text(agreed + dt.timedelta(days=days))
        superseded_by = (
            f"superseded by the discharge or closure agreed on {day_text(agreed)}, until {until}"
        )
    return CaseView(
        computed=True,
        episode=episode(row),
        pathway=pathway(row),
        needs=needs(row),
        safeguarding=safeguarding(row),
        engagement=engagement(row),
        step_down=step_down(row, policy),
        flags=tuple(flag for flag in shown if flag.state != CANNOT_ASSESS),
        no_data=tuple(flag for flag in shown if flag.state == CANNOT_ASSESS),
        snoozed=tuple(snoozed),
        superseded=tuple(apart),
        superseded_by=superseded_by,
        priority=order[0],
        order=order,
        stage=words(row.get("pathway_stage")),
        step=row.get("step"),
        cluster=row.get("care_cluster"),
        risk=risk_level(row),
        received_on=as_date(row["received_on"]),
        last_attended_on=as_date(row.get("last_attended_on")),
        urgent_unscreened=bool(row.get("urgent")) and row.get("screened_on") is None,
        codes=frozenset(flag.code for flag in shown if flag.state != CANNOT_ASSESS),
        **identity,
    )
