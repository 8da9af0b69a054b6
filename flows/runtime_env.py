"""Environment defaults for an offline, single-server deployment; import before ``prefect``.

Without PREFECT_API_URL a flow starts a temporary local server; telemetry would try to
reach the internet and log errors, and a slow machine needs more start-up time. Progress
bars of transformers would clutter a daily job's log. Values set by the user win.
"""

from __future__ import annotations

import os

OFFLINE_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}

for _key, _value in OFFLINE_DEFAULTS.items():
    os.environ.setdefault(_key, _value)
