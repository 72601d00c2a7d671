"""Reading what a page shows, for tests that compare figures across pages."""

import re


def tiles(html: str) -> dict[str, str]:
    """The figure tiles of a page (``<div class="count"><dt>label</dt><dd>n</dd>``), as text."""
    found = re.findall(r'<div class="count[^"]*"><dt>(.*?)</dt><dd>(.*?)</dd>', html, re.S)
    return {label: re.sub(r"<[^>]+>", "", value).strip() for label, value in found}
