"""The case snapshot: for every open referral at as_of, where it stands.

``build_snapshot`` returns an Ibis expression and never writes; engine/store.py owns the write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import ibis
from ibis.backends import BaseBackend

from caseboard.engine import facts
from caseboard.engine.tables import Tables


def build_snapshot(
    con: BaseBackend,
    *,
    as_of: dt.date,
    policy: object = None,
    referral_ids: Collection[int] | None = None,
) -> ibis.Table:
    t = Tables(con, referral_ids)
    referrals = facts.open_referrals(t, as_of)
    base = referrals.select(
        referral_id="id",
        patient_id="patient_id",
        team_id="team_id",
        received_on="received_on",
        step="step",
        care_cluster="care_cluster",
        problem_descriptor="problem_descriptor",
        pathway_stage="pathway_stage",
    )
    teams = t.team.select(
        team_key="id", service_id="service_id", uses_care_clusters="uses_care_clusters"
    )
    services = t.service.select(service_key="id", service_kind="kind")
    parts = (
        facts.contact_facts(t, as_of),
        facts.second_treatment(t, as_of),
        facts.current_lead(t, as_of),
        facts.measure_facts(t, as_of, "phq9", "phq9"),
        facts.measure_facts(t, as_of, "gad7", "gad7"),
    )
    # One chain of joins, each part keyed by its own name, then one selection: nested
    # selections between joins overflow SQLite's parser on a query this size.
    joined = base.left_join(teams, base.team_id == teams.team_key)
    joined = joined.left_join(services, teams.service_id == services.service_key)
    keys = ["team_key", "service_key"]
    for number, part in enumerate(parts):
        key = f"key_{number}"
        part = part.rename({key: "referral_id"})
        joined = joined.left_join(part, base.referral_id == part[key])
        keys.append(key)
    joined = joined.drop(*keys)
    as_of_days = facts.days(as_of)
    return joined.mutate(
        as_of=ibis.literal(as_of),
        days_since_received=as_of_days - joined.received_on.epoch_days(),
        days_since_last_attended=as_of_days - joined.last_attended_on.epoch_days(),
        treatment_contacts=joined.treatment_contacts.fill_null(0),
        attended_clinical_contacts=joined.attended_clinical_contacts.fill_null(0),
        dna_or_cancellations=joined.dna_or_cancellations.fill_null(0),
        outcome_not_recorded=joined.outcome_not_recorded.fill_null(0),
    ).order_by("referral_id")
