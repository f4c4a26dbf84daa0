"""SQL both databases share that Django 5.2 does not spell: imports no app, serves every layer."""

from django.db.models import Aggregate, TextField


class JSONList(Aggregate):
    """The aggregated values (strings, or JSONObject rows) as one JSON array, in text; NULL or "[]" over no rows.

    As text, not json, on both databases: the driver would decode json itself on PostgreSQL only.
    """

    function = "JSON_GROUP_ARRAY"  # SQLite
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = self.as_sql(compiler, connection, function="JSON_AGG", **extra_context)
        return f"({sql})::text", params
