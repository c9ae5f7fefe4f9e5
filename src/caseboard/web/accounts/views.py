"""Sign-in, sign-out and the administrator's page (users and their grants; no patient data)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.shortcuts import render

from caseboard.web.accounts.access import page
from caseboard.web.accounts.models import Grant, User
from caseboard.web.accounts.roles import Permission
from caseboard.web.audit.record import record
from caseboard.web.dashboard.navigation import nav

sign_in = auth_views.LoginView.as_view(
    template_name="accounts/login.html", redirect_authenticated_user=True
)
sign_out = auth_views.LogoutView.as_view()


@page(Permission.ADMINISTER)
def administration(request):
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
    users = [
        {"username": user.username, "active": user.is_active, "grants": grants.get(user.pk, [])}
        for user in User.objects.order_by("username")
    ]
    record(request, action="view_users")
    return render(
        request,
        "accounts/administration.html",
        {
            "title": "Administration",
            "users": users,
            "nav": nav(request.access, request.path),
        },
    )
