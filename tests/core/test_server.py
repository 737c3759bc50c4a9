"""A server process loads the whole site at start and freezes it for the garbage collector."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, sys
import {module}
from django.utils.translation import trans_real
print(json.dumps({{
    "catalogues": sorted(trans_real._translations),
    "frozen": gc.get_freeze_count(),
    "tracked": len(gc.get_objects()),
    "views": [name in sys.modules for name in
              ("marketplace.api.views", "tours.api.views", "cooperation.views")],
}}))
"""


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_a_server_process_imports_every_view_and_freezes_them(module):
    # A new interpreter, as a server process starts: before its first request
    # the views are imported and the catalogues read, and a full collection
    # walks only what came after.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(module=module)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["views"] == [True, True, True]
    assert loaded["catalogues"] == ["en", "zh-hans", "zh-hant"]
    assert loaded["frozen"] > 50_000
    assert loaded["tracked"] < loaded["frozen"] / 10
