from django.urls import path

from lessons import instructor_views, views

app_name = "lessons"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("lessons/<slug:slug>/", views.lesson_detail, name="detail"),
    path("lessons/<slug:slug>/preview/", instructor_views.lesson_preview, name="preview"),
    path("lessons/<slug:slug>/insights/", instructor_views.lesson_insights, name="insights"),
]
