"""WebSocket routes, gathered from the apps that own them."""

from __future__ import annotations

from typing import Any

from demo.routing import websocket_urlpatterns as demo_websocket_urlpatterns

websocket_urlpatterns: list[Any] = [
    *demo_websocket_urlpatterns,
]
