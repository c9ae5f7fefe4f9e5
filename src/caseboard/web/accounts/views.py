"""Sign-in, sign-out and the administrator's page (users and their grants; no patient data)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from caseboard.domain import clock
from caseboard.web.accounts import actions
from caseboard.web.accounts.access import page
from caseboard.web.accounts.models import Grant, User
from caseboard.web.accounts.roles import Permission
from caseboard.web.audit.record import record
from caseboard.web.dashboard.navigation import nav

sign_in = auth_views.LoginView.as_view(
    template_name="accounts/login.html", redirect_authenticated_user=True
)
sign_out = auth_views.LogoutView.as_view()


def render_administration(request, *, error: str = "", status: int = 200):
    grants: dict[int, list[str]] = {}
    for grant in Grant.objects.order_by("role", "pk"):
        scope = next(
            (
                f"{kind} {getattr(grant, kind + '_id')}"
                for kind in ("practitioner", "team", "service")
                if getattr(grant, kind + "_id")
            ),
            "trust",
        )
        grants.setdefault(grant.user_id, []).append(f"{grant.role.replace('_', ' ')} ({scope})")
    people = list(User.objects.order_by("username"))
    led = actions.open_lead_counts(
        {user.practitioner_id for user in people if user.practitioner_id}, clock.today()
    )
    users = [
        {
            "pk": user.pk,
            "username": user.username,
            "active": user.is_active,
            "grants": grants.get(user.pk, []),
            "open_lead_cases": led.get(user.practitioner_id, 0),
            "is_self": user.pk == request.user.pk,
        }
        for user in people
    ]
    record(request, action="view_users")
    return render(
        request,
        "accounts/administration.html",
        {
            "title": "Administration",
            "users": users,
            "error": error,
            "done": list(messages.get_messages(request)),
            "nav": nav(request.access, request.path),
        },
        status=status,
    )


@page(Permission.ADMINISTER)
def administration(request):
    return render_administration(request)


@require_POST
@page(Permission.ADMINISTER)
def deactivate_user(request, user_id: int):
    """Deactivate an account, refused while its practitioner leads open cases (hazard H2)."""
    user = get_object_or_404(User, pk=user_id)
    try:
        with transaction.atomic():
            actions.deactivate_user(user=user, by=request.user, today=clock.today())
            record(request, action="deactivate_user", object_kind="user", object_id=user.pk)
    except actions.AccountError as refusal:
        return render_administration(request, error=str(refusal), status=400)
    messages.success(request, f"{user.username} was deactivated.")
    return redirect("administration")
