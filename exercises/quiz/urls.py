from django.urls import URLPattern, path

from exercises.quiz import views as quiz_views

urlpatterns: list[URLPattern] = [
    path("lessons/<slug:slug>/practice/", quiz_views.practice, name="practice"),
    path(
        "lessons/<slug:slug>/practice/<int:number>/",
        quiz_views.practice,
        name="practice_question",
    ),
    path(
        "lessons/<slug:slug>/practice/<int:number>/check/",
        quiz_views.practice_check,
        name="practice_check",
    ),
    path("lessons/<slug:slug>/test/", quiz_views.test_start, name="test"),
    path("lessons/<slug:slug>/test/start/", quiz_views.test_attempt_create, name="test_create"),
    path(
        "lessons/<slug:slug>/test/<int:attempt_id>/",
        quiz_views.test_attempt,
        name="test_attempt",
    ),
    path(
        "lessons/<slug:slug>/test/<int:attempt_id>/save/",
        quiz_views.test_attempt_save,
        name="test_save",
    ),
    path(
        "lessons/<slug:slug>/test/<int:attempt_id>/submit/",
        quiz_views.test_attempt_submit,
        name="test_submit",
    ),
]
