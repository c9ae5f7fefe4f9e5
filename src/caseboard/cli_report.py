"""`caseboard report ...`: reports read from the current snapshot."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from caseboard.cli import _django, _engine, _policy, app, fail, out

report = typer.Typer(help="Reports read from the current snapshot.", no_args_is_help=True)
app.add_typer(report, name="report")


@report.command("burden")
def report_burden(
    csv_file: Annotated[
        Path | None, typer.Option("--csv", help="Also write the lines to this CSV file.")
    ] = None,
) -> None:
    """Alert burden per practitioner, team and service profile (CLINICAL-RULES revision 2):
    cases with a red flag not yet discussed, with a safety or clinical flag, with no flag, and
    flags per case, against the triggers for review; people waiting for treatment on the team's
    waiting list."""
    _django()
    from rich.table import Table

    from caseboard.domain import burden as alert
    from caseboard.engine.burden import read_lines, write_csv

    policy = _policy()
    lines, as_of = read_lines(_engine())
    if as_of is None:
        fail("no snapshot yet: run `caseboard refresh` first")
    table = Table(title=f"Alert burden as of {as_of}", show_lines=False)
    for heading in ("Tier", "Name", "Cases", "Red not discussed", "Safety/clinical", "No flag"):
        table.add_column(heading, justify="left" if heading in ("Tier", "Name") else "right")
    table.add_column("Flags/case", justify="right")
    table.add_column("Triggers for review")

    def share(line: alert.Burden, count: int) -> str:
        value = line.share(count)
        return "-" if value is None else f"{count} ({value:.0%})"

    for line in lines:
        per_case = line.flags_per_case
        table.add_row(
            line.tier,
            line.name,
            str(line.cases),
            share(line, line.red_not_discussed),
            share(line, line.safety_or_clinical),
            share(line, line.no_flag),
            "-" if per_case is None else f"{per_case:.1f}",
            "; ".join(line.triggers),
        )
    out.print(table)
    out.print(
        "Triggers (review, never pass or fail): red not yet discussed above "
        f"{alert.RED_NOT_DISCUSSED_MAX:.0%} (no signed discussion in the last fortnight in "
        "Talking Therapies, the last month elsewhere); a safety or clinical flag above "
        f"{alert.SAFETY_OR_CLINICAL_MAX['talking_therapies']:.0%} (Talking Therapies) or "
        f"{alert.SAFETY_OR_CLINICAL_MAX['community']:.0%} (community); fewer than "
        f"{alert.FLAGGED_DATA_CHECK_BELOW:.0%} flagged. People waiting for treatment are on the "
        "team's waiting list, not in a practitioner's burden.",
        markup=False,
    )
    out.print(
        "Policy values that drive them: "
        + "; ".join(f"{name} {value}" for name, value in alert.policy_values(policy)),
        markup=False,
        highlight=False,
    )
    if csv_file is not None:
        try:
            write_csv(lines, csv_file)
        except OSError as error:
            fail(f"cannot write {csv_file}: {error.strerror or error}")
        out.print(f"Wrote {len(lines)} lines to {csv_file}.")
