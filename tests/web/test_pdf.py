"""PDFs of the practitioner's caseload and the team summary, for a tabletop review."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse

from caseboard.web.dashboard import views
from caseboard.web.dashboard.pdf import render_document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "path", "name"),
    [
        ("practitioner", "/caseload/?format=pdf", "my-caseload-"),
        ("manager", "/teams/1/capacity/?format=pdf", "capacity-"),
        ("manager", "/teams/1/huddle/?format=pdf", "huddle-"),
    ],
)
def test_a_pdf_of_the_page(login, username, path, name):
    response = login(username).get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert name in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")


def test_the_pages_are_a4_landscape(rf):
    request = rf.get("/caseload/")
    request.user = AnonymousUser()
    context = {"title": "Test", "rows": [], "total": 0, "filters": {}, "options": {}}
    context |= {"chosen": {}, "sorts": [], "sort": "priority", "today": dt.date(2026, 11, 23)}
    page = render_document(request, "dashboard/case_list.html", context).pages[0]
    # CSS pixels at 96 per inch: A4 is 297 mm x 210 mm.
    assert (round(page.width), round(page.height)) == (1123, 794)


def _captured_pdf(login, monkeypatch, username, path):
    """What the PDF of ``path`` is rendered from, for WeasyPrint's laid-out pages."""
    captured = {}

    def capture(request, template, context, filename):
        captured.update(request=request, template=template, context=context)
        return HttpResponse(b"")

    monkeypatch.setattr(views, "pdf_response", capture)
    login(username).get(path)
    return captured


def _page_texts(document):
    """The text drawn on each page of a laid-out WeasyPrint document."""

    def texts(box):
        if hasattr(box, "text"):
            yield box.text
        for child in getattr(box, "children", ()):
            yield from texts(child)

    return [" ".join(texts(page._page_box)) for page in document.pages]


def test_the_caseload_runs_from_the_first_page_with_each_flags_evidence_but_not_its_rule(
    login, monkeypatch
):
    captured = _captured_pdf(login, monkeypatch, "practitioner", "/caseload/?format=pdf")
    rows = captured["context"]["rows"]
    pages = _page_texts(render_document(**captured))
    first = rows[0]
    assert first.patient_name.split(",")[0] in pages[0]  # not pushed to the second page
    assert first.flags[0].evidence.split(" ")[0] in pages[0]
    assert not any("Rule:" in page for page in pages)
    assert rows[-1].patient_name.split(",")[0] in pages[-1]


def test_every_printed_page_carries_the_confidentiality_notice_and_its_number(login, monkeypatch):
    captured = _captured_pdf(login, monkeypatch, "practitioner", "/caseload/?format=pdf")
    pages = _page_texts(render_document(**captured))
    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert "Keep it confidential; shred printed copies." in page
        assert f"Page {number} of {len(pages)}" in page


def test_the_printed_caseload_is_dense_with_the_quiet_cases_listed_at_the_end(login, monkeypatch):
    """The supervisor's working paper: at least six cases a page on average, the cases with
    nothing raised one short list at the end rather than a row each."""
    # A long list: a whole team's.
    captured = _captured_pdf(login, monkeypatch, "manager", "/teams/1/?format=pdf")
    rows = captured["context"]["rows"]
    pages = _page_texts(render_document(**captured))
    assert len(rows) >= 40
    assert len(rows) / len(pages) >= 6
    quiet = [row for row in rows if row.computed and not row.flags]
    if quiet:
        assert f"Nothing raised ({len(quiet)})" in pages[-1]
