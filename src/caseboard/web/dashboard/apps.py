from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "caseboard.web.dashboard"
    label = "dashboard"
    verbose_name = "Dashboards"
