from django.http import HttpResponse
from django.urls import path

from caseboard.web.accounts import views as accounts
from caseboard.web.allocation import leave_views
from caseboard.web.allocation import views as allocation
from caseboard.web.dashboard import (
    acknowledgements,
    burden,
    capacity,
    episode,
    huddle,
    supervisee,
    trends,
)
from caseboard.web.dashboard import views as dashboard


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", dashboard.home, name="home"),
    path("sign-in/", accounts.sign_in, name="login"),
    path("sign-out/", accounts.sign_out, name="logout"),
    path("healthz", healthz, name="healthz"),
    path("caseload/", dashboard.caseload, name="caseload"),
    path("supervisees/", dashboard.supervisees, name="supervisees"),
    path("supervisees/<int:practitioner_id>/", supervisee.caseload, name="supervisee"),
    path(
        "supervisees/<int:practitioner_id>/trends/",
        supervisee.supervisee_trends,
        name="supervisee_trends",
    ),
    path("teams/<int:team_id>/", dashboard.team, name="team"),
    path("teams/<int:team_id>/huddle/", huddle.huddle, name="huddle"),
    path("teams/<int:team_id>/capacity/", capacity.capacity, name="capacity"),
    path("teams/<int:team_id>/burden/", burden.team_burden, name="burden"),
    path("teams/<int:team_id>/allocation/", allocation.allocation, name="allocation"),
    path("teams/<int:team_id>/allocation/new/", allocation.allocate, name="allocate"),
    path(
        "teams/<int:team_id>/allocation/<int:request_id>/withdraw/",
        allocation.withdraw_allocation,
        name="withdraw_allocation",
    ),
    path("teams/<int:team_id>/leave/", leave_views.leave, name="leave"),
    path(
        "teams/<int:team_id>/leave/<int:request_id>/withdraw/",
        leave_views.withdraw_leave,
        name="withdraw_leave",
    ),
    path("teams/<int:team_id>/trends/", trends.team_trends, name="team_trends"),
    path("caseload/trends/", trends.my_trends, name="my_trends"),
    path("services/<int:service_id>/", dashboard.service, name="service"),
    path("trust/", dashboard.trust, name="trust"),
    path("referrals/<int:referral_id>/", episode.referral, name="referral"),
    path(
        "referrals/<int:referral_id>/flags/<str:code>/",
        acknowledgements.acknowledge,
        name="acknowledge_flag",
    ),
    path("administration/", accounts.administration, name="administration"),
    path(
        "administration/users/<int:user_id>/deactivate/",
        accounts.deactivate_user,
        name="deactivate_user",
    ),
]

handler403 = "caseboard.web.errors.forbidden"
handler404 = "caseboard.web.errors.not_found"
handler500 = "caseboard.web.errors.server_error"
