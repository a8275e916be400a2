import pytest
pytestmark = pytest.mark.django_db
@pytest.mark.parametrize("slug", ["why-async-matters", "greet-politely"])
@pytest.mark.parametrize("path", ["", "concepts/", "worked-example/", "worked-example/faded/", "parsons/", "fill-in/", "fix-the-bug/", "fix-the-bug/1/", "from-scratch/", "review/"])
def test_get(client, slug, path):
    r = client.get(f"/lessons/{slug}/{path}")
    assert r.status_code == 200, r.content.decode()[:3000]
