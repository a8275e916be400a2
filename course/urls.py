from django.contrib import admin
from django.urls import include, path

from course.views import healthz

urlpatterns = [
    path("", include("lessons.urls")),
    path("", include("exercises.urls")),
    path("demo/", include("demo.urls")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]
