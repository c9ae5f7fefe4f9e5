"""The accounts the web load benchmark signs in with, over a demo trust already built.

Run as ``python -m caseboard.bench.accounts`` with the benchmark server's environment
(CASEBOARD_HOME, DATABASE_URL); it prints one JSON line for ``bench/load.py`` to read.

The busiest practitioner of the demo trust holds fewer open cases than the 70 the load benchmark
asks of the practitioner page. So the bench practitioner account holds the practitioner role over
the busiest practitioner and then over others, one at a time, until the union of their current
open cases is as near 70 as the trust allows (never above it when it can be met exactly). The
page's query is the same for one practitioner id or several; only the number of rows differs.
The benchmark counts the rows the page itself serves and reports that count.
"""

from __future__ import annotations

import json
import sys

BENCH_PRACTITIONER = "bench-practitioner"
CASELOAD = 70


def open_caseload(practitioner_ids: set[int]) -> int:
    """How many open cases the caseload page lists for these practitioners (its own filters)."""
    from caseboard.domain import clock
    from caseboard.records.models import Referral
    from caseboard.web.accounts.access import current_care_team

    mine = current_care_team(clock.today()).filter(practitioner_id__in=practitioner_ids)
    return Referral.objects.filter(status="open", pk__in=mine.values("referral_id")).count()


def choose_practitioners(candidates: list[int], target: int) -> list[int]:
    """Practitioner ids whose open cases together come nearest ``target``: the busiest first,
    then whichever brings the total nearest the target without passing it; past it only when
    no one fits."""
    ranked = sorted(candidates, key=lambda pk: (-open_caseload({pk}), pk))
    chosen = ranked[:1]
    rest = ranked[1:]
    while rest and open_caseload(set(chosen)) < target:
        totals = {pk: open_caseload({*chosen, pk}) for pk in rest}
        fitting = [pk for pk in rest if totals[pk] <= target]
        if fitting:
            best = max(fitting, key=lambda pk: (totals[pk], -pk))
        else:
            best = min(rest, key=lambda pk: (totals[pk], pk))
        chosen.append(best)
        rest.remove(best)
    return chosen


def ensure(password: str) -> dict[str, object]:
    """Create the bench practitioner account (once) and say who and what the pages hold."""
    from caseboard.records.models import Practitioner, Team
    from caseboard.synthetic.trust import DEMO_PEOPLE
    from caseboard.web.accounts import actions
    from caseboard.web.accounts.models import Grant, User

    user = User.objects.filter(username=BENCH_PRACTITIONER).first()
    if user is None:
        ids = choose_practitioners(
            list(Practitioner.objects.values_list("pk", flat=True)), CASELOAD
        )
        first = Practitioner.objects.get(pk=ids[0])
        user = actions.create_user(
            username=BENCH_PRACTITIONER,
            password=password,
            role="practitioner",
            scope=first,
            practitioner=first,
            check_password=False,
        )
        for pk in ids[1:]:
            actions.grant(user=user, role="practitioner", scope=Practitioner.objects.get(pk=pk))
    held = set(
        Grant.objects.filter(user_id=user.pk, role="practitioner").values_list(
            "practitioner_id", flat=True
        )
    )
    from caseboard.domain import clock

    return {
        "as_of": clock.today().isoformat(),
        "practitioner": BENCH_PRACTITIONER,
        "practitioner_sources": sorted(
            Practitioner.objects.filter(pk__in=held).values_list("source_id", flat=True)
        ),
        "practitioner_cases": open_caseload(held),
        "supervisor": "supervisor",
        "manager": "manager",
        "team_id": Team.objects.get(source_id=DEMO_PEOPLE["manager_team"]).pk,
    }


def main() -> None:
    from caseboard.config import DEMO_PASSWORD
    from caseboard.web import bootstrap

    bootstrap.setup("caseboard.web.settings.base")
    print(json.dumps(ensure(DEMO_PASSWORD)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
