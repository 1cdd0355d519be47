"""Shapes shared by many answers: pages of a list, deletions, plain messages."""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from .._json import JSONObject, integer, objects, text

T = TypeVar("T")


@dataclass(frozen=True)
class Pagination:
    """Where a page sits in a list: ``page`` of ``total_pages``, ``limit`` items each, ``total`` in all."""

    total: int
    page: int
    limit: int
    total_pages: int

    @classmethod
    def from_json(cls, data: JSONObject) -> Pagination:
        return cls(integer(data, "total"), integer(data, "page", 1), integer(data, "limit"), integer(data, "total_pages"))


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list, iterable: ``for agent in client.admin.agents.list(): …``."""

    items: list[T]
    pagination: Pagination | None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_next(self) -> bool:
        """Whether a later page exists."""
        return self.pagination is not None and self.pagination.page < self.pagination.total_pages

    @staticmethod
    def reader(key: str, item: Callable[[JSONObject], T]) -> Callable[[JSONObject], Page[T]]:
        """A parser of ``{key: [...], "pagination": {...}}`` answers."""
        def parse(data: JSONObject) -> Page[T]:
            paging = data.get("pagination")
            return Page([item(entry) for entry in objects(data, key)],
                        Pagination.from_json(paging) if isinstance(paging, Mapping) else None)
        return parse


@dataclass(frozen=True)
class Deleted:
    """The answer to a deletion: the id that is gone."""

    id: str
    message: str

    @classmethod
    def from_json(cls, data: JSONObject) -> Deleted:
        return cls(text(data, "id"), text(data, "message"))


def message(data: JSONObject) -> str:
    """The ``message`` of a ``{"message": …}`` answer."""
    return text(data, "message")
