"""Recomputing stored search keys after `persian.search_key` changed (data migrations call `recompute`).

The keys are derived data: a change of the key function must reach every stored key, or lookups miss the rows
whose key would now differ."""

from taavon.persian import search_key


def recompute(model, key_field: str, *source_fields: str, chunk: int = 2000) -> int:
    """Set `key_field` to search_key of the source fields (joined with a space) on every row that differs; returns
    how many rows changed. `model` may be a migration's historical model."""
    changed = []
    count = 0
    rows = model.objects.order_by("pk").values_list("pk", key_field, *source_fields)
    for pk, old, *sources in rows.iterator(chunk_size=chunk):
        key = search_key(" ".join(str(s or "") for s in sources))
        if key != old:
            changed.append(model(pk=pk, **{key_field: key}))
        if len(changed) >= chunk:
            model.objects.bulk_update(changed, [key_field])
            count += len(changed)
            changed = []
    if changed:
        model.objects.bulk_update(changed, [key_field])
        count += len(changed)
    return count


def migration(app_label: str, model_name: str, key_field: str, *source_fields: str):
    """A RunPython forward function for one model's key."""

    def forward(apps, schema_editor):
        recompute(apps.get_model(app_label, model_name), key_field, *source_fields)

    return forward
