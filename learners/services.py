"""Writes about learners: what they did (the streak and the points), their time zone, and
the moves of their work: from an anonymous session to an account, out as JSON, or away.

Other apps keep learner work in their own models, keyed by a `learner` field holding the
learner id. This module finds those models itself (every installed model with a `learner`
field), so new kinds of work are merged, exported and deleted without being listed here. A
model whose rows need more than moving (one row per step, say) registers its own merge with
`learner_merger_register` from its app's `ready()`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from learners.identity import LEARNER_SESSION_KEY
from learners.models import Activity, LearnerProfile
from learners.time_zones import UTC_NAME, local_day, time_zone_valid

# What counts as a day of learning (opening a page does not).
ACTIVITY_KINDS = frozenset({"step_passed", "test_finished", "mode_finished", "review_cleared"})


class LearnerMerger(Protocol):
    def __call__(self, *, source: str, target: str) -> None: ...


_mergers: dict[type[models.Model], LearnerMerger] = {}


def learner_merger_register(model: type[models.Model], merger: LearnerMerger) -> None:
    """Merge this model's rows with `merger` instead of simply moving them."""
    _mergers[model] = merger


def learner_models() -> list[type[models.Model]]:
    """Every installed model that holds learner work (it has a `learner` field)."""
    found = []
    for model in apps.get_models():
        field_names = {field.name for field in model._meta.get_fields()}
        if "learner" in field_names and isinstance(
            model._meta.get_field("learner"), models.CharField
        ):
            found.append(model)
    return found


def time_zone_remember(*, learner: str, time_zone: str | None, chosen: bool = False) -> bool:
    """Keep the learner's time zone. The browser's guess never replaces a chosen zone.
    False (and nothing kept) for a name that is not an IANA zone."""
    if not time_zone or not time_zone_valid(time_zone):
        return False
    profile, _ = LearnerProfile.objects.get_or_create(learner=learner)
    if profile.time_zone_chosen and not chosen:
        return True
    if profile.time_zone != time_zone or profile.time_zone_chosen != chosen:
        profile.time_zone = time_zone
        profile.time_zone_chosen = chosen
        profile.save(update_fields=["time_zone", "time_zone_chosen", "updated_at"])
    return True


def learner_time_zone(*, learner: str | None, browser: str | None = None) -> str:
    """The zone kept for the learner; else what the browser says (if valid); else UTC."""
    zone = None
    if learner is not None:
        zone = (
            LearnerProfile.objects.filter(learner=learner)
            .values_list("time_zone", flat=True)
            .first()
        )
    if not zone and browser and time_zone_valid(browser):
        zone = browser
    return zone or UTC_NAME


def activity_record(
    *,
    learner: str,
    kind: str,
    when: dt.datetime | None = None,
    key: str = "",
    points: int = 0,
    time_zone: str | None = None,
) -> Activity:
    """Record a meaningful act: it makes `when` a day of the learner's streak, in their own
    time zone. `points` are earned once per `key` (a later, better result earns the
    difference: the best counts). `time_zone` is what the browser said, kept if valid."""
    if kind not in ACTIVITY_KINDS:
        raise ValueError(f"unknown activity kind {kind!r}; one of {sorted(ACTIVITY_KINDS)}")
    when = when or timezone.now()
    time_zone_remember(learner=learner, time_zone=time_zone)
    zone = learner_time_zone(learner=learner)
    day = local_day(when=when, time_zone=zone)
    points = max(points, 0)
    # The same achievement again on the same day adds no row (a step checked fifty times
    # is one day and one pass): at most one row per achievement and day.
    if key:
        again = Activity.objects.filter(learner=learner, kind=kind, key=key, day=day).first()
        if again is not None:
            if points > again.points:
                again.points = points
                again.save(update_fields=["points"])
            return again
    return Activity.objects.create(
        learner=learner,
        kind=kind,
        key=key,
        points=points,
        day=day,
        at=when,
        time_zone=zone,
    )


def _rows_move(model: type[models.Model], *, source: str, target: str) -> None:
    manager: Any = model._default_manager
    try:
        with transaction.atomic():
            manager.filter(learner=source).update(learner=target)
    except IntegrityError:
        # A uniqueness the model did not register a merge for: the account's row wins.
        for row in manager.filter(learner=source):
            try:
                with transaction.atomic():
                    manager.filter(pk=row.pk).update(learner=target)
            except IntegrityError:
                row.delete()


def _profile_merge(*, source: str, target: str) -> None:
    incoming = LearnerProfile.objects.filter(learner=source).first()
    if incoming is None:
        return
    kept = LearnerProfile.objects.filter(learner=target).first()
    if kept is None:
        LearnerProfile.objects.filter(pk=incoming.pk).update(learner=target)
        return
    # The account's chosen zone stays; otherwise the browser's latest word wins.
    if not kept.time_zone_chosen and incoming.time_zone:
        kept.time_zone = incoming.time_zone
        kept.time_zone_chosen = incoming.time_zone_chosen
        kept.save(update_fields=["time_zone", "time_zone_chosen", "updated_at"])
    incoming.delete()


learner_merger_register(LearnerProfile, _profile_merge)


def learner_work_merge(*, source: str, target: str) -> bool:
    """Move everything `source` did to `target`, merging where both did the same thing.
    True when there was anything to move."""
    if not source or source == target:
        return False
    with transaction.atomic():
        models_with_work = [
            model
            for model in learner_models()
            if model._default_manager.filter(learner=source).exists()
        ]
        for model in models_with_work:
            merger: Callable[..., None] | None = _mergers.get(model)
            if merger is not None:
                merger(source=source, target=target)
            else:
                _rows_move(model, source=source, target=target)
    return bool(models_with_work)


def learner_data_export(*, learner: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of learner work, model by model (`app.model`: rows as plain values)."""
    data: dict[str, list[dict[str, Any]]] = {}
    for model in learner_models():
        manager: Any = model._default_manager
        rows = list(manager.filter(learner=learner).order_by("pk").values())
        data[model._meta.label_lower] = rows
    return data


def learner_data_delete(*, learner: str) -> int:
    """Delete every row of this learner's work; how many were deleted."""
    deleted = 0
    with transaction.atomic():
        for model in learner_models():
            manager: Any = model._default_manager
            count, _ = manager.filter(learner=learner).delete()
            deleted += count
    return deleted


def anonymous_learners_live() -> set[str]:
    """Learner ids held by sessions that have not expired: the only way back to their work."""
    live: set[str] = set()
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        value = session.get_decoded().get(LEARNER_SESSION_KEY)
        if isinstance(value, str) and value:
            live.add(value)
    return live


def anonymous_work_prune(*, delete: bool) -> dict[str, int]:
    """Rows of anonymous learners whose session has expired (nobody can reach them again),
    counted per model, and deleted when `delete`. Accounts' work is never touched."""
    live = anonymous_learners_live()
    found: dict[str, int] = {}
    with transaction.atomic():
        for model in learner_models():
            manager: Any = model._default_manager
            orphans = manager.exclude(learner__startswith="user-").exclude(learner__in=live)
            count = orphans.count()
            if count:
                found[model._meta.label] = count
                if delete:
                    orphans.delete()
    return found
