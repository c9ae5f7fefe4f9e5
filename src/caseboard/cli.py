"""The ``caseboard`` command.

Exit status: 0 success; 1 error, nothing changed; 2 usage error; 3 import processed with some
records quarantined.
"""

from __future__ import annotations

import datetime as dt
import enum
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from caseboard.domain import clock
from caseboard.web.accounts.roles import SCOPE_OF_ROLE

app = typer.Typer(
    name="caseboard",
    help="Caseload supervision and caseload management for NHS mental health teams.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

DEMO_SEED = 20261123
DEMO_HISTORY_MONTHS = 12


class Format(enum.StrEnum):
    csv = "csv"
    parquet = "parquet"
    db = "db"


Role = enum.Enum("Role", {role: role for role in SCOPE_OF_ROLE}, type=str)


class Failed(Exception):
    """A command could not do its work; nothing was changed. Exit status 1."""


def fail(message: str) -> None:
    raise Failed(message)


def main() -> None:
    try:
        clock.today()  # a CASEBOARD_TODAY that names no day stops every command before it starts
        app()
    except (Failed, clock.ClockError) as error:
        err.print(f"[bold red]caseboard:[/] {error}")
        sys.exit(1)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _django(settings_module: str = "caseboard.web.settings.base") -> None:
    from caseboard.web import bootstrap

    bootstrap.setup(settings_module)
    try:
        bootstrap.ensure_migrated()
    except Exception as error:  # a database that cannot be reached or written
        fail(f"cannot prepare the database: {error}")


@app.command()
def generate(
    seed: Annotated[
        int, typer.Option(min=0, help="Random seed; the same seed gives the same files.")
    ],
    format: Annotated[
        Format,
        typer.Option(
            "--format", help="csv (EPR extract), parquet (mirror) or db (load the database)."
        ),
    ],
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Folder to write (csv, parquet).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Date the trust is generated up to (default today).")
    ] = None,
    referrals: Annotated[int, typer.Option(min=1)] = 600,
    years: Annotated[int, typer.Option(min=1, max=20)] = 2,
    services: Annotated[int, typer.Option(min=1)] = 2,
    teams: Annotated[int, typer.Option(min=1)] = 3,
    practitioners: Annotated[int, typer.Option(min=1)] = 16,
    replace: Annotated[
        bool, typer.Option(help="Replace an existing trust or non-empty folder.")
    ] = False,
) -> None:
    """Generate a synthetic trust as files or into the database."""
    from caseboard.services import generation

    try:
        params = generation.params(
            seed=seed,
            as_of=_date(as_of) or clock.today(),
            referrals=referrals,
            years=years,
            services=services,
            teams=teams,
            practitioners=practitioners,
        )
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    if format is Format.db:
        if out_dir is not None:
            raise typer.BadParameter("--out is for csv and parquet; db loads the database")
        _django()
        try:
            counts = generation.into_database(params, replace=replace, console=out)
        except ValueError as error:
            fail(str(error))
    else:
        if out_dir is None:
            raise typer.BadParameter("--out DIR is needed for csv and parquet")
        try:
            counts = generation.into_folder(
                params, format.value, out_dir, replace=replace, console=out
            )
        except (ValueError, OSError) as error:
            fail(str(error))
    out.print(
        f"Generated {sum(counts.values()):,} rows in {len(counts)} tables "
        f"(seed {seed}, as of {params.as_of})."
    )


