"""The team manager's allocation and leave pages in Chromium, including their error states:
axe-core finds no serious or critical violation and the pages keep to their CSP."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def open_allocation(page) -> None:
    """The manager's Allocation entry (it may be folded into the header's "More" menu)."""
    link = page.locator('a.nhsuk-header__navigation-link:text-is("Allocation")').first
    page.goto(link.get_attribute("href"))
    page.wait_for_url("**/allocation/")


def test_allocation_page_with_a_refused_allocation(signed_in_page, check_page):
    page = signed_in_page("manager")
    open_allocation(page)
    check_page(page, "manager-allocation")
    form = page.locator("details.caseboard-allocate").first
    if form.count() == 0:
        pytest.skip("the demo team has no unallocated or orphaned case")
    form.locator("summary").click()
    form.locator("button[type=submit]").click()
    page.locator(".nhsuk-error-summary").wait_for()
    assert page.title().startswith("Error: ")
    check_page(page, "manager-allocation-error")


def test_leave_page_with_a_refused_absence(signed_in_page, check_page):
    page = signed_in_page("manager")
    open_allocation(page)
    page.locator('#maincontent a:text-is("Record leave and cover")').click()
    page.wait_for_url("**/leave/")
    check_page(page, "manager-leave")
    page.locator('#maincontent button:text-is("Record absence")').click()
    page.locator(".nhsuk-error-summary").wait_for()
    assert page.title().startswith("Error: ")
    check_page(page, "manager-leave-error")
