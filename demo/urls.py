from django.urls import URLPattern, path

from demo import showcase, views

app_name = "demo"

urlpatterns: list[URLPattern] = [
    path("", views.lab, name="lab"),
    path("browser-run/", views.browser_run, name="browser_run"),
    path("browser-run/record/", views.browser_record, name="browser_record"),
    path("run/", views.server_run, name="server_run"),
    # The views on show. `course.lean_handler` serves these without per-request thread hops
    # (and admits /demo/stock/ to stock Django's full stack).
    path("slow/", showcase.slow_view, name="slow"),
    path("sync/", showcase.sync_view, name="sync"),
    path("blocking/", showcase.blocking_view, name="blocking"),
    path("no-await/", showcase.no_await_view, name="no_await"),
    # The counterparts: the sync view on K workers, and the seed's view on the full stack.
    path("sync-workers/", showcase.sync_view, name="sync_pool"),
    path("stock/", showcase.slow_view, name="stock"),
    # Full site stack on purpose: the database-hygiene benchmark measures it.
    path("db/", showcase.db_view, name="db"),
]
