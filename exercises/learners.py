"""Who the learner is: kept here for the views that import it; the rules (a session id for
anonymous learners, the account's id once signed in) live in learners.identity."""

from learners.identity import LEARNER_SESSION_KEY, learner_id, learner_id_known

__all__ = ["LEARNER_SESSION_KEY", "learner_id", "learner_id_known"]
