from django.urls import URLPattern, path

from exercises.api import views as api_views

urlpatterns: list[URLPattern] = [
    path("api/openapi.json", api_views.openapi, name="api_openapi"),
    path("api/lessons/<slug:slug>/quiz/", api_views.quiz_questions, name="quiz_api"),
    path("api/lessons/<slug:slug>/quiz/grade/", api_views.quiz_grade, name="quiz_api_grade"),
    # <str:step>, not <int:>: an unknown step gets the JSON 404 naming the lesson's steps.
    path(
        "api/lessons/<slug:slug>/steps/<str:step>/check/",
        api_views.code_check,
        name="code_check_api",
    ),
]
