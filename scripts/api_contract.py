#!/usr/bin/env python
"""The API contract with independent tools (issue 19): make contract.

1. Dumps /api/schema/ in both languages (zh-hans, en) and checks that their
   identifiers (paths, operation ids, tags, component and property names,
   enum values) are the same ASCII ones: only descriptions are translated.
2. openapi-spec-validator and `redocly lint` (rules: redocly.yaml) on both.
3. Generates clients into artifacts/contract/ (never committed):
   openapi-python-client (Python), openapi-typescript (TypeScript types,
   compiled with tests/contract/journey.ts under strict tsc) and OpenAPI
   Generator's typescript-fetch client (generated offline, compiled unedited
   under --strict, with tests/contract/journey_generator.ts under every check
   of tests/contract/tsconfig.json; its python client would need
   python-dateutil, which .venv does not have).
4. Runs the three clients' committed journeys (tests/contract/journey_python.py,
   journey.ts, journey_generator.ts) against a live server (gunicorn, as make
   fuzz) on a fresh database with the demo data.

The in-process check of every operation's responses with openapi-core is
tests/contract/test_responses.py (make test). Exit 1 on any failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import PYTHON, ROOT, Stack, log

OUT = ROOT / "artifacts" / "contract"
BIN = Path(sys.executable).parent
NPX = ["npx", "--no-install"]
PORT = int(os.environ.get("CONTRACT_PORT", 8641))
LANGUAGES = ("zh-hans", "en")
# No telemetry, no update check: nothing here may reach the internet.
TOOL_ENV = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}


def run(name: str, command: list[str], failures: list[str], **kwargs) -> bool:
    started = time.perf_counter()
    result = subprocess.run(
        command,
        cwd=ROOT,
        env=kwargs.pop("env", TOOL_ENV),
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )
    said = result.stdout.strip().splitlines()[-1:] if name.startswith("journey") else []
    log(
        f"{name}: {'ok' if result.returncode == 0 else 'FAILED'} ({time.perf_counter() - started:.1f}s)"
        + "".join(f": {line}" for line in said)
    )
    if result.returncode != 0:
        failures.append(f"{name}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        return False
    return True


def identifiers(schema: dict) -> dict:
    def walk(node, path, found):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("description", "summary", "example", "title"):
                    continue
                found.add(f"{path}/{key}")
                walk(value, f"{path}/{key}", found)
        elif isinstance(node, list):
            for value in node:
                if isinstance(value, str):
                    found.add(f"{path}={value}")
                walk(value, path, found)
        return found

    return sorted(walk({k: v for k, v in schema.items() if k != "info"}, "", set()))


def check_schemas(failures: list[str]) -> Path:
    import yaml

    dumped = {}
    for language in LANGUAGES:
        path = OUT / f"schema.{language}.yaml"
        run(
            f"dump schema ({language})",
            [PYTHON, "manage.py", "spectacular", "--lang", language, "--file", str(path)],
            failures,
        )
        dumped[language] = yaml.safe_load(path.read_text())
    ids = {language: identifiers(schema) for language, schema in dumped.items()}
    if ids["zh-hans"] != ids["en"]:
        diff = sorted(set(ids["zh-hans"]) ^ set(ids["en"]))[:20]
        failures.append("identifiers differ between the languages:\n  " + "\n  ".join(diff))
    non_ascii = [i for i in ids["en"] + ids["zh-hans"] if not i.isascii()][:20]
    if non_ascii:
        failures.append("identifiers that are not ASCII:\n  " + "\n  ".join(non_ascii))
    log(f"identifiers: {len(ids['en'])}, the same in both languages: {ids['zh-hans'] == ids['en']}")
    for language in LANGUAGES:
        path = str(OUT / f"schema.{language}.yaml")
        run(
            f"openapi-spec-validator ({language})",
            [str(BIN / "openapi-spec-validator"), path],
            failures,
        )
        run(
            f"redocly lint ({language})",
            [*NPX, "redocly", "lint", "--config", "redocly.yaml", path],
            failures,
        )
    return OUT / "schema.en.yaml"


def generate(schema: Path, failures: list[str]) -> None:
    python_client = OUT / "python" / "dh_api_client"
    shutil.rmtree(OUT / "python", ignore_errors=True)
    run(
        "generate: openapi-python-client",
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(schema),
            "--output-path",
            str(python_client),
            "--overwrite",
            "--meta",
            "none",
            "--config",
            "tests/contract/openapi-python-client.yaml",
        ],
        failures,
    )
    (OUT / "ts").mkdir(exist_ok=True)
    run(
        "generate: openapi-typescript",
        [*NPX, "openapi-typescript", str(schema), "--output", str(OUT / "ts" / "schema.d.ts")],
        failures,
    )
    run(
        "tsc --strict tests/contract/journey.ts",
        [*NPX, "tsc", "-p", "tests/contract/tsconfig.json"],
        failures,
    )
    # OpenAPI Generator's typescript-fetch client (its python one needs
    # python-dateutil, which .venv does not have): generated offline, compiled
    # unedited under --strict, then the journey under every check of tsconfig.json.
    for stale in ("generator", "generator-ts", "generator-js"):
        shutil.rmtree(OUT / stale, ignore_errors=True)
    run(
        "generate: OpenAPI Generator (typescript-fetch)",
        [
            str(BIN / "openapi-generator-cli"),
            "generate",
            "-i",
            str(schema),
            "-g",
            "typescript-fetch",
            "-o",
            str(OUT / "generator-ts"),
            "--skip-validate-spec",
            "--additional-properties",
            "supportsES6=true",
            "--global-property",
            "apiTests=false,modelTests=false,apiDocs=false,modelDocs=false",
        ],
        failures,
    ) and run(
        "tsc --strict: the generated typescript-fetch client",
        [*NPX, "tsc", "-p", "tests/contract/tsconfig.generated.json"],
        failures,
    ) and run(
        "tsc --strict tests/contract/journey_generator.ts",
        [*NPX, "tsc", "-p", "tests/contract/tsconfig.generator.json"],
        failures,
    )


def journeys(failures: list[str]) -> None:
    with Stack(
        "contract",
        redis_db=8,
        env={
            **{f"THROTTLE_{scope}": "1000000/min" for scope in ("ANON", "USER", "AUTH", "WRITE")},
            "AXES_FAILURE_LIMIT": "1000000",
        },
    ) as stack:
        stack.prepare()
        # Production settings: links are SITE_URL's (core.links), so it names
        # this server for the journeys to follow them.
        base = stack.start_server(
            port=PORT, workers=2, env={"SITE_URL": f"http://127.0.0.1:{PORT}"}
        )
        env = {**TOOL_ENV, "PYTHONPATH": str(OUT / "python")}
        run(
            "journey: python client",
            [PYTHON, "tests/contract/journey_python.py", base],
            failures,
            env=env,
        )
        run(
            "journey: typescript client",
            ["node", str(OUT / "ts" / "tests" / "contract" / "journey.js"), base],
            failures,
        )
        run(
            "journey: OpenAPI Generator client",
            ["node", str(OUT / "journey_generator.js"), base],
            failures,
        )
        errors = stack.server_errors()
        if errors:
            failures.append("server errors logged:\n  " + "\n  ".join(errors[:10]))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    failures: list[str] = []
    schema = check_schemas(failures)
    generate(schema, failures)
    journeys(failures)
    (OUT / "summary.json").write_text(json.dumps({"failures": failures}, indent=2))
    if failures:
        print("FAILED:\n- " + "\n- ".join(failures))
        return 1
    print(
        "OK: the schema is valid in both languages; three clients generated, each ran its journey."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
