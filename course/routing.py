"""WebSocket routes, gathered from the apps that own them."""

from __future__ import annotations

from typing import Any

websocket_urlpatterns: list[Any] = []
