"""A student's answers file (TOML or JSON), read as data with its numbers as written.

The file is read like a spec (the same size limit, nesting limit and one-line errors);
what its keys mean is the checker's business (``engine.check``).
"""

import json
from decimal import Decimal

from ..errors import SpecError, quoted
from .spec import check_nesting, read_text, toml


def read(answers, source=None):
    """The raw answers (TOML or JSON) from a path, text or a dict, numbers as written."""
    if isinstance(answers, dict):
        return answers, source or "<answers>"
    text, name = read_text(answers, source, "answers file")
    if text.lstrip().startswith("{"):
        def unique(pairs):
            keys = [k for k, _ in pairs]
            twice = next((k for k in keys if keys.count(k) > 1), None)
            if twice is not None:
                raise SpecError(f"{name}: the key {quoted(twice)} is given twice in one object")
            return dict(pairs)

        try:
            data = json.loads(text, parse_float=Decimal, object_pairs_hook=unique)
        except json.JSONDecodeError as err:
            raise SpecError(f"{name}: JSON syntax error: {err}") from None
        except RecursionError:
            raise SpecError(f"{name}: objects or arrays nested too deep") from None
        check_nesting(data, name)
        return data, name
    return toml(text, name), name
