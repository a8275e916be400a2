from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "exercises"

    def ready(self) -> None:
        from exercises.modes import checks  # noqa: F401  (registers the system check)
