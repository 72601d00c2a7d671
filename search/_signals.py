"""Changes made in the database that the index must follow, queued for the task worker once
their transaction commits: a thread's tags added, removed or cleared, a tag renamed or deleted."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from taggit.models import Tag, TaggedItem

from documents.models import Thread
from search._changes import follow


def queue_thread_reindex(thread_ids: Iterable[int]) -> None:
    follow(threads=thread_ids)


def _threads_tagged(tag: Tag) -> list[int]:
    kind = ContentType.objects.get_for_model(Thread)
    return list(
        TaggedItem.objects.filter(tag=tag, content_type=kind).values_list("object_id", flat=True)
    )


@receiver(m2m_changed, sender=TaggedItem)
def thread_tags_changed(sender, instance, action, **kwargs) -> None:
    if isinstance(instance, Thread) and action in ("post_add", "post_remove", "post_clear"):
        queue_thread_reindex([instance.pk])


@receiver(post_save, sender=Tag)
def tag_renamed(sender, instance: Tag, created: bool, **kwargs) -> None:
    if not created:
        queue_thread_reindex(_threads_tagged(instance))


@receiver(pre_delete, sender=Tag)
def tag_deleted(sender, instance: Tag, **kwargs) -> None:
    instance._tagged_threads = _threads_tagged(instance)


@receiver(post_delete, sender=Tag)
def tag_gone(sender, instance: Tag, **kwargs) -> None:
    queue_thread_reindex(getattr(instance, "_tagged_threads", []))
