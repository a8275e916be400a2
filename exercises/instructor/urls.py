from django.urls import URLPattern, path

from exercises.instructor import views

app_name = "instructor"

urlpatterns: list[URLPattern] = [
    path("lessons/<slug:slug>/preview/", views.lesson_preview, name="preview"),
    path("lessons/<slug:slug>/insights/", views.lesson_insights, name="insights"),
]
