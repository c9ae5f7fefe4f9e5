from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "caseboard.web.audit"
    label = "audit"
    verbose_name = "Audit log"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from caseboard.web.audit import signals  # noqa: F401  (connects the sign-in handlers)
