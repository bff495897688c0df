"""Writing many rows at once (imports). The ORM's bulk_create compiles SQL value by value, which is most of the
time at 100,000 rows; executemany with one statement is many times faster. Rows are any objects with the model's
attribute names (model instances, or SimpleNamespace), adapted the way Django adapts them."""

from operator import attrgetter
from types import SimpleNamespace

from django.db import connection
from django.db import models as dj_models


def _memo(adapt):
    """Dates repeat across rows (every row of an import has the same timestamps): adapt each value once."""
    seen: dict = {}

    def adapted(value):
        if value not in seen:
            seen[value] = adapt(value)
        return seen[value]

    return adapted


def insert_many(model, objs: list, batch_size: int, *, extra: dict | None = None) -> None:
    """INSERT many rows with executemany (bulk imports): the ORM's per-value SQL compiling is the bottleneck there.
    Values are the model instances' attributes (and `extra` for columns they lack), adapted like Django does."""
    if not objs:
        return
    extra = extra or {}
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, dj_models.AutoField)]
    ops = connection.ops
    adapters = {}
    for f in fields:
        if isinstance(f, dj_models.FileField):
            adapters[f.attname] = lambda v: getattr(v, "name", v) or ""
        elif isinstance(f, dj_models.DateTimeField):
            adapters[f.attname] = _memo(ops.adapt_datetimefield_value)
        elif isinstance(f, dj_models.DateField):
            adapters[f.attname] = _memo(ops.adapt_datefield_value)
    # the objects' own columns first, then the columns that are the same for every row (adapted once)
    own = [f for f in fields if f.attname not in extra]
    fixed = [f for f in fields if f.attname in extra]
    tail = []
    for f in fixed:
        value = extra[f.attname]
        adapt = adapters.get(f.attname)
        tail.append(adapt(value) if adapt and value is not None else value)
    qn = ops.quote_name
    columns = [*own, *fixed]
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    names = [f.attname for f in own]
    getter = attrgetter(*names) if len(names) > 1 else (lambda o, n=names[0]: (getattr(o, n),))
    adapt_at = [(pos, adapters[n]) for pos, n in enumerate(names) if n in adapters]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            values = []
            for obj in objs[start : start + batch_size]:
                got = list(getter(obj))
                for pos, adapt in adapt_at:
                    if got[pos] is not None:
                        got[pos] = adapt(got[pos])
                if tail:
                    got.extend(tail)
                values.append(got)
            cursor.executemany(sql, values)


__all__ = ["SimpleNamespace", "insert_many"]
