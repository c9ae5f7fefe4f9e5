"""Alert burden (CLINICAL-RULES section 2, "Alert burden", revision 2): how much a case list asks
of the people who read it, per practitioner, team and service profile, as triggers for review
and never pass or fail.

Read from snapshot rows alone (pure Python):

- *red not yet discussed*: a case with a red flag (the HIGH_RISK marker excluded) and no signed
  supervision discussion within the last supervision cycle: a fortnight in Talking Therapies
  (case management supervision, seed 002 §14.2), a calendar month elsewhere (seed 000 §4.3).
  The snapshot does not hold when each flag was raised, so "not yet discussed" is read as "not
  discussed in the cycle now ending" (ADR 19);
- *safety or clinical*: a case with a raised flag in the safety or clinical lane, read with the
  lane conditions of domain/lanes.py;
- *no flag*: nothing raised (a flag that cannot be assessed is not a raised flag);
- *flags per case*: raised flags (markers excluded) over cases.

A flag superseded by a recent discharge or closure decision is not counted (domain/lanes.py).

People waiting for treatment are counted on the team's waiting list, not in a practitioner's
burden: not yet seen, or in Talking Therapies seen with fewer than two treatment contacts and not
taken off the list by the assessment's outcome (WAIT_SECOND's "still waiting").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from caseboard.domain.codes import NOT_FOR_TREATMENT
from caseboard.domain.evidence_text import as_date
from caseboard.domain.flag_types import RAISED, RED, flag_column
from caseboard.domain.flags import CATALOGUE, counted_states
from caseboard.domain.lanes import lane
from caseboard.domain.periods import add_months
from caseboard.domain.policy import Policy

TALKING_THERAPIES = "talking_therapies"
# The triggers for review, with their sources (CLINICAL-RULES revision 2).
RED_NOT_DISCUSSED_MAX = 0.10
SAFETY_OR_CLINICAL_MAX = {TALKING_THERAPIES: 0.50, "community": 0.40}
FLAGGED_DATA_CHECK_BELOW = 0.05
CASE_FLAGS = tuple(flag for flag in CATALOGUE if flag.level == "case")


def profile_group(service_kind: str) -> str:
    return TALKING_THERAPIES if service_kind == TALKING_THERAPIES else "community"


def waiting_for_treatment(row: Mapping[str, Any]) -> bool:
    """Not yet seen, or (Talking Therapies) seen and still waiting for treatment."""
    seen = as_date(row.get("first_assessment_on")) or as_date(row.get("first_treatment_on"))
    if seen is None and as_date(row.get("last_attended_on")) is None:
        return True
    if row.get("service_kind") != TALKING_THERAPIES:
        return False
    off_the_list = row.get("assessment_outcome") in NOT_FOR_TREATMENT
    return int(row.get("treatment_contacts") or 0) < 2 and not off_the_list


TALKING_THERAPIES_CYCLE_DAYS = 14


def cycle_start(as_of: dt.date, service_kind: str) -> dt.date:
    """The first day of the supervision cycle now ending: 14 days back in Talking Therapies,
    one calendar month back elsewhere."""
    if service_kind == TALKING_THERAPIES:
        return as_of - dt.timedelta(days=TALKING_THERAPIES_CYCLE_DAYS)
    return add_months(as_of, -1)


@dataclass(frozen=True)
class CaseBurden:
    red_not_discussed: bool
    safety_or_clinical: bool
    flagged: bool
    flags: int


def case_burden(row: Mapping[str, Any]) -> CaseBurden:
    states = counted_states({flag.code: row[flag_column(flag.code)] for flag in CASE_FLAGS}, row)
    raised = {code: state for code, state in states.items() if state in RAISED}
    as_of = as_date(row["as_of"])
    assert as_of is not None
    discussed = as_date(row.get("last_discussed_on"))
    since = cycle_start(as_of, str(row.get("service_kind")))
    red = any(state == RED for state in raised.values())
    lanes = {lane(code, state, row) for code, state in raised.items()}
    return CaseBurden(
        red_not_discussed=red and (discussed is None or discussed < since),
        safety_or_clinical=bool(lanes & {"safety", "clinical"}),
        flagged=bool(raised),
        flags=len(raised),
    )


@dataclass(frozen=True)
class Burden:
    """One line of the report: a practitioner's caseload, a team's, a profile's, or a team's
    waiting list."""

    tier: str  # practitioner, team, profile or waiting list
    name: str
    profile: str  # talking_therapies or community
    cases: int
    red_not_discussed: int
    safety_or_clinical: int
    no_flag: int
    flags: int

    def share(self, count: int) -> float | None:
        return count / self.cases if self.cases else None

    @property
    def flags_per_case(self) -> float | None:
        return self.share(self.flags)

    @property
    def triggers(self) -> tuple[str, ...]:
        """The triggers for review this line meets (CLINICAL-RULES revision 2)."""
        if not self.cases or self.tier == "waiting list":
            return ()
        found = []
        if (self.share(self.red_not_discussed) or 0) > RED_NOT_DISCUSSED_MAX:
            found.append(f"red not yet discussed above {RED_NOT_DISCUSSED_MAX:.0%}")
        limit = SAFETY_OR_CLINICAL_MAX[self.profile]
        if (self.share(self.safety_or_clinical) or 0) > limit:
            found.append(f"safety or clinical flag above {limit:.0%}")
        flagged = self.cases - self.no_flag
        if flagged / self.cases < FLAGGED_DATA_CHECK_BELOW:
            found.append(f"fewer than {FLAGGED_DATA_CHECK_BELOW:.0%} flagged: check the data")
        return tuple(found)


def _line(tier: str, name: str, profile: str, cases: list[CaseBurden]) -> Burden:
    return Burden(
        tier=tier,
        name=name,
        profile=profile,
        cases=len(cases),
        red_not_discussed=sum(c.red_not_discussed for c in cases),
        safety_or_clinical=sum(c.safety_or_clinical for c in cases),
        no_flag=sum(not c.flagged for c in cases),
        flags=sum(c.flags for c in cases),
    )


def burden(
    rows: Iterable[Mapping[str, Any]],
    practitioners: Mapping[int, str],
    teams: Mapping[int, str],
) -> list[Burden]:
    """The report's lines: each practitioner's caseload (waiting excluded), each team's caseload
    and waiting list, and each profile's caseload, in that order."""
    by_practitioner: dict[tuple[str, str], list[CaseBurden]] = {}
    by_team: dict[tuple[str, str], list[CaseBurden]] = {}
    waiting: dict[tuple[str, str], list[CaseBurden]] = {}
    by_profile: dict[str, list[CaseBurden]] = {}
    for row in rows:
        profile = profile_group(str(row["service_kind"]))
        team = (teams.get(row["team_id"], f"team {row['team_id']}"), profile)
        case = case_burden(row)
        if waiting_for_treatment(row):
            waiting.setdefault(team, []).append(case)
            continue
        lead = row.get("lead_practitioner_id")
        if lead is not None:
            who = (practitioners.get(lead, f"practitioner {lead}"), profile)
            by_practitioner.setdefault(who, []).append(case)
        by_team.setdefault(team, []).append(case)
        by_profile.setdefault(profile, []).append(case)
    lines = [_line("practitioner", n, p, c) for (n, p), c in sorted(by_practitioner.items())]
    lines += [_line("team", n, p, c) for (n, p), c in sorted(by_team.items())]
    lines += [_line("waiting list", n, p, c) for (n, p), c in sorted(waiting.items())]
    lines += [_line("profile", p, p, c) for p, c in sorted(by_profile.items())]
    return lines


def policy_values(policy: Policy) -> list[tuple[str, str]]:
    """The settings that most move these figures, as the policy holds them."""
    return [
        (
            "Discussion interval, Talking Therapies",
            f"{policy.discussion_interval_days_talking_therapies} days",
        ),
        ("Discussion interval, community", f"{policy.discussion_interval_months} months"),
        (
            "NO_CONTACT interval, Talking Therapies",
            f"{policy.no_contact_days['talking_therapies']} days",
        ),
        ("NO_CONTACT interval, adult CMH", f"{policy.no_contact_days['adult_cmh']} days"),
        (
            "DNA_REVIEW window, Talking Therapies",
            f"{policy.dna_review_window_days['talking_therapies']} days",
        ),
        ("RISK_CONCERNS item 9 threshold", str(policy.risk_concerns_item9_threshold)),
        ("SEVERITY_STEP PHQ-9 at step 2", f"{policy.severity_step_phq9:g}"),
        ("Superseded after a discharge agreed", f"{policy.discharge_agreed_days} days"),
    ]
