"""Writes about users and grants: small functions, keyword-only, each in one transaction."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from caseboard.records.models import Practitioner, Service, Team
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
