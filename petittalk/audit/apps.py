from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "petittalk.audit"
    label = "audit"
    verbose_name = "Audit log"
