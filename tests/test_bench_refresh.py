"""The refresh benchmarks run at their tiny size (make bench measures them at full size): each
prints its BENCH lines with a value and a floor measured in the same run."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.cli


def bench(home, name):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["CASEBOARD_HOME"] = str(home)
    done = subprocess.run(
        [str(Path(sys.executable).parent / "caseboard"), "bench", name, "--size", "tiny"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    lines = [line.split() for line in done.stdout.splitlines() if line.startswith("BENCH ")]
    return {line[1]: dict(part.split("=", 1) for part in line[2:]) for line in lines}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "incremental",
            {f"incremental_refresh_sqlite_{k}" for k in ("p50", "p95", "first_of_day")},
        ),
        (
            "write",
            {f"contact_visible_sqlite_{k}" for k in ("p50", "p95", "max", "first_in_process")},
        ),
    ],
)
def test_a_refresh_benchmark_prints_its_figures(tmp_path, name, expected):
    figures = bench(tmp_path, name)
    assert set(figures) == expected
    for fields in figures.values():
        assert float(fields["value"]) > 0 and float(fields["floor"]) > 0
        assert fields["unit"] == "s"
