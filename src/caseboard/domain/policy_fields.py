"""How a policy setting is declared: a dataclass field carrying its ``Spec`` in its metadata.

``integer(28, "days", 7, 42, source, description)`` declares a whole-number setting with default
28 that a trust may set from 7 to 42 days; ``decimal`` one that may take a fraction; ``keyed``
one value per service profile, role or pathway stage; ``whole_numbers`` a set such as the care
clusters that add weight. ``policy.load_policy`` checks every override against the ``Spec``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Literal, TypeVar

T = TypeVar("T")
Kind = Literal["int", "float", "int_set"]
SPEC = "caseboard.policy"  # key of the setting's Spec in a dataclass field's metadata


@dataclass(frozen=True)
class Spec:
    """What a setting means and what values it may take (the default is the field's)."""

    kind: Kind
    unit: str
    minimum: float
    maximum: float
    source: str
    description: str
    local: bool | frozenset[str]  # a frozenset: only those keys of a keyed setting are local
    keys: tuple[str, ...] = ()  # non-empty for a setting with one value per profile, role, ...

    def is_local(self, key: str | None = None) -> bool:
        if isinstance(self.local, bool):
            return self.local
        return key in self.local


class FrozenMap(Mapping[str, "int | None"]):
    """An immutable, hashable mapping (so a Policy can be a cache key)."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, int | None]) -> None:
        self._items = dict(items)

    def __getitem__(self, key: str) -> int | None:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"


def _field(default: T, spec: Spec) -> T:
    return field(default=default, metadata={SPEC: spec})


def integer(
    default: T, unit: str, low: int, high: int, source: str, about: str, *, local: bool = False
) -> T:
    """A whole-number setting (days, contacts, cases). ``None`` as default means "not set"."""
    return _field(default, Spec("int", unit, low, high, source, about, local))


def decimal(
    default: T, unit: str, low: float, high: float, source: str, about: str, *, local: bool = False
) -> T:
    """A setting that may take a fraction (percentages, weights, score cut-offs)."""
    return _field(default, Spec("float", unit, low, high, source, about, local))


def whole_numbers(
    default: tuple[int, ...], unit: str, low: int, high: int, source: str, about: str
) -> tuple[int, ...]:
    """A set of whole numbers, e.g. the care clusters that add weight; stored sorted."""
    spec = Spec("int_set", unit, low, high, source, about, local=True)
    return field(default=default, metadata={SPEC: spec})


def keyed(
    defaults: Mapping[str, int | None],
    unit: str,
    low: int,
    high: int,
    source: str,
    about: str,
    *,
    local: bool | frozenset[str] = False,
) -> Mapping[str, int | None]:
    """One whole-number value per key (service profile, role, pathway stage); None = not set."""
    frozen = FrozenMap(defaults)
    spec = Spec("int", unit, low, high, source, about, local, keys=tuple(defaults))
    return field(default_factory=lambda: frozen, metadata={SPEC: spec})
