"""The command line: signatures, exit statuses, and bad input that changes nothing."""

import csv
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.cli
SMALL = ["--referrals", "120", "--as-of", "2026-11-20"]


def caseboard(home, *args, stdin=None, **environment):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["CASEBOARD_HOME"] = str(home)
    env.update(environment)
    return subprocess.run(
        [str(Path(sys.executable).parent / "caseboard"), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=240,
    )


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_generate_is_deterministic_and_seed_dependent(tmp_path, fmt):
    runs = {}
    for name, seed in (("a", "5"), ("b", "5"), ("c", "6")):
        result = caseboard(
            tmp_path,
            "generate",
            "--seed",
            seed,
            "--format",
            fmt,
            "--out",
            str(tmp_path / name),
            *SMALL,
        )
        assert result.returncode == 0, result.stderr
        runs[name] = digest(tmp_path / name)
    assert "manifest.json" in runs["a"]
    assert runs["a"] == runs["b"]
    assert runs["a"] != runs["c"]


@pytest.mark.parametrize(
    "args",
    [
        ["--no-such-option"],
        ["generate", "--seed", "abc", "--format", "csv", "--out", "x"],
        ["generate", "--seed", "-1", "--format", "csv", "--out", "x"],
        ["generate", "--seed", "1", "--format", "xml", "--out", "x"],
        ["generate", "--seed", "1", "--format", "csv"],
        ["generate", "--seed", "1", "--format", "csv", "--out", "x", "--as-of", "23/11/2026"],
        ["createuser", "someone", "--role", "wizard", "--password-stdin"],
        ["serve", "--port", "0"],
        ["refresh", "--as-of", "yesterday"],
        ["snapshot", "--as-of", "2026-11-20"],
    ],
)
def test_usage_errors_exit_2_and_change_nothing(tmp_path, args):
    result = caseboard(tmp_path / "home", *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip()
    assert not (tmp_path / "home").exists()
    assert not (tmp_path / "x").exists()


def test_generate_to_an_unwritable_path_fails_cleanly(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = caseboard(
        tmp_path,
        "generate",
        "--seed",
        "1",
        "--format",
        "csv",
        "--out",
        str(blocker / "out"),
        *SMALL,
    )
    assert result.returncode == 1
    assert str(blocker) in result.stderr
    assert blocker.read_text() == "not a folder"


def test_generate_refuses_a_non_empty_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = caseboard(
        tmp_path, "generate", "--seed", "1", "--format", "csv", "--out", str(out), *SMALL
    )
    assert result.returncode == 1
    assert "--replace" in result.stderr
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_generate_db_refuses_a_database_that_holds_a_trust(tmp_path):
    assert caseboard(tmp_path, "generate", "--seed", "1", "--format", "db", *SMALL).returncode == 0
    database = tmp_path / "caseboard.sqlite3"
    before = database.stat().st_size, _count(database)
    again = caseboard(tmp_path, "generate", "--seed", "2", "--format", "db", *SMALL)
    assert again.returncode == 1
    assert "--replace" in again.stderr
    assert _count(database) == before[1]
    replaced = caseboard(tmp_path, "generate", "--seed", "2", "--format", "db", "--replace", *SMALL)
    assert replaced.returncode == 0, replaced.stderr


def _count(database):
    import sqlite3

    with sqlite3.connect(database) as con:
        return con.execute("select count(*), sum(id) from contact").fetchone()


def test_createuser_makes_a_user_once(tmp_path):
    assert caseboard(tmp_path, "generate", "--seed", "1", "--format", "db", *SMALL).returncode == 0
    made = caseboard(
        tmp_path,
        "createuser",
        "lead1",
        "--role",
        "board",
        "--password-stdin",
        stdin="a long enough pass phrase\n",
    )
    assert made.returncode == 0, made.stderr
    again = caseboard(
        tmp_path,
        "createuser",
        "lead1",
        "--role",
        "board",
        "--password-stdin",
        stdin="a long enough pass phrase\n",
    )
    assert again.returncode == 1 and "already exists" in again.stderr
    unscoped = caseboard(
        tmp_path,
        "createuser",
        "tm",
        "--role",
        "team_manager",
        "--password-stdin",
        stdin="a long enough pass phrase\n",
    )
    assert unscoped.returncode == 1 and "--team" in unscoped.stderr
    unknown = caseboard(
        tmp_path,
        "createuser",
        "tm",
        "--role",
        "team_manager",
        "--team",
        "NOPE",
        "--password-stdin",
        stdin="a long enough pass phrase\n",
    )
    assert unknown.returncode == 1 and "NOPE" in unknown.stderr


def test_demo_builds_once_and_reuses_its_home(tmp_path):
    first = caseboard(tmp_path, "demo", "--no-serve")
    assert first.returncode == 0, first.stderr
    assert "caseboard-demo" in first.stdout
    for username in ("practitioner", "supervisor", "manager", "service", "board", "admin"):
        assert username in first.stdout
    counts = _count(tmp_path / "caseboard.sqlite3")
    second = caseboard(tmp_path, "demo", "--no-serve")
    assert second.returncode == 0, second.stderr
    assert _count(tmp_path / "caseboard.sqlite3") == counts


def test_refresh_then_snapshot_writes_every_open_referral(tmp_path):
    assert caseboard(tmp_path, "generate", "--seed", "1", "--format", "db", *SMALL).returncode == 0
    refreshed = caseboard(tmp_path, "refresh", "--as-of", "2026-11-20")
    assert refreshed.returncode == 0, refreshed.stderr
    import csv
    import sqlite3

    with sqlite3.connect(tmp_path / "caseboard.sqlite3") as con:
        stored = con.execute("select count(*) from case_snapshot").fetchone()[0]
        runs = con.execute("select kind, status, referrals from refresh_run").fetchall()
        open_now = con.execute(
            "select count(*) from referral where received_on <= '2026-11-20'"
            " and (closed_on is null or closed_on > '2026-11-20')"
        ).fetchone()[0]
    assert stored == open_now > 0
    assert runs == [("full", "succeeded", stored)]
    out = tmp_path / "snapshot.csv"
    written = caseboard(tmp_path, "snapshot", "--as-of", "2026-11-20", "--out", str(out))
    assert written.returncode == 0, written.stderr
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == open_now
    assert all(row["referral_source_id"].startswith("REF-") for row in rows)
    # The alert burden over the same snapshot: every open case is on a team's caseload or its
    # waiting list, once; a practitioner's lines hold only allocated cases not waiting.
    report = tmp_path / "burden.csv"
    burden = caseboard(tmp_path, "report", "burden", "--csv", str(report))
    assert burden.returncode == 0, burden.stderr
    assert "Alert burden as of 2026-11-20" in burden.stdout
    with report.open(newline="") as handle:
        lines = list(csv.DictReader(handle))
    teams = [line for line in lines if line["tier"] in ("team", "waiting list")]
    assert sum(int(line["cases"]) for line in teams) == open_now
    profiles = sum(int(line["cases"]) for line in lines if line["tier"] == "profile")
    practitioners = sum(int(line["cases"]) for line in lines if line["tier"] == "practitioner")
    assert practitioners <= profiles < open_now
    for line in lines:
        assert int(line["red_not_discussed"]) <= int(line["cases"])
        # A case with a safety or clinical flag is flagged: the two counts never overlap.
        assert int(line["no_flag"]) + int(line["safety_or_clinical"]) <= int(line["cases"])


def test_report_burden_before_a_refresh_says_so(tmp_path):
    assert caseboard(tmp_path, "generate", "--seed", "1", "--format", "db", *SMALL).returncode == 0
    result = caseboard(tmp_path, "report", "burden")
    assert result.returncode == 1
    assert "no snapshot yet: run `caseboard refresh` first" in result.stdout + result.stderr


def test_snapshot_to_an_unwritable_path_fails_cleanly(tmp_path):
    assert caseboard(tmp_path, "generate", "--seed", "1", "--format", "db", *SMALL).returncode == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = caseboard(tmp_path, "snapshot", "--out", str(blocker / "snap.csv"))
    assert result.returncode == 1
    assert "cannot write" in result.stderr


def test_bench_generate_tiny_prints_bench_lines_and_keeps_them(tmp_path):
    result = caseboard(tmp_path, "bench", "generate", "--size", "tiny")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("BENCH ")]
    assert len(lines) == 3
    for line in lines:
        fields = dict(part.split("=", 1) for part in line.split()[2:])
        assert set(fields) == {"value", "unit", "floor", "ratio", "target"}
        assert float(fields["value"]) > 0 and float(fields["floor"]) > 0
    import json

    kept = [
        json.loads(row) for row in (tmp_path / "bench" / "results.jsonl").read_text().splitlines()
    ]
    assert [row["name"] for row in kept] == [line.split()[1] for line in lines]
    assert kept[0]["versions"]["duckdb"] and kept[0]["cpus"]


def test_an_out_of_range_policy_refuses_to_load_and_nothing_is_refreshed(tmp_path):
    assert caseboard(tmp_path, "generate", "--seed", "1", "--format", "db", *SMALL).returncode == 0
    (tmp_path / "policy.toml").write_text(
        "[policy]\nfirst_appointment_internal_days = 280\n\n"
        '[approval]\napproved_by = "A. Lead"\nreason = "typo"\n'
    )
    for command in (["refresh"], ["policy"], ["flags"]):
        result = caseboard(tmp_path, *command)
        assert result.returncode == 1, command
        assert "first_appointment_internal_days" in result.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "caseboard.sqlite3") as con:
        assert con.execute("select count(*) from refresh_run").fetchone()[0] == 0


def test_refresh_over_mirror_parquet_writes_the_same_snapshot_beside_it(tmp_path):
    mirror = tmp_path / "mirror"
    args = ["--seed", "1", *SMALL]
    assert caseboard(tmp_path, "generate", "--format", "db", *args).returncode == 0
    parquet = caseboard(tmp_path, "generate", "--format", "parquet", "--out", str(mirror), *args)
    assert parquet.returncode == 0, parquet.stderr
    assert caseboard(tmp_path, "refresh", "--as-of", "2026-11-20").returncode == 0
    done = caseboard(
        tmp_path, "refresh", "--engine", "duckdb", "--source", str(mirror), "--as-of", "2026-11-20"
    )
    assert done.returncode == 0, done.stderr
    import sqlite3

    import pyarrow.parquet as pq

    with sqlite3.connect(tmp_path / "caseboard.sqlite3") as con:
        stored = con.execute("select referral_id, priority, flags from case_snapshot").fetchall()
        summaries = con.execute("select count(*) from tier_summary where month is null").fetchone()[
            0
        ]
    snapshot = pq.read_table(mirror / "case_snapshot.parquet").to_pylist()
    assert sorted((r["referral_id"], r["priority"], r["flags"]) for r in snapshot) == sorted(stored)
    assert pq.read_table(mirror / "tier_summary.parquet").num_rows == summaries > 0


@pytest.mark.parametrize(
    "args",
    [
        ["--engine", "duckdb"],  # no --source
        ["--engine", "postgres"],  # the application database is SQLite
        ["--source", "somewhere"],  # --source without a Parquet engine
    ],
)
def test_refresh_engine_usage_errors_exit_2(tmp_path, args):
    result = caseboard(tmp_path, "refresh", *args)
    assert result.returncode == 2, result.stderr
    assert not (tmp_path / "caseboard.sqlite3").exists()


def test_bench_load_tiny_serves_every_role_without_errors(tmp_path):
    result = caseboard(tmp_path, "bench", "load", "--size", "tiny")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("BENCH ")]
    figures = {line.split()[1]: dict(p.split("=", 1) for p in line.split()[2:]) for line in lines}
    for page in ("practitioner", "team", "supervisor"):
        for percentile in ("p50", "p95"):
            fields = figures[f"load_sqlite_{page}_{percentile}"]
            assert fields["unit"] == "ms"
            assert float(fields["value"]) > 0 and float(fields["floor"]) > 0
            assert float(fields["ratio"]) > 0
    assert figures["load_sqlite_errors"]["value"] == "0"
    # The page serves every open case its practitioners hold on the pinned day, and the bench
    # chose them to hold as near 70 as the trust allows.
    served, held = (
        figures["load_sqlite_practitioner_cases"],
        figures["load_sqlite_practitioner_cases_held"],
    )
    assert int(served["value"]) == int(held["value"])
    assert int(held["target"]) == 70
    assert abs(int(held["value"]) - 70) <= 2, held
    assert "open cases on 2026-11-18 (asked for 70)" in result.stderr
    assert int(figures["load_sqlite_team_rows"]["value"]) > 0
    assert "PostgreSQL not measured" in result.stderr


