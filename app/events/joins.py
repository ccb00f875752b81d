"""SQL joins whose order is chosen here rather than by SQLite's planner."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.selectable import Join


class LeadingJoin(Join):
    """An inner join whose left side SQLite must read first (CROSS JOIN: its planner then
    keeps the order as written); elsewhere a plain JOIN."""

    inherit_cache = True


@compiles(LeadingJoin, "sqlite")
def _leading_join(
    element: LeadingJoin, compiler: SQLCompiler, from_linter: Any = None, **kw: Any
) -> str:
    kw.pop("asfrom", None)
    if from_linter is not None:
        # As for a plain join: its two sides count as joined when SQLAlchemy checks that
        # every FROM of a statement is joined to the others.
        from_linter.edges.update(
            itertools.product(_originals(element.left), _originals(element.right))
        )
    left = compiler.process(element.left, asfrom=True, from_linter=from_linter, **kw)
    right = compiler.process(element.right, asfrom=True, from_linter=from_linter, **kw)
    on = element.onclause
    assert on is not None, "a leading join is always made with its condition"
    return f"{left} CROSS JOIN {right} ON {compiler.process(on, from_linter=from_linter, **kw)}"


def _originals(side: Any) -> list[Any]:
    """The FROMs a side of a join reads, each as the element it was copied from."""
    found = []
    for element in side._from_objects:
        while element._is_clone_of is not None:
            element = element._is_clone_of
        found.append(element)
    return found
