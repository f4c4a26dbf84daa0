"""The editors' desk: every ModelAdmin of the project, registered on the Editors-only admin site."""

from factcheck.desk.admin import claims, spans, stories  # noqa: F401  (registering is importing)
