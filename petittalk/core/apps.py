from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(*, using: str, **kwargs) -> None:
    """The database cache's table is no model, so no migration makes it: migrate does, through
    this, on every path (`make demo`, deploys, the test database). Existing tables are kept."""
    call_command("createcachetable", database=using, verbosity=0)


class CoreConfig(AppConfig):
    name = "petittalk.core"
    label = "core"

    def ready(self) -> None:
        # Sent once per migrated app; createcachetable does nothing when the table exists.
        post_migrate.connect(create_cache_table, dispatch_uid="petittalk.core.create_cache_table")
