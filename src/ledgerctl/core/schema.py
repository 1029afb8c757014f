"""JSON Schemas of the file kinds (ledgers, configuration, rates), generated from the models (never hand-edited)."""

from __future__ import annotations

import json

from pydantic import BaseModel

from .models import Config, Ledger, Rates

SCHEMA_FILES: dict[str, type[BaseModel]] = {
    "ledger.schema.json": Ledger,
    "config.schema.json": Config,
    "rates.schema.json": Rates,
}


def schema_texts() -> dict[str, str]:
    """File name -> JSON text, byte-stable so a test can compare it with schemas/."""
    out = {}
    for filename, model in SCHEMA_FILES.items():
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://ledgerctl.invalid/schemas/{filename}",
            **model.model_json_schema(mode="validation"),
        }
        out[filename] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out
