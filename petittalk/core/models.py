from django.db import models


class ContentVersion(models.Model):
    """A counter per slice of public content ("catalog", "teacher:42"), bumped by every write that
    changes what that slice shows, in the writer's own transaction (see core/versions.py)."""

    scope = models.CharField(max_length=64, primary_key=True)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope} v{self.version}"
