"""How every process logs: one JSON object per line (or a plain line for a developer), time in
UTC, the request's id and route on every line written while a request is served.

The code logs with the standard library (`logging.getLogger(__name__)`), and so do uvicorn and
the libraries; structlog's formatter renders every record the same way. What a line may hold is
decided where it is written: never a name, a NIR, a SIRET, an e-mail, an address or a free text,
only ids, route templates, statuses, kinds of error.
"""

import logging.config
import sys
import traceback
from typing import Any, Literal

import structlog

LogFormat = Literal["json", "console"]


def _utc_time_with_z(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    """`time` in UTC with `Z`, like every time the API answers."""
    event["time"] = event.pop("timestamp").replace("+00:00", "Z")
    return event


def _exception_without_its_message(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    """An exception as its kinds and where it was raised, never its message: a message can
    quote a value (a validation error quotes the input), and a value can be personal data."""
    exc_info = event.pop("exc_info", None)
    if exc_info is True:
        exc_info = sys.exc_info()
    if isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    if not exc_info or exc_info[1] is None:
        return event
    error: BaseException | None = exc_info[1]
    chain: list[dict[str, Any]] = []
    while error is not None and len(chain) < 5:
        frames = traceback.extract_tb(error.__traceback__)
        chain.append(
            {
                "type": f"{type(error).__module__}.{type(error).__qualname__}",
                "at": [f"{f.filename}:{f.lineno} in {f.name}" for f in frames[-8:]],
            }
        )
        error = error.__cause__ or error.__context__
    event["exception"] = chain
    return event


FIRST = ("time", "level", "event")
# uvicorn's copy of its message with terminal colours, and the copy of the message another
# handler's formatter leaves on the record
DROPPED = ("color_message", "message")


def _time_level_event_first(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    for key in DROPPED:
        event.pop(key, None)
    return {**{k: event.pop(k) for k in FIRST if k in event}, **event}


def _pre_chain() -> list[Any]:
    return [
        structlog.contextvars.merge_contextvars,  # request_id, route... of the request served
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True, key="timestamp"),
        _utc_time_with_z,
        structlog.stdlib.ExtraAdder(),  # `extra={...}` fields of a standard library call
    ]


def formatter(log_format: LogFormat = "json") -> structlog.stdlib.ProcessorFormatter:
    """The formatter of every handler: a JSON object per line, or a plain line for a person."""
    renderer: Any = (
        structlog.processors.JSONRenderer(sort_keys=False)
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    # a developer's console shows whole tracebacks; the JSON lines an operator keeps do not
    exceptions: list[Any] = [_exception_without_its_message] if log_format == "json" else []
    processors: list[Any] = [
        structlog.stdlib.ProcessorFormatter.remove_processors_meta,
        *exceptions,
        _time_level_event_first,
        renderer,
    ]
    return structlog.stdlib.ProcessorFormatter(
        processors=processors, foreign_pre_chain=_pre_chain()
    )


def logging_config(log_format: LogFormat = "json", level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` for this process (uvicorn applies it in each worker)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": {"()": formatter, "log_format": log_format}},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "structured",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            # uvicorn's own lines go to the root handler; its access lines are replaced by the
            # app's `request` line, which names the route template, never the raw path.
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            # SQL statements are not an operator's log, and at DEBUG they would be written
            "sqlalchemy": {"level": "WARNING"},
        },
    }


def configure_logging(log_format: LogFormat = "json", level: str = "INFO") -> None:
    logging.config.dictConfig(logging_config(log_format, level))
