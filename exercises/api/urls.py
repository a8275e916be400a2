from django.urls import URLPattern, path

from exercises.api import views as api_views

urlpatterns: list[URLPattern] = [
    path("api/lessons/<slug:slug>/quiz/", api_views.quiz_questions, name="quiz_api"),
    path("api/lessons/<slug:slug>/quiz/grade/", api_views.quiz_grade, name="quiz_api_grade"),
]
