"""The WebSocket behind server-fired runs: one run at a time per page, streamed as fragments.

The page connects with htmx's ws extension; the run form is sent as JSON (`ws-send`) and
every message back is HTML whose elements carry `hx-swap-oob`, so htmx swaps them in place.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from channels.generic.websocket import AsyncWebsocketConsumer
from django.template.loader import render_to_string

from course.admission import client_key
from course.slots import Ticket
from demo.forms import ServerRunForm
from demo.runs import RunProgress, run_fire, run_slots, server_base_url

TEMPLATE = "demo/lab.html"


class DemoRunConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]
    run_task: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        await self.accept()

    async def disconnect(self, code: int) -> None:
        # The learner closed the tab or navigated away: stop firing their requests now.
        if self.run_task is not None and not self.run_task.done():
            self.run_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.run_task

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            data = json.loads(text_data or "")
        except ValueError:
            data = None
        if not isinstance(data, dict):
            await self.send_notice("That message was not a run form.", level="bad")
            return
        form = ServerRunForm({key: data.get(key) for key in ("mode", "n", "prediction")})
        if not form.is_valid():
            await self.send_fragment("server_form", {"server_form": form})
            return
        if self.run_task is not None and not self.run_task.done():
            await self.send_notice("A run is already going on this page; wait for it to end.")
            return
        client = client_key(self.scope)
        ticket = await run_slots.try_take(client, mode=form.demo_mode, n=form.cleaned_data["n"])
        if isinstance(ticket, int):
            await self.send_notice(
                "Too many server-fired runs at once (one per learner, a few in all): "
                f"try again in {ticket} s.",
                level="bad",
            )
            return
        await self.send_notice("")
        self.run_task = asyncio.create_task(self.run(form, ticket))

    async def run(self, form: ServerRunForm, ticket: Ticket) -> None:
        try:
            await run_fire(
                mode=form.demo_mode,
                n=form.cleaned_data["n"],
                prediction=form.cleaned_data["prediction"],
                base_url=server_base_url(self.scope),
                on_progress=self.send_progress,
            )
        finally:
            await run_slots.give_back(ticket)

    async def send_progress(self, progress: RunProgress) -> None:
        await self.send_fragment("server_live", {"server_progress": progress, "oob": True})
        if progress.finished:
            await self.send_fragment("server_summary", {"server_progress": progress, "oob": True})

    async def send_notice(self, message: str, *, level: str = "info") -> None:
        await self.send_fragment(
            "server_notice", {"server_notice": message, "server_notice_level": level, "oob": True}
        )

    async def send_fragment(self, partial: str, context: dict[str, Any]) -> None:
        # Partials here read no database and no request.user, so rendering stays on the loop.
        context.setdefault("oob", True)
        await self.send(text_data=render_to_string(f"{TEMPLATE}#{partial}", context))
