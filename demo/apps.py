from django.apps import AppConfig

from lessons.demos import demo_modes_register


class DemoConfig(AppConfig):
    name = "demo"

    def ready(self) -> None:
        # Lessons name the lab's modes in their `demo:` line; the validator and the lesson
        # page check those names against the modes registered here. Imported here, not at the
        # top: the modes import the views, which import models.
        from demo.modes import MODES

        demo_modes_register({key: mode.label for key, mode in MODES.items()})
