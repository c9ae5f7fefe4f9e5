"""The case snapshot: for every open referral at as_of, where it stands.

``build_snapshot`` returns an Ibis expression and never writes; engine/store.py owns the write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import ibis
from ibis.backends import BaseBackend

from caseboard.contract.schema_snapshot import CASE_SNAPSHOT
from caseboard.domain.policy import ADSM_FOR_DESCRIPTOR, DEFAULT_POLICY, Policy
from caseboard.engine import facts, rules, weights
from caseboard.engine.facts import care, contacts, measures, ownership, supervision
from caseboard.engine.rules.common import Context
from caseboard.engine.tables import Tables

SNAPSHOT_COLUMNS = tuple(name for name in CASE_SNAPSHOT.column_names if name != "id")


def build_snapshot(
    con: BaseBackend,
    *,
    as_of: dt.date,
    policy: Policy = DEFAULT_POLICY,
    referral_ids: Collection[int] | None = None,
) -> ibis.Table:
    """One row per referral open at as_of with every fact the flags read."""
    return finish(build_flagged(con, as_of=as_of, policy=policy, referral_ids=referral_ids), policy)


def build_flagged(
    con: BaseBackend,
    *,
    as_of: dt.date,
    policy: Policy = DEFAULT_POLICY,
    referral_ids: Collection[int] | None = None,
) -> ibis.Table:
    """The facts of every referral open at as_of and the state of each flag: the snapshot
    before ``finish``."""
    # A full refresh cuts every referral-level table to the open referrals before any window
    # or aggregate (on a large trust most rows belong to closed cases). Not on SQLite, whose
    # parser overflows on the extra subqueries, nor with ``referral_ids``, already narrower.
    cut = referral_ids is None and con.name != "sqlite"
    t = Tables(con, referral_ids, open_on=as_of if cut else None)
    referrals = ownership.open_referrals(t, as_of)
    base = referrals.select(
        referral_id="id",
        patient_id="patient_id",
        team_id="team_id",
        received_on="received_on",
        screened_on="screened_on",
        assessment_outcome="assessment_outcome",
        pathway_stage="pathway_stage",
        pathway_stage_entered_on="pathway_stage_entered_on",
        step="step",
        care_cluster="care_cluster",
        cluster_assessed_on="cluster_assessed_on",
        problem_descriptor="problem_descriptor",
        agreed_session_limit="agreed_session_limit",
        kit_opted_out_on="kit_opted_out_on",
        goals_met_on="goals_met_on",
        anxiety_instrument=measures.anxiety_instrument(
            referrals.problem_descriptor, ADSM_FOR_DESCRIPTOR
        ),
    )
    teams = t.team.select(
        team_key="id", service_id="service_id", uses_care_clusters="uses_care_clusters"
    )
    services = t.service.select(service_key="id", service_kind="kind")
    contact_facts = contacts.contact_facts(t, as_of, policy.weekly_contact_window_days)
    lead = ownership.current_lead(t, as_of)
    people = ownership.lead_status(t, as_of)
    patients = care.patient_facts(t, as_of).rename(patient_key="patient_id")
    by_referral = (
        contact_facts.drop(*contacts.FIRST_KEYS),
        contacts.after_firsts(t, as_of, contact_facts),
        contacts.non_attendance(t, as_of, policy.dna_review_count),
        lead,
        ownership.lead_history(t, as_of),
        ownership.referral_extras(t, as_of),
        measures.outcome_facts(
            t,
            as_of,
            ADSM_FOR_DESCRIPTOR,
            (policy.severity_step_phq9, policy.severity_step_gad7),
            policy.risk_concerns_item9_threshold,
        ),
        measures.measured_at_last_contact(t, as_of, contact_facts, policy.measure_window_days),
        care.documents(t, as_of),
        supervision.discussions(t, as_of),
        supervision.actions(t, as_of),
    )
    # One chain of joins, each part keyed by its own name, then one selection: nested
    # selections between joins overflow SQLite's parser on a query this size.
    joined = base.left_join(teams, base.team_id == teams.team_key)
    joined = joined.left_join(services, teams.service_id == services.service_key)
    joined = joined.left_join(patients, base.patient_id == patients.patient_key)
    keys = ["team_key", "service_key", "patient_key", "practitioner_key"]
    for number, part in enumerate(by_referral):
        key = f"key_{number}"
        keyed = part.rename({key: "referral_id"})
        joined = joined.left_join(keyed, base.referral_id == keyed[key])
        keys.append(key)
        if part is lead:
            lead_keyed = keyed
    joined = joined.left_join(people, lead_keyed.lead_practitioner_id == people.practitioner_key)
    joined = joined.drop(*keys)
    as_of_days = facts.days(as_of)
    counts = (
        "treatment_contacts",
        "attended_clinical_contacts",
        "session_contacts",
        "attended_contacts_in_window",
        "dna_or_cancellations",
        "outcome_not_recorded",
        "overdue_actions",
        "leads_so_far",
    )
    facts_table = joined.mutate(
        as_of=ibis.literal(as_of),
        days_since_received=as_of_days - joined.received_on.epoch_days(),
        days_since_last_attended=as_of_days - joined.last_attended_on.epoch_days(),
        **{name: joined[name].fill_null(0) for name in counts},
    )
    return facts_table.mutate(**rules.flag_states(facts_table, Context(as_of, policy)))


def finish(flagged: ibis.Table, policy: Policy = DEFAULT_POLICY) -> ibis.Table:
    """The flag counts, codes and priority and the case weight, from ``build_flagged``'s rows
    (or a table holding them), then the declared snapshot columns."""
    weighted = {**rules.summary(flagged, policy), **weights.weight_columns(flagged, policy)}
    return flagged.mutate(**weighted).select(*SNAPSHOT_COLUMNS)
