"""PDFs of the practitioner's caseload and the team summary, for a tabletop review."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from caseboard.web.dashboard.pdf import render_document

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "path", "name"),
    [
        ("practitioner", "/caseload/?format=pdf", "my-caseload-"),
        ("manager", "/teams/1/capacity/?format=pdf", "capacity-"),
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
