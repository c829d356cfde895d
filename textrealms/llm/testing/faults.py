"""The faults the loopback server injects, and the error bodies each server style sends.

Names are the ones tests, the benchmark and `textrealms llm-server --fault` use; the
shapes follow the servers' own (see the wire notes), so a client tested here has seen
what OpenRouter, vLLM, llama.cpp, Ollama and LM Studio really send.
"""

from __future__ import annotations

from typing import Any, Literal

Style = Literal["openai", "openrouter", "vllm", "llamacpp", "ollama", "lmstudio"]
STYLES: tuple[Style, ...] = ("openai", "openrouter", "vllm", "llamacpp", "ollama", "lmstudio")

HTTP_FAULTS: dict[str, int] = {
    "http_400": 400,
    "http_401": 401,
    "http_402": 402,
    "http_403": 403,
    "http_408": 408,
    "http_429": 429,
    "http_500": 500,
    "http_502": 502,
    "http_503": 503,
}

FAULTS: tuple[str, ...] = (
    *HTTP_FAULTS,
    "flat_error",
    "html_502",
    "error_chunk",
    "error_data",
    "no_done",
    "reset",
    "bad_json",
    "stall",
    "slow_first_byte",
    "length",
    "content_filter",
    "endless",
    "huge_line",
    "hostile",
)
CUT_SHORT = frozenset(FAULTS[FAULTS.index("error_chunk") :]) - {"slow_first_byte", "hostile"}
"""Stream faults that send only `after_tokens` tokens before they strike."""

# status: (message, OpenAI error type, OpenAI error code)
_ERRORS: dict[int, tuple[str, str, str]] = {
    400: ("Bad request: the loopback server refused it", "invalid_request_error", "bad_request"),
    401: ("Invalid API key", "invalid_request_error", "invalid_api_key"),
    402: ("Insufficient credits", "insufficient_quota", "insufficient_quota"),
    403: ("Input flagged by moderation", "invalid_request_error", "moderation"),
    408: ("Request timed out upstream", "timeout", "timeout"),
    429: ("Rate limit exceeded", "requests", "rate_limit_exceeded"),
    500: ("Internal server error", "server_error", "server_error"),
    502: ("Upstream model is down", "server_error", "bad_gateway"),
    503: ("No provider available for this model", "server_error", "service_unavailable"),
}

HTML_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


def check_fault(fault: str | None) -> None:
    """Refuse an unknown fault name at once, naming the valid ones."""
    if fault is not None and fault not in FAULTS:
        raise ValueError(f"unknown fault {fault!r}; valid faults: {', '.join(FAULTS)}")


def error_body(style: Style, status: int, message: str | None = None) -> dict[str, Any]:
    """The JSON error body `style`'s server sends with HTTP `status`."""
    default, kind, code = _ERRORS.get(status, _ERRORS[500])
    text = message or default
    if style == "openrouter":
        metadata = {"provider_name": "Loopback", "raw": text}
        return {"error": {"code": status, "message": text, "metadata": metadata}}
    if style == "openai":
        return {"error": {"message": text, "type": kind, "param": None, "code": code}}
    return {"error": {"message": text, "type": kind, "param": None, "code": status}}


def flat_error() -> dict[str, Any]:
    """The flat error object older vLLM releases sent, with no `error` wrapper."""
    message = "Bad request: the loopback server refused it"
    return {
        "object": "error",
        "message": message,
        "type": "BadRequestError",
        "param": None,
        "code": 400,
    }
