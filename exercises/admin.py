"""The admin's pages for this app (Django's autodiscovery imports this module)."""

from exercises.api.admin import ApiKeyAdmin

__all__ = ["ApiKeyAdmin"]
