"""A small synthetic trust with the demo accounts, loaded once into the test database."""

import pytest
from django.utils import timezone

from caseboard.records import bulk, generation
from caseboard.records.synthetic.trust import generate
from caseboard.web.accounts import demo_accounts
from caseboard.web.accounts.models import User

PASSWORD = "caseboard-demo"
USERNAMES = [username for username, _, _ in demo_accounts.ACCOUNTS]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        params = generation.params(seed=11, as_of=timezone.localdate(), referrals=400)
        bulk.load(generate(params))
        demo_accounts.ensure(password=PASSWORD)


@pytest.fixture
def login(client):
    """Sign the test client in as a demo user (or leave it anonymous) and return it."""

    def sign_in(username):
        if username != "anonymous":
            client.force_login(User.objects.get(username=username))
        return client

    return sign_in
