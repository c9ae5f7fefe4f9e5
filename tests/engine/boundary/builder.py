"""A whole trust in mirror form (Arrow tables) built from a list of boundary Cases.

One service per kind used, the teams the cases need, a few practitioners (an active lead, a
leaver, a lead on long-term sick leave, a co-worker and a supervisor) and, per Case, one patient
and one referral with quiet defaults that the Case overrides. Ids run 1..n per table in the
order rows are added; every referral's source_id is its case's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from caseboard.contract import schema

AS_OF = dt.date(2026, 11, 20)  # a Friday
SOURCE = "boundary"
ARROW_TYPES = {
    "integer": pa.int64(),
    "float": pa.float64(),
    "text": pa.string(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
}


def days_ago(n: int) -> dt.date:
    """AS_OF minus n days (negative n: in the future)."""
    return AS_OF - dt.timedelta(days=n)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=dt.UTC)


@dataclass(frozen=True)
class Contact:
    ago: int
    kind: str = "treatment"
    outcome: str = "attended"
    direct: bool = True
    scores: dict[str, float] = field(default_factory=dict)  # instrument -> score, paired
    item9: int | None = None  # PHQ-9 item 9, written when the contact has a PHQ-9


@dataclass(frozen=True)
class Discussion:
    ago: int
    signed: bool = True
    decision: str = "none"
    agreed_session_limit: int | None = None
    risk_plan: str | None = None  # with risk_review, a qualifying risk discussion
    risk_review: int | None = None  # days ago (negative: in the future)


@dataclass(frozen=True)
class Case:
    name: str
    flag: str
    expected: str
    team: str = "tt"  # tt (talking_therapies), cmh (adult_cmh, clusters), cmh_nc (no clusters)
    received: int = 10  # days ago
    screened: bool | int | None = True  # True: on the received date; None: not screened
    referral: dict[str, Any] = field(default_factory=dict)  # column overrides
    lead: str | None = "lead"  # practitioner key of the lead, None: unallocated
    lead_from: int | None = None  # days ago; default the received date
    care_team: tuple[tuple[str, str, int, int | None], ...] = ()  # (who, role, from, to)
    contacts: tuple[Contact, ...] = ()
    measures: tuple[tuple[int, str, float], ...] = ()  # unpaired: (ago, instrument, score)
    documents: tuple[tuple[str, int | None, int | None], ...] = ()  # (kind, done, review due)
    safeguarding: tuple[tuple[int, int | None], ...] = ()  # (opened, closed) days ago
    # (ago, level, on_high_risk_list[, concerns_recorded, default True])
    risks: tuple[tuple[Any, ...], ...] = ()
    events: tuple[int | tuple[int, str], ...] = ()  # self-harm (or (ago, kind)), days ago
    step_changes: tuple[tuple[int, ...], ...] = ()  # (recorded, actioned[, to_step]) days ago
    letters: tuple[int, ...] = ()  # waiting letters, days ago
    discussions: tuple[Discussion, ...] = ()
    actions: tuple[tuple[int, int | None], ...] = ()  # (due, completed) days ago
    priority_groups: tuple[str, ...] = ()
    xfail: str | None = None  # engine defect this case shows (strict xfail)


SUPERVISION = (
    "supervision_session",
    "supervision_attendee",
    "supervision_discussion",
    "supervision_action",
)
TEAMS = {  # key -> (service kind, uses care clusters)
    "tt": ("talking_therapies", False),
    "cmh": ("adult_cmh", True),
    "cmh_nc": ("adult_cmh", False),
}
# key -> (role, active, ended days ago)
PRACTITIONERS = {
    "supervisor": ("high_intensity_therapist", True, None),
    "lead": ("pwp", True, None),
    "leaver": ("pwp", False, 30),
    "absent": ("pwp", True, None),
    "absent_covered": ("pwp", True, None),
    "coworker": ("care_coordinator", True, None),
}


class Trust:
    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {t.name: [] for t in schema.TABLES}

    def add(self, table: str, source_id: str | None = None, **values: Any) -> int:
        rows = self.rows[table]
        row_id = len(rows) + 1
        row = {"id": row_id, **values}
        if schema.table(table).kind == "record":
            row["source_system"] = SOURCE
            row["source_id"] = source_id or f"{table}-{row_id}"
        rows.append(row)
        return row_id

    def arrow(self) -> dict[str, pa.Table]:
        """Every record table and the supervision tables, typed as the mirror is."""
        out = {}
        for declared in schema.TABLES:
            rows = self.rows[declared.name]
            if declared.kind != "record" and declared.name not in SUPERVISION:
                continue
            fields = [
                pa.field(c.name, ARROW_TYPES[c.type], nullable=c.nullable) for c in declared.columns
            ]
            arrays = [pa.array([row.get(f.name) for row in rows], type=f.type) for f in fields]
            out[declared.name] = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
        return out


def build(cases: list[Case]) -> dict[str, pa.Table]:
    t = Trust()
    services: dict[str, int] = {}
    teams: dict[str, int] = {}
    for key, (kind, clusters) in TEAMS.items():
        if kind not in services:
            services[kind] = t.add("service", f"SVC-{kind}", name=kind, kind=kind)
        teams[key] = t.add(
            "team",
            f"TEAM-{key}",
            service_id=services[kind],
            name=key,
            locality=None,
            uses_care_clusters=clusters,
        )
    people: dict[str, int] = {}
    for key, (role, active, ended) in PRACTITIONERS.items():
        people[key] = t.add(
            "practitioner",
            f"PRAC-{key}",
            team_id=teams["tt"],
            name=key,
            role=role,
            wte=1.0,
            clinical_fraction=1.0,
            supervisor_id=people.get("supervisor"),
            active=active,
            started_on=days_ago(2000),
            ended_on=None if ended is None else days_ago(ended),
        )
    t.add(
        "absence",
        "ABS-absent",
        practitioner_id=people["absent"],
        kind="long_term_sickness",
        starts_on=days_ago(40),
        ends_on=None,
        cover_practitioner_id=None,
    )
    t.add(
        "absence",
        "ABS-absent-covered",
        practitioner_id=people["absent_covered"],
        kind="long_term_sickness",
        starts_on=days_ago(40),
        ends_on=None,
        cover_practitioner_id=people["lead"],
    )
    t.add(
        "absence",
        "ABS-lead-leave",
        practitioner_id=people["coworker"],
        kind="annual_leave",
        starts_on=days_ago(3),
        ends_on=days_ago(-3),
        cover_practitioner_id=None,
    )
    for case in cases:
        _case(t, case, teams, people)
    return t.arrow()


def _case(t: Trust, case: Case, teams: dict[str, int], people: dict[str, int]) -> None:
    name = case.name
    received = days_ago(case.received)
    screened = received if case.screened is True else None
    if isinstance(case.screened, int) and case.screened is not True:
        screened = days_ago(case.screened)
    patient = t.add(
        "patient",
        f"PAT-{name}",
        nhs_number=None,
        given_name="Boundary",
        family_name=name,
        birth_date=dt.date(1980, 1, 1),
        sex="not_known",
        ethnic_category=None,
        postcode=None,
        locality=None,
        interpreter_needed=False,
        learning_disability=False,
        autism=False,
        sensory_impairment=False,
        reasonable_adjustments=False,
        dependent_children=False,
        deceased_on=None,
        restricted=False,
    )
    referral_row = {
        "patient_id": patient,
        "team_id": teams[case.team],
        "received_on": received,
        "source": "gp",
        "screened_on": screened,
        "screening_outcome": "accepted" if screened else None,
        "assessment_outcome": None,
        "pathway": None,
        "pathway_stage": None,
        "pathway_stage_entered_on": None,
        "step": 2 if case.team == "tt" else None,
        "planned_intervention": None,
        "care_cluster": None,
        "cluster_assessed_on": None,
        "problem_descriptor": "depression" if case.team == "tt" else None,
        "primary_diagnosis": None,
        "agreed_session_limit": None,
        "stable_casing_review_on": None,
        "kit_opted_out_on": None,
        "goals_met_on": None,
        "status": "open",
        "closed_on": None,
        "closure_reason": None,
    }
    referral_row.update(case.referral)
    referral = t.add("referral", name, **referral_row)
    for group in case.priority_groups:
        t.add("referral_priority_group", referral_id=referral, priority_group=group)
    team_rows = list(case.care_team)
    if case.lead is not None:
        start = case.received if case.lead_from is None else case.lead_from
        team_rows.insert(0, (case.lead, "lead", start, None))
    for who, role, start, end in team_rows:
        t.add(
            "referral_care_team",
            referral_id=referral,
            practitioner_id=people[who],
            role=role,
            starts_on=days_ago(start),
            ends_on=None if end is None else days_ago(end),
        )
    for contact in case.contacts:
        day = days_ago(contact.ago)
        contact_id = t.add(
            "contact",
            referral_id=referral,
            practitioner_id=people["lead"],
            starts_at=at(day),
            starts_on=day,
            kind=contact.kind,
            direct=contact.direct,
            mode="telephone",
            intervention=None,
            step=referral_row["step"],
            outcome=contact.outcome,
            minutes=None if contact.outcome == "booked" else 30,
        )
        for instrument, score in contact.scores.items():
            _measure(t, referral, contact_id, day, instrument, score, contact.item9)
    for ago, instrument, score in case.measures:
        _measure(t, referral, None, days_ago(ago), instrument, score, None)
    for kind, done, due in case.documents:
        t.add(
            "care_document",
            referral_id=referral,
            kind=kind,
            completed_on=None if done is None else days_ago(done),
            review_due_on=None if due is None else days_ago(due),
        )
    for opened, closed in case.safeguarding:
        t.add(
            "safeguarding_concern",
            patient_id=patient,
            kind="adult",
            opened_on=days_ago(opened),
            closed_on=None if closed is None else days_ago(closed),
        )
    for ago, level, listed, *concerns in case.risks:
        recorded = concerns[0] if concerns else True
        t.add(
            "risk_information",
            patient_id=patient,
            recorded_on=days_ago(ago),
            recorded_by_id=people["lead"],
            concerns_recorded=recorded,
            concerns="thoughts of self-harm, no plan" if recorded else None,
            level=level,
            on_high_risk_list=listed,
        )
    for event in case.events:
        ago, kind = event if isinstance(event, tuple) else (event, "self_harm")
        t.add("event", patient_id=patient, kind=kind, occurred_on=days_ago(ago))
    for recorded, actioned, *to in case.step_changes:
        to_step = to[0] if to else 3
        t.add(
            "step_change",
            referral_id=referral,
            from_step=2 if to_step > 2 else to_step + 1,
            to_step=to_step,
            recorded_on=days_ago(recorded),
            actioned_on=None if actioned is None else days_ago(actioned),
        )
    for ago in case.letters:
        t.add("letter", referral_id=referral, kind="waiting", sent_on=days_ago(ago))
    for discussion in case.discussions:
        _discussion(t, referral, discussion, people)
    for due, completed in case.actions:
        t.add(
            "supervision_action",
            session_id=None,
            referral_id=referral,
            description=f"action for {name}",
            owner_id=people["lead"],
            due_on=days_ago(due),
            completed_on=None if completed is None else days_ago(completed),
            completed_by_id=None if completed is None else people["lead"],
        )


def _measure(t, referral, contact_id, day, instrument, score, item9) -> None:
    measure = t.add(
        "measure",
        referral_id=referral,
        contact_id=contact_id,
        measured_on=day,
        instrument=instrument,
        score=float(score),
    )
    if instrument == "phq9":
        t.add("measure_item", measure_id=measure, item=9, score=item9 or 0)


def _discussion(t: Trust, referral: int, d: Discussion, people: dict[str, int]) -> None:
    day = days_ago(d.ago)
    signed = at(day) if d.signed else None
    signer = people["supervisor"] if d.signed else None
    session = t.add(
        "supervision_session",
        supervisor_id=people["supervisor"],
        held_on=day,
        kind="caseload",
        counts_toward_standard=True,
        snapshot_as_of=None,
        dashboard_reviewed_at=None,
        wellbeing_note=None,
        signed_off_at=signed,
        signed_off_by_id=signer,
    )
    t.add(
        "supervision_discussion",
        session_id=session,
        referral_id=referral,
        session_date=day,
        entry="discussed",
        decision=d.decision,
        agreed_session_limit=d.agreed_session_limit,
        risk_plan=d.risk_plan,
        risk_review_on=None if d.risk_review is None else days_ago(d.risk_review),
        do_not_disclose=False,
        authored_by_id=people["lead"],
        signed_off_at=signed,
        signed_off_by_id=signer,
        filed_at=None,
    )
