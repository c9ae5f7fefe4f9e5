"""A small synthetic NHS trust in mirror form: ``generate(params)`` gives one Arrow table per
record table plus the supervision tables.

Every area draws from its own random stream derived from the seed, so the same Params always
give the same tables, and dates are anchored to ``params.as_of`` (never to today).
"""

from __future__ import annotations

import pyarrow as pa

from caseboard.contract import schema
from caseboard.synthetic import (
    allocation,
    clinical,
    contacts,
    measures,
    organisation,
    referrals,
    supervision,
)
from caseboard.synthetic.draw import stream
from caseboard.synthetic.params import Params
from caseboard.synthetic.rows import TableRows, source_id

SUPERVISION_TABLES = (
    "supervision_session",
    "supervision_attendee",
    "supervision_discussion",
    "supervision_action",
)
TABLE_NAMES = tuple(t.name for t in schema.RECORD_TABLES) + SUPERVISION_TABLES

# The people the demo accounts sign in as. By construction (organisation.py, allocation.py) these
# hold for every seed at the default shape (two services, three teams, sixteen practitioners):
# the first PWP of Talking Therapies North leads 40-70 open cases; the team's supervising
# therapist also supervises the junior staff of Talking Therapies South; the team manager of
# Talking Therapies North holds a few cases of their own.
DEMO_PEOPLE = {
    "practitioner": source_id("practitioner", organisation.DEMO_PRACTITIONER_ID),
    "supervisor": source_id("practitioner", 3),
    "manager": source_id("practitioner", 1),
    "manager_team": source_id("team", 1),
    # The default shape's last team: adult community mental health (organisation._teams).
    "community_team": source_id("team", 3),
    "service": source_id("service", 1),
}


def generate(params: Params) -> dict[str, pa.Table]:
    """The trust's tables, keyed by table name, in load order (referenced tables first)."""
    tables = {name: TableRows(name) for name in TABLE_NAMES}
    org = organisation.build(stream(params.seed, "organisation"), params)
    organisation.write(stream(params.seed, "staff"), params, org, tables)
    planned = allocation.plan(stream(params.seed, "episodes"), params, org)
    realised = contacts.realise(stream(params.seed, "contacts"), params, org, planned)
    for contact in realised:
        contact.episode.contacts.append(contact)
    contacts.write(realised, tables["contact"])
    referrals.write(stream(params.seed, "referrals"), params, planned, tables)
    item9 = measures.write(stream(params.seed, "measures"), params, planned, tables)
    clinical.write(stream(params.seed, "clinical"), params, planned, item9, tables)
    supervision.write(stream(params.seed, "supervision"), params, org, planned, tables)
    order = [t.name for t in schema.load_order() if t.name in tables]
    return {name: tables[name].to_arrow() for name in order}
