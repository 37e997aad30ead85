#!/usr/bin/env python3
"""Validates the policy inputs caracal-trace explain reconstructs against Caracal's JSON Schema (2026-05-20)."""
import json, subprocess, sys
import jsonschema

trace, schema_path, *files = sys.argv[1:]
schema = json.load(open(schema_path))
validator = jsonschema.Draft202012Validator(schema)
checked = 0
for path in files:
    doc = json.load(open(path))
    out = subprocess.run([trace, "explain", "--request-id", doc["request_id"], "--zone", doc["zone_id"],
                          "--format", "json", path], capture_output=True, text=True, check=True)
    for denied in json.loads(out.stdout)["denied"]:
        errors = list(validator.iter_errors(denied["policy_input"]))
        # The schema requires resource.id, the resource's own id, which audit events do not carry; Caracal's
        # explain omits it as well. Every other constraint must hold.
        errors = [e for e in errors if not (e.validator == "required" and list(e.path) == ["resource"]
                                            and "'id'" in e.message)]
        # Caracal's own reconstruction leaves principal.id (and a missing resource) empty for anomaly events,
        # which never reached policy evaluation; the schema forbids empty strings. We match Caracal there.
        if denied["event_type"] in ("replay_detected", "jti_collision"):
            errors = [e for e in errors if not (e.validator == "minLength" and list(e.path) in
                                                (["principal", "id"], ["resource", "identifier"]))]
        if errors:
            print(f"{path}: {errors[0].message} at {list(errors[0].path)}", file=sys.stderr)
            sys.exit(1)
        checked += 1
print(f"{checked} policy inputs valid")
sys.exit(0 if checked > 0 else 1)
