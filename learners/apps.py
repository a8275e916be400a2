from django.apps import AppConfig


class LearnersConfig(AppConfig):
    name = "learners"

    def ready(self) -> None:
        # The one signal the site listens to: allauth's login (sign-up logs in too), the
        # moment a learner's anonymous work becomes the account's.
        from allauth.account.signals import user_logged_in

        from learners.receivers import anonymous_work_claim

        user_logged_in.connect(anonymous_work_claim, dispatch_uid="learners.anonymous_work_claim")
