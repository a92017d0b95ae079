"""The ISO weekday of a stored date, worked out natively by SQLite and PostgreSQL alike.

Each twitch stores its local date (RULES.md 2), so no time zone arithmetic is left to
the database: only the weekday of a date. Django's ``ExtractIsoWeekDay`` does that on
SQLite by calling back into Python for every row; SQLite's own ``strftime`` is exact
for a date and stays in C.
"""

from django.db.models import Func, IntegerField


class IsoWeekday(Func):
    """1 for Monday to 7 for Sunday, of a date column."""

    output_field = IntegerField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra_context):
        # strftime's %w counts from Sunday = 0. A percent sign is doubled twice: once for
        # the template, once for the SQL handed to the driver with its parameters.
        template = "((CAST(strftime('%%%%w', %(expressions)s) AS INTEGER) + 6) %%%% 7 + 1)"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "CAST(EXTRACT(ISODOW FROM %(expressions)s) AS integer)"
        return self.as_sql(compiler, connection, template=template, **extra_context)
