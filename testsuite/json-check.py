#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""json-check.py SCHEMA FILE: every line of FILE (ltrace --json output) must be one strict
JSON value (no NaN or Infinity, no duplicate keys) valid against SCHEMA. Exit 0 when all
are, 1 otherwise (the first bad line said on stderr), 77 without python3-jsonschema."""
import json
import sys

try:
    import jsonschema
except ImportError:
    sys.stderr.write("json-check.py: no jsonschema module\n")
    sys.exit(77)


def no_constants(name):
    raise ValueError("not JSON: " + name)


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key in %r" % keys)
    return dict(pairs)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    n = 0
    with open(sys.argv[2], "rb") as f:
        for lineno, raw in enumerate(f, 1):
            try:
                # JSON text is UTF-8: a stray byte of the tracee would fail here.
                text = raw.decode("utf-8")
                if not text.endswith("\n"):
                    raise ValueError("line not terminated")
                value = json.loads(text, parse_constant=no_constants,
                                   object_pairs_hook=no_duplicates)
                error = jsonschema.exceptions.best_match(validator.iter_errors(value))
                if error is not None:
                    raise ValueError("%s (at %s)" % (error.message, list(error.absolute_path)))
            except ValueError as e:
                sys.stderr.write("%s:%d: %s\n%s" % (sys.argv[2], lineno, e, raw.decode("utf-8", "replace")))
                return 1
            n += 1
    if n == 0:
        sys.stderr.write("%s: no lines\n" % sys.argv[2])
        return 1
    return 0


sys.exit(main())