@app.command()
def createuser(
    name: Annotated[str, typer.Argument(help="Username.")],
    role: Annotated[Role, typer.Option(help="The role the user holds over its scope.")],
    team: Annotated[str | None, typer.Option(help="Team source id (team roles).")] = None,
    service: Annotated[
        str | None, typer.Option(help="Service source id (service_manager).")
    ] = None,
    practitioner: Annotated[str | None, typer.Option(help="Practitioner source id.")] = None,
    password_stdin: Annotated[
        bool, typer.Option(help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user holding one role over its scope."""
    scopes = {
        k: v for k, v in (("team", team), ("service", service), ("practitioner", practitioner)) if v
    }
    if len(scopes) > 1:
        raise typer.BadParameter("give at most one of --team, --service, --practitioner")
    scope_kind, source_id = next(iter(scopes.items()), (None, None))
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        raise typer.BadParameter("no terminal to ask for a password: use --password-stdin")
    _django()
    from caseboard.web.accounts import actions

    try:
        scope = actions.resolve_scope(role.value, scope_kind, source_id)
        actions.create_user(username=name, password=password, role=role.value, scope=scope)
    except actions.AccountError as error:
        fail(str(error))
    out.print(f"Created user {name} ({role.value}).")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
) -> None:
    """Serve Caseboard."""
    _django()
    from caseboard.web import server

    server.run(host=host, port=port)


def _engine():
    from caseboard import config
    from caseboard.engine import backends

    return backends.application(config.load())


@app.command()
def refresh(
    as_of: Annotated[
        str | None, typer.Option(help="Compute as of this date (default today).")
    ] = None,
    history: Annotated[
        int | None,
        typer.Option(min=1, max=60, help="Also compute the summaries of the last N month ends."),
    ] = None,
    queued: Annotated[
        bool,
        typer.Option(
            "--queued", help="Only the referrals writers queued (full when the day has changed)."
        ),
    ] = False,
    engine: Annotated[
        Engine | None,
        typer.Option(
            help="sqlite or postgres: the application database (the default); duckdb or spark: "
            "mirror Parquet in --source, writing case_snapshot.parquet and tier_summary.parquet "
            "there."
        ),
    ] = None,
    source: Annotated[
        Path | None, typer.Option(help="The mirror Parquet folder (with --engine duckdb|spark).")
    ] = None,
) -> None:
    """Recompute the case snapshot of every open referral (and, with --history, the monthly
    tier summaries the trends read)."""
    day = _date(as_of)
    policy = _policy()
    if engine in (Engine.duckdb, Engine.spark):
        _refresh_mirror(engine, source, day, policy, history=history, queued=queued)
        return
    if source is not None:
        raise typer.BadParameter(
            "--source goes with --engine duckdb or spark", param_hint="--source"
        )
    _check_application_engine(engine)
    _django()
    from caseboard.engine import history as engine_history
    from caseboard.engine import refresh as engine_refresh

    day = day or clock.today()
    con = _engine()
    if queued:
        from caseboard.engine import incremental

        drained = incremental.drain(con, today=day, policy=policy)
        out.print(f"Refresh of the queue: {drained['kind']}, {drained['referrals']:,} referrals.")
        return
    with out.status(f"Computing the snapshot as of {day}"):
        written = engine_refresh.full(con, as_of=day, policy=policy)
    out.print(f"Snapshot as of {day}: {written:,} open referrals.")
    if history:
        with out.status(f"Computing the summaries of {history} month ends"):
            months = engine_history.backfill(con, months=history, today=day, policy=policy)
        first, last = min(months), max(months)
        out.print(f"Monthly history: {len(months)} month ends, {first} to {last}.")


@app.command()
def snapshot(
    out_file: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    as_of: Annotated[
        str | None, typer.Option(help="Compute as of this date (default today).")
    ] = None,
) -> None:
    """Write the snapshot, with every input the rules read and the source ids, as CSV."""
    day = _date(as_of)
    policy = _policy()
    _django()
    from caseboard.engine import refresh as engine_refresh

    day = day or clock.today()
    with out.status(f"Computing the snapshot as of {day}"):
        table = engine_refresh.snapshot_table(_engine(), as_of=day, policy=policy)
    try:
        engine_refresh.write_csv(table, out_file)
    except OSError as error:
        fail(f"cannot write {out_file}: {error.strerror or error}")
    out.print(f"Wrote {table.num_rows:,} referrals to {out_file}.")


def _check_application_engine(engine: Engine | None) -> None:
    from caseboard import config

    if engine is None:
        return
    is_sqlite = config.load().database.is_sqlite
    if (engine == Engine.sqlite) != is_sqlite:
        where = "SQLite" if is_sqlite else "PostgreSQL (DATABASE_URL)"
        raise typer.BadParameter(
            f"the application database is {where}, not {engine}", param_hint="--engine"
        )


def _refresh_mirror(engine, source, day, policy, *, history, queued) -> None:
    """The snapshot and current summaries of a mirror Parquet folder, written beside it."""
    if source is None:
        raise typer.BadParameter(f"--engine {engine} needs --source DIR", param_hint="--source")
    if history or queued:
        raise typer.BadParameter("--history and --queued work on the application database")
    from caseboard.engine import backends
    from caseboard.engine import refresh as engine_refresh

    try:
        if engine == Engine.duckdb:
            con = backends.duckdb_parquet(source)
        else:
            con = backends.spark_parquet(source)
    except FileNotFoundError as error:
        fail(str(error))
    day = day or clock.today()
    with out.status(f"Computing the snapshot of {source} as of {day} on {engine}"):
        written = engine_refresh.to_parquet(con, source, as_of=day, policy=policy)
    out.print(f"Snapshot as of {day}: {written:,} open referrals, written to {source}.")


def _policy():
    from caseboard import config
    from caseboard.domain.policy import PolicyError, load_policy

    path = config.load().policy_file
    try:
        return load_policy(path)
    except (PolicyError, OSError) as error:
        fail(f"policy file {path}: {error}")


@app.command("policy")
def show_policy() -> None:
    """Print every threshold in force, its source, and whether it is a local choice."""
    from rich.table import Table

    from caseboard.domain.policy import describe

    policy = _policy()
    table = Table(title="Policy in force", show_lines=False)
    for heading in ("setting", "value", "unit", "source", "local", "changed"):
        table.add_column(heading, overflow="fold")
    for row in describe(policy):
        table.add_row(
            row["name"],
            str(row["value"]),
            row["unit"],
            row["source"],
            "local" if row["local"] else "",
            "changed" if row["changed"] else "",
        )
    out.print(table)
    if policy.approval is not None:
        out.print(
            f"Local changes approved by {policy.approval.approved_by}: {policy.approval.reason}"
        )


@app.command("flags")
def show_flags() -> None:
    """Print every flag: its lane, its rule with the values in force, where it applies, and its
    source."""
    from caseboard.domain.flags import CATALOGUE, rule_text
    from caseboard.domain.lanes import SAFETY_WHEN

    policy = _policy()
    for flag in CATALOGUE:
        profiles = ", ".join(sorted(flag.applies_to))
        out.rule(f"[bold]{flag.code}[/]  {flag.title}", align="left")
        safety_when = SAFETY_WHEN.get(flag.code)
        out.print(
            f"[dim]level[/] {flag.level}   [dim]severity[/] {flag.severity}"
            + (f"   [dim]lane[/] {flag.lane}" if flag.lane else "")
            + (f" (safety {safety_when[0]})" if safety_when else "")
            + ("   [bold]marker, not counted[/]" if flag.marker else "")
            + ("   [bold]safety flag[/]" if flag.safety else "")
        )
        out.print(
            f"[dim]applies to[/] {profiles}"
            + (f"; when {flag.applies_when}" if flag.applies_when else "")
        )
        out.print(rule_text(flag, policy), highlight=False, markup=False)
        out.print(f"[dim]source[/] {flag.source}\n")


class Engine(enum.StrEnum):
    sqlite = "sqlite"
    postgres = "postgres"
    duckdb = "duckdb"
    spark = "spark"


class Size(enum.StrEnum):
    tiny = "tiny"
    full = "full"


@app.command()
def bench(
    name: Annotated[
        str, typer.Argument(help="The benchmark: generate, incremental, write, refresh or load.")
    ],
    size: Annotated[Size, typer.Option(help="tiny proves it runs; full measures.")] = Size.tiny,
) -> None:
    """Run a benchmark: BENCH lines here, and the records in CASEBOARD_HOME/bench/results.jsonl."""
    from caseboard.bench import harness as benchmarks

    try:
        records = benchmarks.run(name, size.value)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
    for record in records:
        print(benchmarks.line(record))


@app.command()
def demo(
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    reset: Annotated[bool, typer.Option(help="Rebuild the demo trust from scratch.")] = False,
    serve_: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve once built.")] = True,
) -> None:
    """Build the demo trust (synthetic data, one account per role) and serve it."""
    from caseboard import config

    if reset:
        settings = config.load()
        if not settings.database.is_sqlite:
            fail("--reset only rebuilds the embedded SQLite demo database")
        for suffix in ("", "-wal", "-shm"):
            Path(settings.database.name + suffix).unlink(missing_ok=True)
    _django("caseboard.web.settings.demo")
    from caseboard.config import DEMO_PASSWORD
    from caseboard.records import bulk
    from caseboard.services import generation
    from caseboard.web.accounts import demo_accounts

    if not bulk.holds_data():
        params = generation.params(seed=DEMO_SEED, as_of=clock.today())
        generation.into_database(params, replace=False, console=out)
    demo_accounts.ensure(password=DEMO_PASSWORD)
    from caseboard.engine import refresh as engine_refresh

    with out.status("Computing the case snapshot"):
        engine_refresh.full(_engine(), as_of=clock.today(), policy=_policy())
    demo_accounts.print_table(out, password=DEMO_PASSWORD, port=port)
    if serve_:
        from caseboard.web import server

        _history_in_background()
        server.run(host="127.0.0.1", port=port)


def _history_in_background(months: int = DEMO_HISTORY_MONTHS) -> None:
    """The trends read monthly summaries that take a minute or two to compute: work them out
    beside the server (a separate process, its own short write) rather than before it starts.
    Skipped when the database already holds them."""
    from caseboard import config
    from caseboard.records.models import TierSummary

    if TierSummary.objects.filter(month__isnull=False).exists():
        return
    log = config.load().home / "history.log"
    command = [sys.executable, "-m", "caseboard", "refresh", "--history", str(months)]
    with log.open("w") as handle:
        subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)
    out.print(f"Computing {months} months of history for the trends in the background ({log}).")


# `caseboard report ...` is in cli_report.py, which registers on ``app``.
from caseboard import cli_report  # noqa: E402, F401
