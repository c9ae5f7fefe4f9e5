"""The policy: every threshold the rules use, with its source, loaded with a trust's overrides.

The settings themselves are declared in ``policy_settings`` (case-level) and
``policy_team_settings`` (practitioners, teams, weighting); this module puts them together as one
frozen ``Policy`` and loads a trust's changes from TOML::

    [policy]
    first_appointment_internal_days = 30
    no_contact_days = { adult_cmh = 28 }

    [approval]
    approved_by = "Dr A Example, Clinical Safety Officer"
    reason = "Commissioned target for 2026/27"

An unknown name, a value of the wrong type or outside the setting's sane range refuses to load
(hazard H10 of CLINICAL-RULES.md: 28 typed as 280 must not silently switch a flag off), and any
change needs a named approver and a reason, which every report shows.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from caseboard.domain import periods
from caseboard.domain.codes import PROBLEM_DESCRIPTORS
from caseboard.domain.policy_fields import SPEC, FrozenMap, Spec
from caseboard.domain.policy_settings import CaseRules
from caseboard.domain.policy_team_settings import TeamRules

Value = int | float | tuple[int, ...] | None


class PolicyError(ValueError):
    """The policy file cannot be used; the message names the setting, the value and the range."""


@dataclass(frozen=True)
class Approval:
    """Who approved a change to the defaults, and why."""

    approved_by: str
    reason: str
    approved_on: dt.date | None = None


@dataclass(frozen=True)
class Policy(TeamRules, CaseRules):  # fields in the order CaseRules, TeamRules
    """All thresholds, e.g. ``policy.first_appointment_internal_days == 28``."""

    approval: Approval | None = None

    def caseness(self, instrument: str) -> float:
        """The caseness cut-off of PHQ-9, GAD-7 or an anxiety-disorder-specific measure."""
        return float(getattr(self, f"{instrument}_caseness"))

    def reliable_change(self, instrument: str) -> float:
        """The reliable change index of PHQ-9, GAD-7 or an anxiety-disorder-specific measure."""
        return float(getattr(self, f"{instrument}_reliable_change"))


DEFAULT_POLICY = Policy()


@dataclass(frozen=True)
class AnxietyMeasure:
    """The anxiety component of caseness and reliable change for a problem descriptor."""

    instrument: str  # a code of domain.codes.INSTRUMENTS
    caseness: float  # in caseness at or above this
    reliable_change: float  # a change of at least this is reliable


# Which anxiety-disorder-specific measure (ADSM) a problem descriptor calls for (NHS Talking
# Therapies manual; DESIGN "Policy"). Other descriptors use GAD-7 as the anxiety component.
ADSM_FOR_DESCRIPTOR: Mapping[str, str] = MappingProxyType(
    {
        "social_anxiety": "spin",
        "ptsd": "pcl5",
        "panic": "pdss",
        "ocd": "oci_r",
        "health_anxiety": "shai",
        "agoraphobia": "mi",
    }
)


def anxiety_measures(policy: Policy) -> dict[str, AnxietyMeasure]:
    """The anxiety measure of every problem descriptor code, with this policy's cut-offs."""
    return {
        descriptor: AnxietyMeasure(
            instrument, policy.caseness(instrument), policy.reliable_change(instrument)
        )
        for descriptor in PROBLEM_DESCRIPTORS
        for instrument in [ADSM_FOR_DESCRIPTOR.get(descriptor, "gad7")]
    }


@dataclass(frozen=True)
class Setting:
    """One row of the policy as ``caseboard policy`` prints it."""

    name: str  # "no_contact_days.adult_cmh" for one key of a keyed setting
    value: Value
    unit: str
    source: str
    local: bool
    minimum: float
    maximum: float
    description: str
    default: Value


def _specs() -> list[tuple[str, Spec]]:
    return [(f.name, f.metadata[SPEC]) for f in fields(Policy) if SPEC in f.metadata]


