"""PDF of a page for the tabletop review: the page's own HTML and its print stylesheet (A4
landscape) drawn by WeasyPrint. Static files are read from disk; nothing else is fetched."""

from __future__ import annotations

import mimetypes
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def filename_for(title: str, day: Any) -> str:
    """'talking-therapies-north-capacity-2026-11-23.pdf'."""
    words = "".join(c if c.isalnum() else " " for c in title.lower()).split()
    return f"{'-'.join(words)}-{day.isoformat()}.pdf"


def _fetcher() -> Any:
    """WeasyPrint's fetcher, answering only for our static files (imported late: pango)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnly(URLFetcher):  # type: ignore[misc]
        def __call__(self, url: str) -> Any:
            return self.fetch(url)

        def fetch(self, url: str, *args: Any, **kwargs: Any) -> Any:
            path = urlparse(url).path
            prefix = settings.STATIC_URL
            found = finders.find(path.removeprefix(prefix)) if path.startswith(prefix) else None
            if not found:
                raise ValueError(f"not fetched for a PDF: {url}")
            mime_type, _ = mimetypes.guess_type(found)
            with open(found, "rb") as handle:
                body = handle.read()
            headers = {"Content-Type": mime_type or "application/octet-stream"}
            return URLFetcherResponse(url, body, headers=headers)

    return StaticOnly()


def render_document(request: HttpRequest, template: str, context: dict[str, Any]) -> Any:
    """The laid-out pages (WeasyPrint's Document) of ``template`` in print media."""
    from weasyprint import HTML

    html = render_to_string(template, context, request=request)
    base = request.build_absolute_uri("/")
    return HTML(string=html, base_url=base, url_fetcher=_fetcher()).render()


def pdf_response(
    request: HttpRequest, template: str, context: dict[str, Any], filename: str
) -> HttpResponse:
    try:
        document = render_document(request, template, context).write_pdf()
    except OSError as error:  # WeasyPrint could not load pango
        message = f"PDFs need the pango library on this machine ({error}); print the page instead."
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
