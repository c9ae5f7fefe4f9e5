"""The refresh queue's drain thread (services/refresh_queue.py), with the engine stood in for: one
thread per process, wake-ups during a drain folded into one more drain, a failed drain logged and
its connection dropped without stopping the thread, and a new database reconnected."""

import threading

import pytest

from caseboard.services import refresh_queue

WAIT = 10  # seconds: far longer than any of these drains takes


class FakeConnection:
    def __init__(self, database):
        self.database = database
        self.closed = False

    def disconnect(self):
        self.closed = True


class Engine:
    """Stands in for the engine: records each drain, and can hold one until released or fail."""

    def __init__(self, monkeypatch):
        self.connections = []
        self.drains = []
        self.fail_next = False
        self.hold = threading.Event()
        self.hold.set()
        self.drained = threading.Semaphore(0)
        self.entered = threading.Event()
        monkeypatch.setattr(refresh_queue, "engine_connection", self.connect)
        monkeypatch.setattr(refresh_queue, "drain_now", self.drain)

    def connect(self, database):
        self.connections.append(FakeConnection(database))
        return self.connections[-1]

    def drain(self, con):
        self.entered.set()
        self.hold.wait(WAIT)
        self.drains.append(con.database)
        try:
            if self.fail_next:
                self.fail_next = False
                raise RuntimeError("the engine's database went away")
            return {}
        finally:
            self.drained.release()

    def wait_for(self, count):
        for _ in range(count):
            assert self.drained.acquire(timeout=WAIT), f"only {len(self.drains)} drains"


@pytest.fixture
def engine(monkeypatch):
    return Engine(monkeypatch)


def test_a_request_drains_once_on_one_thread(engine):
    drainer = refresh_queue._Drainer()
    drainer.request("db-a")
    engine.wait_for(1)
    thread = drainer.thread
    drainer.request("db-a")
    engine.wait_for(1)
    assert drainer.thread is thread and thread.name == "refresh-drain" and thread.daemon
    assert engine.drains == ["db-a", "db-a"]
    assert len(engine.connections) == 1  # the connection is kept between drains


def test_wake_ups_during_a_drain_fold_into_one_more_drain(engine):
    drainer = refresh_queue._Drainer()
    engine.hold.clear()
    drainer.request("db-a")
    assert engine.entered.wait(WAIT)
    for _ in range(5):  # five commits while the first drain runs
        drainer.request("db-a")
    engine.hold.set()
    engine.wait_for(2)
    # A request for another database after them: had the five wake-ups made more than one more
    # drain, another "db-a" would stand before it (the thread drains one at a time, in order).
    drainer.request("db-marker")
    engine.wait_for(1)
    assert engine.drains == ["db-a", "db-a", "db-marker"]


def test_a_failed_drain_is_logged_and_the_next_one_reconnects(engine, caplog):
    drainer = refresh_queue._Drainer()
    engine.fail_next = True
    drainer.request("db-a")
    engine.wait_for(1)
    drainer.request("db-a")
    engine.wait_for(1)
    assert engine.drains == ["db-a", "db-a"]
    first, second = engine.connections
    assert first.closed and not second.closed
    assert "the rows stay queued" in caplog.text


def test_another_database_gets_its_own_connection(engine):
    drainer = refresh_queue._Drainer()
    drainer.request("db-a")
    engine.wait_for(1)
    drainer.request("db-b")
    engine.wait_for(1)
    assert [c.database for c in engine.connections] == ["db-a", "db-b"]
    assert engine.connections[0].closed
