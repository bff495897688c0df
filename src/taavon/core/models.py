from django.db import models


class TimeStampedModel(models.Model):
    """Base for every Taavon record: when it was created and last changed."""

    created_at = models.DateTimeField("زمان ایجاد", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("زمان آخرین تغییر", auto_now=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A record people edit: its version rises with every save through a service (core.concurrency)."""

    version = models.PositiveIntegerField("نسخه", default=1, editable=False)

    class Meta:
        abstract = True
