from django.apps import AppConfig

from lessons.demos import demo_modes_register


class DemoConfig(AppConfig):
    name = "demo"

    def ready(self) -> None:
        # Lessons name the demo modes their "See it run" shows (`demo:` in front matter);
        # lessons never import this app, so its modes are registered with lessons here.
        # Imported in ready() because the modes' views need the app registry loaded.
        from demo.modes import MODES

        demo_modes_register({key: mode.label for key, mode in MODES.items()})
