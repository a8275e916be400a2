from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import include, path
from django.views.generic import RedirectView

from course import me, pages

# Staff sign in through the site's login (allauth's rate limits), not admin's own form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

# The catalogue and lesson pages keep their `lessons:` names: they are what a lesson looks like.
lesson_pages = (
    [
        path("", pages.catalogue, name="catalogue"),
        path("lessons/<slug:slug>/", pages.lesson_detail, name="detail"),
    ],
    "lessons",
)

urlpatterns = [
    path("", include(lesson_pages)),
    path("", include("exercises.urls")),
    path("", include("exercises.instructor.urls")),
    path("demo/", include("demo.urls")),
    path("accounts/", include("allauth.urls")),
    path("me/", me.me_detail, name="me"),
    path("me/time-zone/", me.me_time_zone, name="me_time_zone"),
    path("me/data.json", me.me_data_export, name="me_data"),
    path("me/delete/", me.me_delete, name="me_delete"),
    path("admin/", admin.site.urls),
    path("healthz/", pages.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path(
        "favicon.ico",
        RedirectView.as_view(url=staticfiles_storage.url("img/favicon.svg"), permanent=True),
    ),
]