def settings(policy: Policy = DEFAULT_POLICY) -> list[Setting]:
    """Every setting of ``policy`` in declaration order, keyed settings one row per key."""
    rows = []
    for name, spec in _specs():
        value, default = getattr(policy, name), getattr(DEFAULT_POLICY, name)
        rows_of_setting: list[tuple[str, Any, Any, str | None]] = [(name, value, default, None)]
        if spec.keys:
            rows_of_setting = [(f"{name}.{k}", value[k], default[k], k) for k in spec.keys]
        for row_name, row_value, row_default, key in rows_of_setting:
            rows.append(
                Setting(
                    row_name,
                    row_value,
                    spec.unit,
                    spec.source,
                    spec.is_local(key),
                    spec.minimum,
                    spec.maximum,
                    spec.description,
                    row_default,
                )
            )
    return rows


def describe(policy: Policy) -> list[dict[str, Any]]:
    """Rows for ``caseboard policy``: name, value, unit, source, local, changed from default."""
    return [
        {
            "name": s.name,
            "value": s.value,
            "unit": s.unit,
            "source": s.source,
            "local": s.local,
            "changed": s.value != s.default,
            "default": s.default,
            "range": _range(s.minimum, s.maximum),
        }
        for s in settings(policy)
    ]


def _number(value: float) -> str:
    return f"{value:g}"


def _range(minimum: float, maximum: float) -> str:
    if minimum == maximum:
        return f"{_number(minimum)} only (a national definition)"
    return f"{_number(minimum)} to {_number(maximum)}"


def _refuse(name: str, value: object, spec: Spec, problem: str) -> PolicyError:
    return PolicyError(
        f"policy setting {name} = {value!r} {problem}; "
        f"allowed: {_range(spec.minimum, spec.maximum)} {spec.unit}"
    )


def _number_value(name: str, raw: object, spec: Spec) -> int | float:
    kind: Literal["int", "float"] = "float" if spec.kind == "float" else "int"
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise _refuse(name, raw, spec, "is not a number")
    if kind == "int" and not isinstance(raw, int):
        raise _refuse(name, raw, spec, "is not a whole number")
    if not spec.minimum <= raw <= spec.maximum:
        raise _refuse(name, raw, spec, "is outside the allowed range")
    return float(raw) if kind == "float" else raw


def _value(name: str, raw: object, spec: Spec, default: Any) -> Value | FrozenMap:
    if spec.keys:
        if not isinstance(raw, dict):
            raise PolicyError(
                f"policy setting {name} = {raw!r} must be a table of values keyed by one of: "
                f"{', '.join(spec.keys)}"
            )
        merged: dict[str, int | None] = dict(default)  # keyed settings are whole numbers
        for key, item in raw.items():
            if key not in spec.keys:
                raise PolicyError(
                    f"policy setting {name} has no key {key!r}; keys: {', '.join(spec.keys)}"
                )
            merged[key] = int(_number_value(f"{name}.{key}", item, spec))
        return FrozenMap(merged)
    if spec.kind == "int_set":
        if not isinstance(raw, list):
            raise _refuse(name, raw, spec, "is not a list of whole numbers")
        numbers = [_number_value(name, item, spec) for item in raw]
        return tuple(sorted({int(n) for n in numbers}))
    return _number_value(name, raw, spec)


def _approval(raw: object) -> Approval:
    if not isinstance(raw, dict):
        raise PolicyError("a changed policy needs an [approval] table with approved_by and reason")
    unknown = set(raw) - {"approved_by", "reason", "approved_on"}
    if unknown:
        raise PolicyError(f"[approval] has unknown keys: {', '.join(sorted(unknown))}")
    by, reason, on = raw.get("approved_by"), raw.get("reason"), raw.get("approved_on")
    if not isinstance(by, str) or not by.strip():
        raise PolicyError("[approval] approved_by must name the person who approved the change")
    if not isinstance(reason, str) or not reason.strip():
        raise PolicyError("[approval] reason must say why the defaults were changed")
    if on is not None and (not isinstance(on, dt.date) or isinstance(on, dt.datetime)):
        raise PolicyError(f"[approval] approved_on = {on!r} must be a date, e.g. 2026-04-01")
    return Approval(by.strip(), reason.strip(), on)


