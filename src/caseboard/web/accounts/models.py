"""Users (linked to their practitioner row) and their grants of a role over a scope."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from caseboard.contract import schema
from caseboard.records.models.build import build_model, field_for
from caseboard.web.accounts.roles import SCOPE_OF_ROLE

_user_table = schema.table("app_user")


class User(AbstractUser):
    practitioner = field_for(_user_table.column("practitioner_id"))[1]

    class Meta:
        db_table = "app_user"


def _scope_matches_role() -> models.Q:
    """Each grant names exactly the scope its role needs (and no other)."""
    scopes = ("practitioner", "team", "service")
    allowed = models.Q()
    for role, scope in SCOPE_OF_ROLE.items():
        condition = models.Q(role=role)
        for other in scopes:
            condition &= models.Q(**{f"{other}__isnull": other != scope})
        allowed |= condition
    return allowed


Grant = build_model(
    schema.table("access_grant"),
    module=__name__,
    extra_constraints=[
        models.CheckConstraint(
            condition=_scope_matches_role(), name="access_grant_scope_fits_role"
        ),
    ],
)
