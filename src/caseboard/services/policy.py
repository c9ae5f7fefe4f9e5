"""The policy in force for the pages: the trust's policy file, or the defaults."""

from __future__ import annotations

from functools import cache

from caseboard import config
from caseboard.domain.policy import DEFAULT_POLICY, Policy, load_policy


@cache
def current_policy() -> Policy:
    """Read once per process; a changed policy file takes effect on restart, as for refresh."""
    path = config.load().policy_file
    return load_policy(path) if path is not None else DEFAULT_POLICY
