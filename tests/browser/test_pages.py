"""Every page each demo role reaches from its navigation, in Chromium, plus a referral, the
sign-in page and the error pages: axe-core finds no serious or critical violation, the page
keeps to its Content-Security-Policy, and var/screenshots/ gets it at desktop and print size."""

from __future__ import annotations

import pytest

from caseboard.web.accounts import demo_accounts

pytestmark = pytest.mark.browser

USERNAMES = [username for username, _, _ in demo_accounts.ACCOUNTS]
NAV_LINKS = "a.nhsuk-header__navigation-link"


def navigation(page) -> list[tuple[str, str]]:
    """(text, href) of each entry of the header navigation."""
    return [
        (link.inner_text().strip(), link.get_attribute("href"))
        for link in page.locator(NAV_LINKS).all()
    ]


@pytest.mark.parametrize("username", USERNAMES)
def test_every_page_in_the_navigation(signed_in_page, check_page, username):
    """The role lands on the first page of its navigation; every page there passes check_page.
    Every page is checked and photographed before the test reports the failures together."""
    page = signed_in_page(username)
    links = navigation(page)
    assert links, f"{username} has no navigation"
    assert page.url.endswith(links[0][1]), f"{username} landed on {page.url}, not {links[0][1]}"
    failures = []
    for text, href in links:
        link = page.locator(f'{NAV_LINKS}[href="{href}"]').first
        if link.is_visible():
            link.click()
            page.wait_for_url(f"**{href}")
        else:  # folded into the header's "More" menu on a narrow screen
            page.goto(href)
        assert page.locator("h1").count() == 1, f"{href}: not one h1"
        try:
            check_page(page, f"{username}-{text}")
        except pytest.fail.Exception as failure:
            failures.append(str(failure))
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)


def test_referral_page(signed_in_page, check_page):
    page = signed_in_page("practitioner")
    patient = page.locator("#maincontent table a").first
    name = patient.inner_text()
    patient.click()
    page.wait_for_url("**/referrals/*/")
    assert name in page.locator("h1").inner_text()
    check_page(page, "practitioner-referral")


def test_supervisee_pages(signed_in_page, check_page):
    page = signed_in_page("supervisor")
    page.goto("/supervisees/")
    supervisee = page.locator('#maincontent th[scope="row"] a').first
    name = supervisee.inner_text()
    supervisee.click()
    page.wait_for_url("**/supervisees/*/")
    assert page.locator("h1").inner_text() == f"{name}: caseload"
    check_page(page, "supervisor-supervisee")
    page.locator(f'#maincontent a:text-is("{name}: trends")').click()
    page.wait_for_url("**/supervisees/*/trends/")
    check_page(page, "supervisor-supervisee-trends")


def test_sign_in_page(new_page, check_page):
    page = new_page()
    page.goto("/sign-in/")
    check_page(page, "sign-in")


def test_sign_in_page_with_an_error(new_page, check_page):
    page = new_page()
    page.goto("/sign-in/")
    page.fill("#id_username", "practitioner")
    page.fill("#id_password", "not the password")
    page.click("button[type=submit]")
    page.locator(".nhsuk-error-summary").wait_for()
    assert page.title().startswith("Error: ")
    check_page(page, "sign-in-error")


def test_not_found_page(signed_in_page, check_page):
    page = signed_in_page("practitioner")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    check_page(page, "not-found")


def test_forbidden_page(signed_in_page, check_page):
    page = signed_in_page("practitioner")
    response = page.goto("/administration/")
    assert response.status == 403
    check_page(page, "forbidden")