def test_bench_refresh_tiny_prints_duckdb_lines_beside_their_floor(tmp_path):
    result = caseboard(tmp_path, "bench", "refresh", "--size", "tiny")
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("BENCH ")]
    figures = {line.split()[1]: dict(p.split("=", 1) for p in line.split()[2:]) for line in lines}
    assert int(figures["refresh_tiny_open_referrals"]["value"]) > 0
    assert int(figures["refresh_tiny_contacts"]["value"]) > 0
    for name, unit in (("seconds", "s"), ("peak_memory", "MB")):
        fields = figures[f"refresh_duckdb_tiny_{name}"]
        assert fields["unit"] == unit
        value, floor = float(fields["value"]), float(fields["floor"])
        assert value > 0 and floor > 0
        # value and floor are printed rounded to 3 places; the ratio is of the unrounded figures.
        assert float(fields["ratio"]) == pytest.approx(value / floor, rel=0.05)
        assert float(fields["target"]) > 0
    assert not any(name.startswith("refresh_postgres") for name in figures)
    assert "PostgreSQL not measured" in result.stderr
    # The generated mirror is kept for the next run, with every declared table present.
    (mirror,) = (tmp_path / "bench" / "refresh-mirror").iterdir()
    assert (mirror / "manifest.json").exists()
    assert (mirror / "safeguarding_concern.parquet").exists()


