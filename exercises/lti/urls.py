from django.urls import URLPattern, path
from lti_tool.views import jwks

from exercises.lti import views

urlpatterns: list[URLPattern] = [
    path("lti/jwks/", jwks, name="lti_jwks"),
    path("lti/init/<uuid:registration_uuid>/", views.LoginInit.as_view(), name="lti_init"),
    path("lti/launch/", views.Launch.as_view(), name="lti_launch"),
]
