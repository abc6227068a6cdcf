"""Whether two systems answered the same question with the same data: the multiset of scalar
values in each response's `data` (field names and order differ between the schemas)."""

import json
from collections import Counter


def leaves(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from leaves(item)
    elif isinstance(value, list):
        for item in value:
            yield from leaves(item)
    else:
        yield value


def same_data(ours, theirs):
    """(equal, how many values ours holds) for two raw response bodies."""
    a = Counter(leaves(json.loads(ours)["data"]))
    b = Counter(leaves(json.loads(theirs)["data"]))
    return a == b, sum(a.values())
