"""Ordering by Persian names in the database: ICU's Persian collation on PostgreSQL ("fa-x-icu"), and on SQLite a
collation named "fa" that every connection registers (persian.collation, the same ICU rules)."""

from django.db.backends.signals import connection_created
from django.db.models import F, Func

from taavon.persian.collation import compare

SQLITE_NAME = "fa"
POSTGRESQL_NAME = "fa-x-icu"


class PersianOrder(Func):
    """`qs.order_by(PersianOrder("name"), "id")`: the field in Persian alphabetical order."""

    template = "%(expressions)s"
    arity = 1

    def __init__(self, expression, **extra):
        super().__init__(F(expression) if isinstance(expression, str) else expression, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template=f"%(expressions)s COLLATE {SQLITE_NAME}", **extra
        )

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template=f'%(expressions)s COLLATE "{POSTGRESQL_NAME}"', **extra
        )


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_NAME, compare)


def connect() -> None:
    """Called from CoreConfig.ready: every new SQLite connection knows the "fa" collation."""
    connection_created.connect(register_sqlite_collation, dispatch_uid="taavon-persian-collation")
