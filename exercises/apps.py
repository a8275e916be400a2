from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "exercises"

    def ready(self) -> None:
        from exercises.merge import step_attempt_merge, step_work_merge
        from exercises.models import StepAttempt, StepWork
        from exercises.modes import checks  # noqa: F401  (registers the system check)
        from learners.services import learner_merger_register

        learner_merger_register(StepWork, step_work_merge)
        learner_merger_register(StepAttempt, step_attempt_merge)
