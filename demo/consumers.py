"""The WebSocket behind server-fired runs: one run at a time per page, streamed as fragments.

The page connects with htmx's ws extension; the run form is sent as JSON (`ws-send`) and
every message back is HTML whose elements carry `hx-swap-oob`, so htmx swaps them in place.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.template.loader import render_to_string

from course.admission import client_key
from course.slots import Ticket
from demo.explain import RunFacts, run_explain
from demo.forms import ServerRunForm
from demo.history import history_for_page, run_record
from demo.modes import SEED_LESSON, modes_for_lesson
from demo.runs import RunProgress, progress_facts, run_fire, run_slots, server_base_url
from exercises.learners import LEARNER_SESSION_KEY

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
        lesson = str(data.get("lesson") or SEED_LESSON)
        if not modes_for_lesson(lesson):
            await self.send_notice("That lesson has no demo views.", level="bad")
            return
        fields = ("mode", "n", "prediction", "predicted_threads", "workers")
        form = ServerRunForm({key: data.get(key) for key in fields}, lesson=lesson)
        if not form.is_valid():
            await self.send_fragment("server_form", {"server_form": form, "lesson_slug": lesson})
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
        # The previous run's summary goes as this one starts, so it is never read as this one's.
        await self.send_fragment("server_summary", {})
        self.run_task = asyncio.create_task(self.run(form, ticket, lesson))

    async def run(self, form: ServerRunForm, ticket: Ticket, lesson: str) -> None:
        try:
            progress = await run_fire(
                mode=form.demo_mode,
                n=form.cleaned_data["n"],
                prediction=form.cleaned_data["prediction"],
                predicted_threads=form.cleaned_data["predicted_threads"],
                workers=form.cleaned_data["workers"],
                base_url=server_base_url(self.scope),
                on_progress=self.send_progress,
            )
        finally:
            await run_slots.give_back(ticket)
        facts = progress_facts(progress)
        await self.send_fragment(
            "server_summary",
            {"server_progress": progress, "server_explanation": run_explain(facts)},
        )
        learner = await self.learner()
        if learner is not None:
            history = await database_sync_to_async(self.keep)(learner, lesson, facts)
            await self.send_fragment("history", history)

    @staticmethod
    def keep(learner: str, lesson: str, facts: RunFacts) -> dict[str, Any]:
        run_record(learner_id=learner, lesson=lesson, fired_from="server", facts=facts)
        return history_for_page(learner_id=learner, lesson=lesson)

    async def learner(self) -> str | None:
        """The learner's id from the session the lab page made (None without one)."""
        session = self.scope.get("session")
        if session is None:
            return None
        value = await database_sync_to_async(session.get)(LEARNER_SESSION_KEY)
        return value if isinstance(value, str) and value else None

    async def send_progress(self, progress: RunProgress) -> None:
        await self.send_fragment("server_live", {"server_progress": progress, "oob": True})

    async def send_notice(self, message: str, *, level: str = "info") -> None:
        await self.send_fragment(
            "server_notice", {"server_notice": message, "server_notice_level": level, "oob": True}
        )

    async def send_fragment(self, partial: str, context: dict[str, Any]) -> None:
        # Partials here read no database and no request.user, so rendering stays on the loop.
        context.setdefault("oob", True)
        await self.send(text_data=render_to_string(f"{TEMPLATE}#{partial}", context))
