"""The message-level search index: one entry per Document."""

from haystack import indexes

from documents.models import Document


class DocumentIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True, use_template=True)
    subject = indexes.CharField(model_attr="subject", boost=2.0)
    sender = indexes.CharField(model_attr="sender_raw")
    sent_at = indexes.DateTimeField(model_attr="sent_at", null=True)
    thread = indexes.IntegerField(model_attr="thread_id")

    def get_model(self):
        return Document
