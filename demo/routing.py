from __future__ import annotations

from typing import Any

from django.urls import path

from demo.consumers import DemoRunConsumer

websocket_urlpatterns: list[Any] = [
    path("ws/demo/run/", DemoRunConsumer.as_asgi(), name="demo_run_ws"),
]
