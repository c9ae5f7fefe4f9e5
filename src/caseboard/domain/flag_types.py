"""What a flag is: the ``Flag`` record, its states, severities, levels and service profiles.

The catalogue itself is in ``flags_case``, ``flags_treatment`` and ``flags_oversight``, gathered
by ``flags``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from caseboard.domain.codes import SERVICE_KINDS

if TYPE_CHECKING:
    from caseboard.domain.evidence_text import Facts

# The state of one flag for one referral (or practitioner, or team) in the snapshot.
RED = "red"
AMBER = "amber"
CLEAR = "clear"
NOT_APPLICABLE = "not_applicable"  # the flag does not apply to this service profile
CANNOT_ASSESS = "cannot_assess"  # the data the rule needs is absent: shown grey, never as clear
STATES = (RED, AMBER, CLEAR, NOT_APPLICABLE, CANNOT_ASSESS)  # as domain.codes.FLAG_STATES
RAISED = frozenset({RED, AMBER})

Severity = Literal["red", "amber", "amber_or_red"]
Level = Literal["case", "practitioner", "team"]
# Where a case-level flag is read in supervision (CLINICAL-RULES section 2, "Flag lanes",
# revision 2): safety first, then clinical, with process flags last.
Lane = Literal["safety", "clinical", "process"]
LANES: tuple[Lane, ...] = ("safety", "clinical", "process")
# The fields of a flag's evidence_template, worked out from one snapshot row's facts.
Fields = Callable[["Facts"], dict[str, str]]

# Service profiles (CLINICAL-RULES section 1).
ALL_PROFILES = frozenset(SERVICE_KINDS)
TALKING_THERAPIES = frozenset({"talking_therapies"})
COMMUNITY = ALL_PROFILES - TALKING_THERAPIES
# Care clusters: "only if the team clusters" in the CMH column (adult and older-adult CMH, EIP,
# perinatal, eating disorder, forensic, and home-based treatment as a CMH variant); not LD or CAMHS.
CLUSTERING = COMMUNITY - {"learning_disability", "camhs"}
# Home-based treatment replaces the annual-presentation rule with a discharge review.
ALL_BUT_HOME_BASED = ALL_PROFILES - {"home_based_treatment"}


@dataclass(frozen=True)
class Flag:
    """One named reason to discuss a case (or a practitioner's caseload, or a team): the one
    catalogue entry a flag has.

    ``rule`` is the rule in plain words as CLINICAL-RULES.md states it, with each threshold
    written as ``{policy_setting_name}`` so it can be shown with the values in force
    (``flags.rule_text``). ``evidence_template`` is what a person reads beside the flag; a
    case flag's ``fields`` fill its ``{fields}`` from the snapshot row, and ``no_data`` says
    what is missing when it cannot be assessed. The rule as an expression is registered under
    the same code beside it in the engine (``engine.rules.common.rule``); the facts it reads
    are found in that expression (``engine.rules.inputs``).
    """

    code: str
    title: str
    level: Level
    severity: Severity
    applies_to: frozenset[str]
    rule: str
    source: str
    evidence_template: str
    # A red safety flag: only a supervisor may snooze it, and only until the next session (H5).
    safety: bool = False
    # Codes this flag holds back while raised (PHQ9_ITEM9, RISK_CONCERNS, DETERIORATING and
    # SAFETY_PLAN_STALE hold back RECOVERED and READY_TO_STEP_DOWN).
    holds_back: tuple[str, ...] = ()
    # A further condition, in plain words, beyond the service profile; where it is not met the
    # state is not_applicable (e.g. "the team uses care clusters").
    applies_when: str = ""
    # A dated marker on the case rather than a flag (HIGH_RISK beside RISK_CONCERNS, CLINICAL-RULES
    # revision 2): shown with its date, never counted among raised flags, in the discussion
    # order or in the alert burden.
    marker: bool = False
    # Case flags only: the lane, the evidence fields, and the words for missing data.
    lane: Lane | None = None
    fields: Fields | None = None
    no_data: str = ""


def flag_column(code: str) -> str:
    """The snapshot column holding a flag's state."""
    return f"flag_{code.lower()}"
