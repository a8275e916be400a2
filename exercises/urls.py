"""Learner work: the guided build (build_urls) and the quizzes (quiz_urls)."""

from exercises.build_urls import urlpatterns as build_urlpatterns
from exercises.quiz_urls import urlpatterns as quiz_urlpatterns

app_name = "exercises"

urlpatterns = build_urlpatterns + quiz_urlpatterns
