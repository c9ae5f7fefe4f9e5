from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "caseboard.records"
    label = "records"
    verbose_name = "Patient record mirror"
    default_auto_field = "django.db.models.BigAutoField"
