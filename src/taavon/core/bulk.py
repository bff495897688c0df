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
    qn = ops.quote_name
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    adapters = []
    for f in fields:
        if isinstance(f, dj_models.FileField):
            adapters.append(lambda v: getattr(v, "name", v) or "")
        elif isinstance(f, dj_models.DateTimeField):
            adapters.append(_memo(ops.adapt_datetimefield_value))
        elif isinstance(f, dj_models.DateField):
            adapters.append(_memo(ops.adapt_datefield_value))
        else:
            adapters.append(None)
    names = [f.attname for f in fields]
    # extra columns are the same for every row: adapt them once
    fixed = {
        i: (adapters[i](extra[n]) if adapters[i] and extra[n] is not None else extra[n])
        for i, n in enumerate(names)
        if n in extra
    }
    own = [i for i in range(len(names)) if i not in fixed]
    getter = (
        attrgetter(*(names[i] for i in own))
        if len(own) > 1
        else (lambda o, n=names[own[0]]: (getattr(o, n),))
    )
    adapt_at = [(pos, adapters[i]) for pos, i in enumerate(own) if adapters[i]]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            values = []
            for obj in objs[start : start + batch_size]:
                got = list(getter(obj))
                for pos, adapt in adapt_at:
                    if got[pos] is not None:
                        got[pos] = adapt(got[pos])
                if fixed:
                    row = [None] * len(names)
                    for pos, i in enumerate(own):
                        row[i] = got[pos]
                    for i, v in fixed.items():
                        row[i] = v
                    got = row
                values.append(got)
            cursor.executemany(sql, values)


__all__ = ["SimpleNamespace", "insert_many"]
