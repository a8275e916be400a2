from django.urls import URLPattern, path

from exercises.modes import views

# /lessons/<slug>/<mode key>/: the keys are those of `exercises.modes.catalog.MODES`.
urlpatterns: list[URLPattern] = [
    path("lessons/<slug:slug>/concepts/", views.concepts_page, name="mode-concepts"),
    path(
        "lessons/<slug:slug>/worked-example/",
        views.worked_example_page,
        name="mode-worked-example",
    ),
    path(
        "lessons/<slug:slug>/worked-example/faded/",
        views.worked_example_faded,
        name="mode-worked-example-faded",
    ),
    path("lessons/<slug:slug>/parsons/", views.parsons_page, name="mode-parsons"),
    path("lessons/<slug:slug>/fill-in/", views.fill_in_page, name="mode-fill-in"),
    path("lessons/<slug:slug>/fix-the-bug/", views.fix_list, name="mode-fix-the-bug"),
    path("lessons/<slug:slug>/fix-the-bug/<int:number>/", views.fix_page, name="mode-fix"),
    path("lessons/<slug:slug>/from-scratch/", views.scratch_page, name="mode-from-scratch"),
    path("lessons/<slug:slug>/review/", views.review_page, name="mode-review"),
    path("lessons/<slug:slug>/review/rate/", views.review_rate, name="mode-review-rate"),
]
