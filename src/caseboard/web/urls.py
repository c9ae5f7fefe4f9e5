from django.http import HttpResponse
from django.urls import path

from caseboard.web.accounts import views as accounts
from caseboard.web.dashboard import acknowledgements, capacity, episode, huddle, trends
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
    path("teams/<int:team_id>/", dashboard.team, name="team"),
    path("teams/<int:team_id>/huddle/", huddle.huddle, name="huddle"),
    path("teams/<int:team_id>/capacity/", capacity.capacity, name="capacity"),
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
]

handler403 = "caseboard.web.errors.forbidden"
handler404 = "caseboard.web.errors.not_found"
handler500 = "caseboard.web.errors.server_error"
