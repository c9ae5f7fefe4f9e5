from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "caseboard.web.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"
    default_auto_field = "django.db.models.BigAutoField"
