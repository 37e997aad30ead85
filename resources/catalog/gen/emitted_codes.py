#!/usr/bin/env python3
"""Writes resources/catalog/emitted-codes.json from two inputs (run by hand; not part of the build):
  - tests/data/emitted-error-codes.tsv: the codes Caracal emits (code, service, HTTP status, route) as facts;
  - emitted-code-help.txt (next to this script): our own meaning, first check and troubleshooting rows per
    (code, service) pair.
Every pair of the table must have help text, and every help line must name a pair of the table.
Usage: python3 resources/catalog/gen/emitted_codes.py  (from the repository root)"""
import csv
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TSV = os.path.join(ROOT, "tests/data/emitted-error-codes.tsv")
HELP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "emitted-code-help.txt")
OUT = os.path.join(ROOT, "resources/catalog/emitted-codes.json")


def default_related(service, status, where):
    """The troubleshooting route for the surface when a help line names none."""
    if "/ready" in where:
        return ["readiness-failures/service-not-ready", "triage/readiness"]
    if "401" in status:
        return ["symptom/api-401", "triage/auth-401"]
    if service == "sts":
        return ["sts-403/audit-request-id", "triage/sts-403"]
    if service in ("gateway", "verifier"):
        return ["symptom/resource-denied", "triage/resource-403"]
    if service in ("runtime", "sdk"):
        return ["triage/client-startup"]
    if service == "audit":
        return ["missing-audit-events/ingestion-lag"]
    return ["triage/audit-search"]


def statuses(text):
    return [s for s in re.findall(r"\b[1-5]\d\d\b", text)]


def main():
    rows = list(csv.DictReader(open(TSV, encoding="utf-8"), delimiter="\t"))
    help_text = {}
    for n, line in enumerate(open(HELP, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(" | ")]
        if len(parts) not in (4, 5):
            sys.exit(f"{HELP}:{n}: expected 4 or 5 fields separated by ' | '")
        related = [r.strip() for r in parts[4].split(",")] if len(parts) == 5 else None
        help_text[(parts[0], parts[1])] = (parts[2], parts[3], related)
    codes = {}
    seen = set()
    for r in rows:
        key = (r["code"], r["service"])
        if key not in help_text:
            sys.exit(f"no help text for {key}")
        seen.add(key)
        meaning, first_check, related = help_text[key]
        status = r["http_status"].strip()
        where = r["where"].strip()
        entry = codes.setdefault(r["code"], {"code": r["code"], "sources": []})
        entry["sources"].append({
            "service": r["service"],
            "http_status": status,
            "statuses": statuses(status),
            "where": where,
            "meaning": meaning,
            "first_check": first_check,
            "related": related if related else default_related(r["service"], status, where),
        })
    extra = set(help_text) - seen
    if extra:
        sys.exit(f"help text for pairs not in the table: {sorted(extra)}")
    out = {
        "schema": "caracal-trace/emitted-codes/1",
        "source": "tests/data/emitted-error-codes.tsv (Caracal's emitted codes); text: resources/catalog/gen",
        "codes": sorted(codes.values(), key=lambda e: e["code"]),
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{OUT}: {len(codes)} codes, {len(rows)} (code, service) pairs")


if __name__ == "__main__":
    main()
