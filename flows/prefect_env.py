"""Prefect settings for an offline, single-server deployment; import before ``prefect``.

Without PREFECT_API_URL a flow starts a temporary local server; telemetry would try to
reach the internet and log errors, and a slow machine needs more start-up time. Values set
by the user in the environment win.
"""

from __future__ import annotations

import os

OFFLINE_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}

for _key, _value in OFFLINE_DEFAULTS.items():
    os.environ.setdefault(_key, _value)
