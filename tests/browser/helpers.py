"""What several browser tests do: log in through the site's own login page."""

from playwright.sync_api import Page, expect

PASSWORD = "a long test passphrase"  # tests.factories.make_user's


def log_in(page: Page, base: str, username: str, then: str) -> None:
    """Open ``then``, be sent to the login page, log in, and land on ``then``."""
    page.goto(f"{base}{then}")
    expect(page).to_have_url(f"{base}/accounts/login/?next={then}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{base}{then}")