def _check_consistent(policy: Policy) -> None:
    """Settings that only make sense in order (amber before red, review before maximum)."""
    orders = [
        ("wait_first_amber_days", "first_appointment_internal_days"),
        ("first_appointment_internal_days", "first_appointment_national_days"),
        ("kit_amber_days", "kit_red_days"),
        ("second_appointment_amber_days", "second_appointment_red_days"),
        ("step2_session_review", "step2_session_limit"),
        ("step2_session_limit", "step2_session_maximum"),
        ("step3_session_review", "step3_session_limit"),
        ("step3_session_limit", "step3_session_maximum"),
        ("high_risk_share_amber_percent", "high_risk_share_red_percent"),
        ("weight_band_2_from", "weight_band_3_from"),
        ("weight_band_3_from", "weight_band_4_from"),
    ]
    for lower, upper in orders:
        low, high = getattr(policy, lower), getattr(policy, upper)
        if low > high or (lower.startswith("weight_band") and low == high):
            raise PolicyError(
                f"policy setting {lower} = {low} must be below {upper} = {high}"
                if lower.startswith("weight_band")
                else f"policy setting {lower} = {low} must not be above {upper} = {high}"
            )


def load_policy(path: Path | None) -> Policy:
    """The default policy, with the overrides of the TOML file at ``path`` when one is given."""
    if path is None:
        return DEFAULT_POLICY
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PolicyError(f"cannot read the policy file {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"the policy file {path} is not valid TOML: {error}") from error
    unknown_tables = set(document) - {"policy", "approval"}
    if unknown_tables:
        raise PolicyError(
            f"the policy file has unknown tables: {', '.join(sorted(unknown_tables))}; "
            "expected [policy] and [approval]"
        )
    overrides = document.get("policy", {})
    if not isinstance(overrides, dict):
        raise PolicyError("[policy] must be a table of setting = value lines")
    specs = dict(_specs())
    changes: dict[str, Any] = {}
    for name, raw in overrides.items():
        if name not in specs:
            raise PolicyError(f"unknown policy setting {name!r} (see `caseboard policy`)")
        changes[name] = _value(name, raw, specs[name], getattr(DEFAULT_POLICY, name))
    approval = _approval(document.get("approval")) if changes else None
    policy = replace(DEFAULT_POLICY, **changes, approval=approval)
    _check_consistent(policy)
    return policy


# Care cluster review periods (seed 004; DESIGN "Care clusters"): the review is due this long
# after the cluster was assessed. Cluster 9 is unused. Months are calendar months.
CLUSTER_REVIEW: Mapping[int, tuple[int, Literal["weeks", "months"]]] = MappingProxyType(
    {
        0: (6, "months"), 1: (12, "weeks"), 2: (15, "weeks"), 3: (6, "months"),
        4: (6, "months"), 5: (6, "months"), 6: (6, "months"), 7: (12, "months"),
        8: (12, "months"), 10: (12, "months"), 11: (12, "months"), 12: (12, "months"),
        13: (12, "months"), 14: (4, "weeks"), 15: (4, "weeks"), 16: (6, "months"),
        17: (6, "months"), 18: (12, "months"), 19: (6, "months"), 20: (6, "months"),
        21: (6, "months"),
    }
)  # fmt: skip


def cluster_review_due(cluster: int, assessed_on: dt.date) -> dt.date:
    """CLUSTER_REVIEW: the date the cluster's review falls due (raised when as_of > due)."""
    if cluster not in CLUSTER_REVIEW:
        raise ValueError(f"{cluster} is not a care cluster (0 to 21, 9 unused)")
    amount, unit = CLUSTER_REVIEW[cluster]
    if unit == "weeks":
        return assessed_on + periods.weeks(amount)
    return periods.add_months(assessed_on, amount)
