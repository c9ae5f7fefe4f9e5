"""Error pages in the house style (403 for a page the role never uses, 404 out of scope)."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string


def forbidden(request, exception=None):
    return render(
        request, "errors/403.html", {"title": "You do not have access to this page"}, status=403
    )


def not_found(request, exception=None):
    return render(request, "errors/404.html", {"title": "Page not found"}, status=404)


def server_error(request):
    return HttpResponseServerError(render_to_string("errors/500.html"))
