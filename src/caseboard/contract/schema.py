"""The data contract: every table Caseboard stores, declared once.

Pure Python, no Django. The Django models (records.models and the web apps), the engine's table
access, the format documentation and the generator all follow these declarations; a test fails
when a migrated database drifts from them (tests/records/test_schema_drift.py).

Record tables mirror the patient record (EPR): each has Caseboard's integer ``id`` and the source
system's natural key (``source_system``, ``source_id``), unique together. Application tables hold
what Caseboard itself records. Derived tables are rebuilt by the engine.
"""

from __future__ import annotations

from caseboard.contract.declare import Column, Table, code, col, record, ref
from caseboard.contract.schema_application import APPLICATION_TABLES
from caseboard.domain import codes as c

__all__ = ["RECORD_TABLES", "TABLES", "Column", "Table", "load_order", "table"]

RECORD_TABLES: tuple[Table, ...] = (
    # -- the patient record (EPR mirror) ---------------------------------------------------------
    record(
        "service",
        "A service of the trust; its kind selects the service profile of the rules.",
        col("name", "text", nullable=False),
        code("kind", c.SERVICE_KINDS),
    ),
    record(
        "team",
        "A team within a service.",
        ref("service"),
        col("name", "text", nullable=False),
        col("locality", "text"),
        col(
            "uses_care_clusters",
            "boolean",
            nullable=False,
            description="whether the team assigns mental health care clusters",
        ),
    ),
    record(
        "practitioner",
        "A member of staff who may lead or co-work cases.",
        ref("team"),
        col("name", "text", nullable=False),
        code("role", c.PRACTITIONER_ROLES),
        col("wte", "float", nullable=False, description="whole-time equivalent, 0 to 1"),
        col(
            "clinical_fraction",
            "float",
            nullable=False,
            description="share of the post that is clinical, 0 to 1",
        ),
        ref(
            "practitioner",
            nullable=True,
            name="supervisor_id",
            description="the practitioner's caseload supervisor",
        ),
        col("active", "boolean", nullable=False),
        col("started_on", "date", nullable=False),
        col("ended_on", "date"),
    ),
    record(
        "practitioner_modality",
        "An intervention a practitioner is trained to deliver.",
        ref("practitioner"),
        code("modality", c.INTERVENTIONS),
    ),
    record(
        "absence",
        "A period a practitioner is away, and who covers their cases.",
        ref("practitioner"),
        code("kind", c.ABSENCE_KINDS),
        col("starts_on", "date", nullable=False),
        col("ends_on", "date"),
        ref("practitioner", nullable=True, name="cover_practitioner_id"),
    ),
    record(
        "patient",
        "A person on the record. A restricted record's address is never stored or shown.",
        col("nhs_number", "text", description="10 digits with a valid modulus-11 check digit"),
        col("given_name", "text", nullable=False),
        col("family_name", "text", nullable=False),
        col("birth_date", "date", nullable=False),
        code("sex", c.SEXES),
        col("ethnic_category", "text", description="NHS Data Dictionary ethnic category code"),
        col("postcode", "text"),
        col("locality", "text"),
        col("interpreter_needed", "boolean", nullable=False),
        col("learning_disability", "boolean", nullable=False),
        col("autism", "boolean", nullable=False),
        col("sensory_impairment", "boolean", nullable=False),
        col("reasonable_adjustments", "boolean", nullable=False),
        col("dependent_children", "boolean", nullable=False),
        col("deceased_on", "date"),
        col(
            "restricted",
            "boolean",
            nullable=False,
            description="restricted record (S flag): postcode and locality suppressed",
        ),
    ),
    record(
        "referral",
        "An episode of care: one referral of one patient to one team.",
        ref("patient"),
        ref("team"),
        col("received_on", "date", nullable=False),
        code("source", c.REFERRAL_SOURCES),
        col("screened_on", "date"),
        code("screening_outcome", c.SCREENING_OUTCOMES, nullable=True),
        code("assessment_outcome", c.ASSESSMENT_OUTCOMES, nullable=True),
        col("pathway", "text", description="the team's pathway, or the THRIVE grouping in CAMHS"),
        code("pathway_stage", c.PATHWAY_STAGES, nullable=True),
        col("pathway_stage_entered_on", "date"),
        col("step", "integer", description="stepped-care step, 1 to 4"),
        code("planned_intervention", c.INTERVENTIONS, nullable=True),
        col("care_cluster", "integer", description="mental health care cluster, 0 to 21"),
        col("cluster_assessed_on", "date"),
        code("problem_descriptor", c.PROBLEM_DESCRIPTORS, nullable=True),
        col("primary_diagnosis", "text"),
        col("agreed_session_limit", "integer"),
        col("stable_casing_review_on", "date"),
        col("kit_opted_out_on", "date", description="patient opted out of keeping-in-touch calls"),
        col("goals_met_on", "date", description="clinician-recorded readiness to step down"),
        code("status", c.REFERRAL_STATUSES),
        col("closed_on", "date"),
        code("closure_reason", c.CLOSURE_REASONS, nullable=True),
    ),
    record(
        "referral_priority_group",
        "A priority group of a referral (a referral may have several).",
        ref("referral"),
        code("priority_group", c.PRIORITY_GROUPS),
    ),
    record(
        "referral_care_team",
        "Who leads and who co-works a referral, and when.",
        ref("referral"),
        ref("practitioner"),
        code("role", c.CARE_TEAM_ROLES),
        col("starts_on", "date", nullable=False),
        col("ends_on", "date"),
    ),
    record(
        "contact",
        "An appointment, attended or not.",
        ref("referral"),
        ref("practitioner", nullable=True),
        col("starts_at", "datetime", nullable=False),
        col("starts_on", "date", nullable=False, description="Europe/London date of starts_at"),
        code("kind", c.CONTACT_KINDS),
        col("direct", "boolean", nullable=False),
        code("mode", c.CONTACT_MODES),
        code("intervention", c.INTERVENTIONS, nullable=True),
        col("step", "integer"),
        code("outcome", c.CONTACT_OUTCOMES),
        col("minutes", "integer"),
    ),
    record(
        "measure",
        "An outcome measure score.",
        ref("referral"),
        ref("contact", nullable=True),
        col("measured_on", "date", nullable=False),
        code("instrument", c.INSTRUMENTS),
        col("score", "float", nullable=False),
    ),
    record(
        "measure_item",
        "An item score of a measure (PHQ-9 item 9 always).",
        ref("measure"),
        col("item", "integer", nullable=False),
        col("score", "integer", nullable=False),
    ),
    record(
        "care_document",
        "A care plan, safety summary, safety plan or other care document.",
        ref("referral"),
        code("kind", c.CARE_DOCUMENT_KINDS),
        col("completed_on", "date"),
        col("review_due_on", "date"),
    ),
    record(
        "event",
        "A crisis contact, admission, discharge from hospital or self-harm.",
        ref("patient"),
        code("kind", c.EVENT_KINDS),
        col("occurred_on", "date", nullable=False),
    ),
    record(
        "safeguarding_concern",
        "A safeguarding concern about or around a patient.",
        ref("patient"),
        code("kind", c.SAFEGUARDING_KINDS),
        col("opened_on", "date", nullable=False),
        col("closed_on", "date"),
    ),
    record(
        "risk_information",
        "Current risk concerns recorded, when and by whom.",
        ref("patient"),
        col("recorded_on", "date", nullable=False),
        ref("practitioner", nullable=True, name="recorded_by_id"),
        col("concerns_recorded", "boolean", nullable=False),
        col(
            "concerns",
            "text",
            description="what the concerns are and what was agreed, as recorded (the IAPT risk "
            "questions in Talking Therapies)",
        ),
        code(
            "level",
            c.RISK_LEVELS,
            nullable=True,
            description="only where the team uses levels; never lowers prominence",
        ),
        col("on_high_risk_list", "boolean", description="on the team's high-risk or zoning list"),
    ),
    record(
        "step_change",
        "A step-up or step-down and whether it was actioned.",
        ref("referral"),
        col("from_step", "integer", nullable=False),
        col("to_step", "integer", nullable=False),
        col("recorded_on", "date", nullable=False),
        col("actioned_on", "date"),
    ),
    record(
        "letter",
        "A letter tracked (not written) by Caseboard.",
        ref("referral"),
        code("kind", c.LETTER_KINDS),
        col("sent_on", "date", nullable=False),
    ),
)
TABLES: tuple[Table, ...] = RECORD_TABLES + APPLICATION_TABLES
BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}


def table(name: str) -> Table:
    return BY_NAME[name]


def load_order() -> tuple[Table, ...]:
    """Tables ordered so every referenced table comes before the tables that reference it."""
    ordered: list[Table] = []
    placed: set[str] = set()
    pending = list(TABLES)
    while pending:
        for candidate in pending:
            needs = {column.references for column in candidate.foreign_keys} - {candidate.name}
            if needs <= placed:
                ordered.append(candidate)
                placed.add(candidate.name)
                pending.remove(candidate)
                break
        else:
            raise ValueError(f"circular references among {[t.name for t in pending]}")
    return tuple(ordered)
