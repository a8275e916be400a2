from django.contrib import admin
from django.contrib.staticfiles.storage import staticfiles_storage
from django.urls import include, path
from django.views.generic import RedirectView

from course import pages

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
    path("admin/", admin.site.urls),
    path("healthz/", pages.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page's <link rel="icon"> says.
    path(
        "favicon.ico",
        RedirectView.as_view(url=staticfiles_storage.url("img/favicon.svg"), permanent=True),
    ),
]

# The site's own error pages (course/errors.py says why Django's defaults are not enough).
handler400 = "course.errors.bad_request"
handler403 = "course.errors.permission_denied"
handler404 = "course.errors.page_not_found"
handler500 = "course.errors.server_error"
