from django.urls import URLPattern, path

from demo import pages, views

app_name = "demo"

urlpatterns: list[URLPattern] = [
    path("", pages.lab, name="lab"),
    path("browser-run/", pages.browser_run, name="browser_run"),
    path("run/", pages.server_run, name="server_run"),
    # The views on show. `demo.lean` serves these four without per-request thread hops.
    path("slow/", views.slow_view, name="slow"),
    path("sync/", views.sync_view, name="sync"),
    path("blocking/", views.blocking_view, name="blocking"),
    path("no-await/", views.no_await_view, name="no_await"),
    # Full site stack on purpose: the database-hygiene benchmark measures it.
    path("db/", views.db_view, name="db"),
]
