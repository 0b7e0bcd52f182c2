"""What the batch processor (``s.batch``) reports: how many operations succeeded, and why the others failed."""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict


class BatchError(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    index: int
    code: str
    message: str
    field: Optional[str] = None


class BatchResult(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    successful: int
    failed: int
    results: list[Any]
    errors: list[Optional[BatchError]]
    rolled_back: bool = False
    stopped: Optional[str] = None  # why the batch stopped early (a callback raised), or None
