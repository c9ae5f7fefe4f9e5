"""Writes about users and grants: small functions, keyword-only, each in one transaction."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from caseboard.records.models import Practitioner, ReferralCareTeam, Service, Team
from caseboard.web.accounts.models import Grant, User
from caseboard.web.accounts.roles import SCOPE_OF_ROLE

SCOPE_MODELS = {"practitioner": Practitioner, "team": Team, "service": Service}


class AccountError(ValueError):
    """A user or grant could not be made; the message says why."""


def resolve_scope(role: str, scope_kind: str | None, source_id: str | None):
    """The scope object a grant of ``role`` names, looked up by its source id."""
    if role not in SCOPE_OF_ROLE:
        raise AccountError(f"unknown role {role!r}; roles are: {', '.join(SCOPE_OF_ROLE)}")
    needed = SCOPE_OF_ROLE[role]
    if needed is None:
        if scope_kind:
            raise AccountError(f"role {role} covers the whole trust: give no --{scope_kind}")
        return None
    if scope_kind != needed or not source_id:
        raise AccountError(f"role {role} needs --{needed} SOURCE_ID")
    try:
        return SCOPE_MODELS[needed].objects.get(source_id=source_id)
    except SCOPE_MODELS[needed].DoesNotExist:
        raise AccountError(f"no {needed} with source id {source_id!r}") from None
    except SCOPE_MODELS[needed].MultipleObjectsReturned:
        raise AccountError(f"{needed} source id {source_id!r} is ambiguous") from None


def grant(*, user: User, role: str, scope) -> Grant:
    kind = SCOPE_OF_ROLE[role]
    values = {f"{kind}_id": scope.pk} if kind else {}
    existing = Grant.objects.filter(user_id=user.pk, role=role, **values).first()
    return existing or Grant.objects.create(user_id=user.pk, role=role, **values)


def create_user(
    *,
    username: str,
    password: str,
    role: str,
    scope=None,
    practitioner: Practitioner | None = None,
    check_password: bool = True,
) -> User:
    """A new user holding one grant; linked to their practitioner row where they have one."""
    if User.objects.filter(username=username).exists():
        raise AccountError(f"user {username!r} already exists")
    if practitioner is None and SCOPE_OF_ROLE.get(role) == "practitioner":
        practitioner = scope
    user = User(username=username, practitioner=practitioner)
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise AccountError("password refused: " + " ".join(error.messages)) from None
    with transaction.atomic():
        user.set_password(password)
        user.save()
        grant(user=user, role=role, scope=scope)
    return user


def open_lead_counts(practitioner_ids, today: date) -> dict[int, int]:
    """Open referrals each practitioner leads by the record: lead rows not ended before today,
    current or starting later (a future allocation would be orphaned too)."""
    rows = (
        ReferralCareTeam.objects.filter(
            practitioner_id__in=list(practitioner_ids), role="lead", referral__status="open"
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .values("practitioner_id")
        .annotate(cases=Count("referral_id", distinct=True))
    )
    return {row["practitioner_id"]: row["cases"] for row in rows}


def deactivate_user(*, user: User, by: User, today: date) -> User:
    """Deactivate ``user``'s account; refused while their practitioner leads open cases
    (CLINICAL-RULES hazard H2: a case owned by nobody is never reviewed)."""
    if user.pk == by.pk:
        raise AccountError("You cannot deactivate your own account")
    if not user.is_active:
        raise AccountError(f"The account {user.username} is already inactive")
    led = open_lead_counts([user.practitioner_id], today).get(user.practitioner_id, 0)
    if led:
        cases = "open case" if led == 1 else "open cases"
        raise AccountError(
            f"The practitioner of {user.username} still leads {led} {cases} in the record: "
            "reallocate "
            f"{'it' if led == 1 else 'them'} first, and deactivate once an import confirms "
            "the reallocation"
        )
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
    return user
