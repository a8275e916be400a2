from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """The `Article` model the database lesson's demo queries (and its learners' code names)."""

    name = "articles"
    default_auto_field = "django.db.models.BigAutoField"
