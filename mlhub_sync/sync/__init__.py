"""The lockfile pipeline, one module per stage, imports pointing backwards only:

``yamlio``/``schema`` → ``manifest`` → ``resolver`` → ``lockfile`` → ``layout``/``state`` →
``planner`` (pure) → ``apply`` (returns outcomes and learned pins; writes no lock) →
``status`` (status, verify); ``extract`` and ``housekeeping`` serve ``apply``.
"""
