"""A small synthetic trust with the demo accounts, loaded once into the test database."""

import ibis
import pytest
from django.db import connection

from caseboard.contract.loader import load_tables
from caseboard.domain import clock
from caseboard.engine.snapshot import SNAPSHOT_COLUMNS, build_snapshot
from caseboard.records import bulk
from caseboard.services import generation
from caseboard.synthetic.trust import generate
from caseboard.web.accounts import demo_accounts
from caseboard.web.accounts.access import access_for, current_care_team, visible_referrals
from caseboard.web.accounts.models import User
from caseboard.web.dashboard.cases import open_cases

PASSWORD = "caseboard-demo"
USERNAMES = [username for username, _, _ in demo_accounts.ACCOUNTS]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_trust(clock.today())


def load_trust(as_of):
    """The test trust generated as of ``as_of`` (replacing any other), its snapshot, and the demo
    accounts over its people."""
    # Seed 16: among its cases, the demo practitioner leads one waiting for a first assessment
    # on the suite's day (test_case_list states its evidence).
    tables = generate(generation.params(seed=16, as_of=as_of, referrals=150))
    bulk.load(tables, replace=True)
    _load_snapshot(tables, as_of)
    User.objects.filter(username__in=USERNAMES).delete()
    demo_accounts.ensure(password=PASSWORD)


@pytest.fixture
def trust_as_of():
    """Replace the session's trust, inside the test's transaction, by one as of another day."""
    return load_trust


def _load_snapshot(tables, as_of):
    """The case snapshot of the same trust, computed by the engine over the generated tables in
    an in-memory DuckDB and loaded into the test database (which the engine cannot open)."""
    engine = ibis.duckdb.connect()
    for name, table in tables.items():
        engine.create_table(name, table)
    computed = build_snapshot(engine, as_of=as_of).select(*SNAPSHOT_COLUMNS)
    snapshot = computed.mutate(id=ibis.row_number() + 1).to_pyarrow()
    with connection.cursor() as cursor:
        load_tables(
            cursor,
            {"case_snapshot": snapshot},
            placeholder="%s",
            naive_utc_datetimes=connection.vendor == "sqlite",
        )


@pytest.fixture
def login(client):
    """Sign the test client in as a demo user (or leave it anonymous) and return it."""

    def sign_in(username):
        if username != "anonymous":
            client.force_login(User.objects.get(username=username))
        return client

    return sign_in


@pytest.fixture
def caseload():
    """The practitioner's cases as the caseload page computes them (call it again after a
    change to see the change)."""

    def cases():
        access = access_for(User.objects.get(username="practitioner"))
        mine = current_care_team(clock.today()).filter(
            practitioner_id__in=access.own_practitioner_ids
        )
        return open_cases(visible_referrals(access).filter(pk__in=mine.values("referral_id")))

    return cases
