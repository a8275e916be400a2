"""A few articles for the database lesson's demo: it looks up pk 1 and counts them all."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

ARTICLES = [
    (1, "Why async matters", "Waiting requests share one event loop when every wait is awaited."),
    (2, "Async ORM", "aget(), acount() and async for run each query in a worker thread."),
    (3, "Gather", "asyncio.gather waits for two things at once."),
]


def seed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Article = apps.get_model("articles", "Article")
    for pk, title, body in ARTICLES:
        Article.objects.update_or_create(pk=pk, defaults={"title": title, "body": body})


def unseed(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(pk__in=[pk for pk, _, _ in ARTICLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