def test_a_clock_override_that_names_no_day_stops_the_command(tmp_path):
    result = caseboard(tmp_path, "policy", CASEBOARD_TODAY="31/01/2026")
    assert result.returncode == 1
    assert "CASEBOARD_TODAY='31/01/2026' is neither a date (YYYY-MM-DD)" in result.stderr
    assert "Traceback" not in result.stderr


def test_refresh_computes_as_of_the_clocks_day(tmp_path):
    """With no --as-of, the command line's day is the clock's: here the suite's pinned day, and a
    day set for one command."""
    assert (
        caseboard(
            tmp_path, "generate", "--seed", "3", "--format", "db", "--referrals", "40"
        ).returncode
        == 0
    )
    for day in ("2026-11-18", "2027-02-28"):
        result = caseboard(tmp_path, "refresh", CASEBOARD_TODAY=day)
        assert result.returncode == 0, result.stderr
        out = tmp_path / f"snapshot-{day}.csv"
        assert (
            caseboard(tmp_path, "snapshot", "--out", str(out), CASEBOARD_TODAY=day).returncode == 0
        )
        with out.open() as handle:
            rows = list(csv.DictReader(handle))
        assert rows and {row["as_of"] for row in rows} == {day}


def test_flags_prints_each_case_flag_with_its_lane(tmp_path):
    result = caseboard(tmp_path, "flags")
    assert result.returncode == 0, result.stderr
    lanes = dict(re.findall(r"^(\w+)  .*\n.*lane (\w+)", result.stdout, re.MULTILINE))
    assert len(lanes) == 39
    assert (lanes["PHQ9_ITEM9"], lanes["SESSION_LIMIT"], lanes["WAIT_LETTER_DUE"]) == (
        "safety",
        "clinical",
        "process",
    )
    assert lanes["RISK_CONCERNS"] == "safety" and lanes["SEVERITY_STEP"] == "clinical"
    assert "lane clinical (safety when red)" in result.stdout  # NO_CONTACT, WAIT_SECOND, KIT_DUE
    assert "marker, not counted" in result.stdout  # HIGH_RISK
    assert "OVER_CAPACITY" in result.stdout and "OVER_CAPACITY" not in lanes
    # A per-profile value prints as written, not read as console markup.
    flat = " ".join(result.stdout.split())
    assert "Interval: [talking_therapies: 14; adult_cmh: 28;" in flat
