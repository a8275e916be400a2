from django.urls import URLPattern, path

from demo import showcase, views

app_name = "demo"

urlpatterns: list[URLPattern] = [
    path("", views.lab, name="lab"),
    path("browser-run/", views.browser_run, name="browser_run"),
    path("run/", views.server_run, name="server_run"),
    # The views on show. `course.lean_handler` serves these four without per-request thread hops.
    path("slow/", showcase.slow_view, name="slow"),
    path("sync/", showcase.sync_view, name="sync"),
    path("blocking/", showcase.blocking_view, name="blocking"),
    path("no-await/", showcase.no_await_view, name="no_await"),
    # Full site stack on purpose: the database-hygiene benchmark measures it.
    path("db/", showcase.db_view, name="db"),
]
