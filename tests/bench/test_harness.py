"""The benchmark harness: percentiles from measured values only, a record beside its floor, a
child process's own peak memory, and failures that say what failed."""

import sys

import pytest

from caseboard.bench import harness


@pytest.mark.parametrize(
    ("values", "p50", "p95"),
    [
        ([5.0], 5.0, 5.0),
        ([1.0, 9.0], 5.0, 9.0),
        ([3.0, 1.0, 2.0], 2.0, 3.0),
        # 20 values: the 95th percentile by nearest rank is the 19th smallest.
        ([float(n) for n in range(1, 21)], 10.5, 19.0),
        ([float(n) for n in range(1, 101)], 50.5, 95.0),
    ],
)
def test_percentiles_are_measured_values(values, p50, p95):
    assert harness.percentiles(values) == (p50, p95)


def test_a_small_runs_p95_never_exceeds_its_maximum():
    # statistics.quantiles(n=20) gives 10.75 for these three: beyond anything measured.
    values = [0.2, 0.3, 10.0]
    assert harness.percentiles(values)[1] == max(values)


def test_a_figure_is_beside_its_floor():
    record = harness.figure("x_seconds", 1.23456, unit="s", floor=0.5, target=2.0)
    assert record == {
        "name": "x_seconds",
        "value": 1.2346,
        "unit": "s",
        "floor": 0.5,
        "ratio": 2.47,
        "target": 2.0,
    }
    assert harness.figure("n", 3, unit="rows", floor=None, target=None)["ratio"] is None


def test_a_child_reports_its_own_peak_memory(tmp_path):
    """The generate benchmark's floor task in a fresh interpreter: it writes its rows and reports
    its own peak, nowhere near the 600 MB this process holds while it runs."""
    held = bytearray(600 * 1024 * 1024)
    held[::4096] = b"x" * len(held[::4096])  # touch every page, so it is resident
    assert harness.peak_memory_mb() > 600
    child = harness.run_child("caseboard.bench.generate", "floor", "1000", str(tmp_path))
    del held
    assert (tmp_path / "floor.parquet").exists()
    assert child["rows"] == 1000
    assert 0 < child["peak_mb"] < 400


def test_a_failing_command_names_itself_and_its_error():
    command = [sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"]
    with pytest.raises(RuntimeError, match=r"failed \(3\):\nboom"):
        harness.run_command(command)


def test_best_of_takes_the_shortest_run_and_the_last_result():
    calls = []

    def run():
        calls.append(len(calls))
        return len(calls)

    seconds, last = harness.best_of(3, run)
    assert calls == [0, 1, 2] and last == 3
    assert 0 <= seconds < 1
    assert harness.best_of(0, run)[1] == 4  # at least one run
