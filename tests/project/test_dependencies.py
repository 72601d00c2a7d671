"""Installed packages: exactly one Whoosh, and Django's supported LTS."""

from importlib import metadata

import django


def test_only_one_distribution_provides_the_whoosh_package():
    providers = sorted(
        dist.metadata["Name"]
        for dist in metadata.distributions()
        if any(str(path) == "whoosh/__init__.py" for path in dist.files or ())
    )
    assert providers == ["Whoosh-Reloaded"]


def test_django_is_the_5_2_lts():
    assert django.VERSION[:2] == (5, 2)
