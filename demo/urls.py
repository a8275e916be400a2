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
    # The database lesson's: lean too, with each request's connection closed after it.
    path("orm-sync-in-async/", showcase.orm_sync_in_async_view, name="orm_sync_in_async"),
    path("orm-aget/", showcase.orm_aget_view, name="orm_aget"),
    path("orm-sync-view/", showcase.orm_sync_view, name="orm_sync_view"),
    # The wait-for-two-things lesson's.
    path("sequential/", showcase.sequential_view, name="sequential"),
    path("gather/", showcase.gather_view, name="gather"),
    path("timeout/", showcase.timeout_view, name="timeout"),
    # Full site stack on purpose: the database-hygiene benchmark measures it.
    path("db/", showcase.db_view, name="db"),
]
