"""Validates every shipped rule pack against Rules/schema.json, so the schema editors use and
the packs Netral ships cannot drift apart."""
import datetime
import glob
import json
import sys

import jsonschema
import yaml


def plain(value):
    # YAML dates become strings, as the schema (and Netral) read them.
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def main():
    schema = json.load(open("Rules/schema.json", encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    failed = 0
    # Packs directly in Rules/ and one folder down (generated packs), as Netral loads them;
    # Rules/sites/ holds site profiles.
    paths = glob.glob("Rules/*.yaml") + [path for path in glob.glob("Rules/*/*.yaml") if not path.startswith("Rules/sites/")]
    for path in sorted(paths):
        errors = list(validator.iter_errors(plain(yaml.safe_load(open(path, encoding="utf-8")))))
        for error in errors:
            print(f"{path}: {'/'.join(map(str, error.absolute_path))}: {error.message}")
        failed += bool(errors)
        print(f"{path}: {'ok' if not errors else 'invalid'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
