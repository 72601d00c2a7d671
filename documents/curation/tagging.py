"""Tags on threads: adding, removing, suggesting, counting. The search index follows through
the task worker (``search._signals``); each change is written to the audit log."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from taggit.models import Tag

from documents import audit
from documents.fitting import nul_problem
from documents.models import AuditEntry, Thread

# taggit's Tag.name is 100 characters.
MAX_TAG_LENGTH = 100
# Tags given at once ("opt-out, Santa Clara") beyond this are refused: a paste gone wrong.
MAX_TAGS_AT_ONCE = 10
SUGGESTIONS_SHOWN = 10
_SPACES = re.compile(r"\s+")


class TagError(ValueError):
    """A tag that cannot be added, with a reason to show the editor."""


def parse_tag_names(text: str) -> list[str]:
    """Comma-separated names, spaces collapsed, duplicates (in any case) dropped."""
    if problem := nul_problem("A tag", text):
        raise TagError(problem)
    names: dict[str, str] = {}
    for piece in text.split(","):
        name = _SPACES.sub(" ", piece).strip()
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise TagError(
                f"A tag is at most {MAX_TAG_LENGTH} characters; “{name[:40]}…” is longer."
            )
        names.setdefault(name.casefold(), name)
    if not names:
        raise TagError("Give a tag name.")
    if len(names) > MAX_TAGS_AT_ONCE:
        raise TagError(f"Add at most {MAX_TAGS_AT_ONCE} tags at once.")
    return list(names.values())


def _target(thread: Thread) -> tuple[str, str]:
    return f"thread {thread.pk}: {thread.subject or '(no subject)'}", reverse(
        "thread", args=[thread.pk]
    )


def add_tags(thread: Thread, text: str, user) -> list[str]:
    """Tag the thread with each name in ``text`` it does not have yet; returns those added.
    An existing tag is reused whatever its case (TAGGIT_CASE_INSENSITIVE)."""
    names = parse_tag_names(text)
    have = {tag.name.casefold() for tag in thread.tags.all()}
    new = [name for name in names if name.casefold() not in have]
    with transaction.atomic():
        if new:
            thread.tags.add(*new)
        target, url = _target(thread)
        for name in new:
            audit.record(user, AuditEntry.Action.TAG_ADDED, target, url, tag=name)
    return new


def remove_tag(thread: Thread, slug: str, user) -> bool:
    """Take the tag off the thread. A tag already gone (another editor took it off, or the
    page was out of date) is no error: nothing changes, nothing is logged, and False says so."""
    with transaction.atomic():
        # One editor at a time: a second removal waits here, then finds the tag gone.
        list(Thread.objects.select_for_update().filter(pk=thread.pk).values_list("pk"))
        tag = thread.tags.filter(slug=slug).first()
        if tag is None:
            return False
        thread.tags.remove(tag)
        target, url = _target(thread)
        audit.record(user, AuditEntry.Action.TAG_REMOVED, target, url, tag=tag.name)
    return True


# Tags are listed ignoring case everywhere ("opt-out" before "Santa Clara"), as /tags/ lists them.
TAG_ORDER = (Lower("name"), "name")


def tags_in_use() -> QuerySet:
    """Tags on at least one thread, with ``threads`` counted, by name."""
    threads = Count(
        "taggit_taggeditem_items", filter=Q(taggit_taggeditem_items__content_type__model="thread")
    )
    return Tag.objects.annotate(threads=threads).filter(threads__gt=0).order_by(*TAG_ORDER)


def suggest(typed: str) -> list[Tag]:
    """Existing tags for an editor typing ``typed``: those starting with it first, then those
    holding it, most used first within each."""
    typed = _SPACES.sub(" ", typed.replace("\x00", "")).strip()[:MAX_TAG_LENGTH]
    tags = tags_in_use()
    if not typed:
        return list(tags.order_by("-threads", "name")[:SUGGESTIONS_SHOWN])
    starting = list(
        tags.filter(name__istartswith=typed).order_by("-threads", "name")[:SUGGESTIONS_SHOWN]
    )
    holding = tags.filter(name__icontains=typed).exclude(pk__in=[tag.pk for tag in starting])
    return starting + list(
        holding.order_by("-threads", "name")[: SUGGESTIONS_SHOWN - len(starting)]
    )
