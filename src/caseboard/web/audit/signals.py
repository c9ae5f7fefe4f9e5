"""Sign-in, sign-out and failed sign-in are audited too."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from caseboard.domain import clock
from caseboard.web.audit.models import AuditEvent


def _event(action: str, request, user_id, username: str) -> None:
    AuditEvent.objects.create(
        at=clock.now(),
        user_id=user_id,
        username=username,
        action=action,
        method=getattr(request, "method", "") or "",
        path=request.get_full_path() if request is not None else "",
        patient_count=0,
    )


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs) -> None:
    _event("sign_in", request, user.pk, user.get_username())


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        _event("sign_out", request, user.pk, user.get_username())


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    _event("sign_in_failed", request, None, str(credentials.get("username", ""))[:150])
