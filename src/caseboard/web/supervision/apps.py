from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "caseboard.web.supervision"
    label = "supervision"
    verbose_name = "Supervision"
    default_auto_field = "django.db.models.BigAutoField"
