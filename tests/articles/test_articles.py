"""The database lesson's model: migrations leave a few articles to query."""

from __future__ import annotations

import pytest

from articles.models import Article


@pytest.mark.django_db
def test_migrations_seed_the_articles_the_demo_looks_up():
    assert Article.objects.filter(pk=1).exists()
    assert Article.objects.count() >= 3
    assert str(Article.objects.get(pk=1)) == "Why async matters"
