from django.urls import URLPattern, path

from exercises.build import views as build_views

urlpatterns: list[URLPattern] = [
    path("lessons/<slug:slug>/steps/<int:number>/", build_views.step_detail, name="step"),
    path(
        "lessons/<slug:slug>/steps/<int:number>/check/",
        build_views.step_submit,
        name="step_check",
    ),
    path("lessons/<slug:slug>/steps/<int:number>/hint/", build_views.step_hint, name="step_hint"),
    path(
        "lessons/<slug:slug>/steps/<int:number>/solution/",
        build_views.step_solution,
        name="step_solution",
    ),
    path(
        "lessons/<slug:slug>/steps/<int:number>/start-over/",
        build_views.step_start_over,
        name="step_reset",
    ),
    path(
        "lessons/<slug:slug>/steps/<int:number>/draft/",
        build_views.step_draft,
        name="step_draft",
    ),
]
