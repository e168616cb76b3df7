"""What the differ must not compare between two documentation families (an old release's Dev Guide and
today's API explorer), so that a change of family is not reported as a change of the API.

* sync/async: a side whose family cannot show it (`Endpoint.not_shown` has `async`) says nothing;
* a Query API's parameters: the Dev Guide lists none (`query-params`), so a query parameter only the
  other side lists is not added or removed, and an inferred parameter's description is not compared;
* a required flag a row does not show (`Param.required_shown`);
* the page section a parameter is listed in: each family has its own sections (the explorer lists a
  DELETE page's deleteMode under Query Parameters, the Dev Guide's row says `body`), so only a move on
  the wire is compared across families;
* the response fields when one side shows none: the explorer's DELETE block and "returns {}" sentence and
  the Dev Guide's error-only sentence show no field tree where the other family shows one.

Within one family every rule of compare.py applies as before.
"""

from __future__ import annotations

from generator.ir.model import Endpoint, Location, Param

_NO_TREE = ("delete", "empty-object", "none")


def cross_family(old: Endpoint, new: Endpoint) -> bool:
    return old.family != new.family


def async_comparable(old: Endpoint, new: Endpoint) -> bool:
    return "async" not in old.not_shown and "async" not in new.not_shown


def presence_comparable(param: Param, other_side: Endpoint) -> bool:
    """Whether `param`, listed on one side only, is added or removed: not when the other side's family
    does not list such parameters, nor when `param` itself was not shown but inferred."""
    if param.inferred:
        return False
    return not ("query-params" in other_side.not_shown and param.location in (Location.QUERY, Location.PATH))


def required_comparable(old: Param, new: Param) -> bool:
    return old.required_shown and new.required_shown


def description_comparable(old: Param, new: Param) -> bool:
    return not old.inferred and not new.inferred


def section_moves_comparable(old: Endpoint, new: Endpoint) -> bool:
    return not cross_family(old, new)


def responses_comparable(old: Endpoint, new: Endpoint) -> bool:
    if not cross_family(old, new):
        return True
    return all(ep.response.fields and ep.response.block not in _NO_TREE for ep in (old, new))
