"""Writers queue the referrals they change in their own transaction (services/refresh_queue.py).
The drain after commit is exercised end to end by `caseboard bench write`
(tests/test_bench_refresh.py): a contact written through the models shows in the snapshot, or the
benchmark fails."""

import pytest
from django.db import transaction

from caseboard.records.models import RefreshQueue
from caseboard.services import refresh_queue


def test_queue_rows_outside_a_transaction_are_refused():
    with pytest.raises(refresh_queue.NotInTransaction):
        refresh_queue.queue_refresh([1], reason="contact")


@pytest.mark.django_db
def test_the_queue_rows_commit_with_the_change_and_a_drain_follows_the_commit(
    django_capture_on_commit_callbacks,
):
    before = RefreshQueue.objects.count()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        queued = refresh_queue.queue_refresh([7, 3, 7], reason="allocation")
    assert queued == 2
    rows = RefreshQueue.objects.order_by("id")[before:]
    assert [(row.referral_id, row.reason) for row in rows] == [(3, "allocation"), (7, "allocation")]
    assert callbacks == [refresh_queue.drain_soon]


@pytest.mark.django_db
def test_a_change_that_fails_leaves_no_queue_rows(django_capture_on_commit_callbacks):
    before = RefreshQueue.objects.count()
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ValueError),
        transaction.atomic(),
    ):
        refresh_queue.queue_refresh([5], reason="contact")
        raise ValueError("the writer's own change failed")
    assert RefreshQueue.objects.count() == before
    assert callbacks == []


@pytest.mark.django_db
def test_nothing_to_queue_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        assert refresh_queue.queue_refresh([], reason="contact") == 0
    assert callbacks == []
