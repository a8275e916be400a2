"""Learner work, one sub-package per sub-domain: the guided build, the quizzes, the learning
modes and the JSON API share the `exercises:` URL names; instructor pages have `instructor:`
names."""

from exercises.api.urls import urlpatterns as api_urlpatterns
from exercises.build.urls import urlpatterns as build_urlpatterns
from exercises.lti.urls import urlpatterns as lti_urlpatterns
from exercises.modes.urls import urlpatterns as modes_urlpatterns
from exercises.quiz.urls import urlpatterns as quiz_urlpatterns

app_name = "exercises"

urlpatterns = (
    build_urlpatterns + quiz_urlpatterns + api_urlpatterns + modes_urlpatterns + lti_urlpatterns
)
