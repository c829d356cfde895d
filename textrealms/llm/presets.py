"""Where a model lives and how its server must be spoken to, one preset per kind of server.

Settings come from flags, then the environment, then the preset; `resolve` merges them.
The API key is kept out of every repr and string, so a log line or a traceback that
shows the settings never shows the key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Preset:
    name: str
    base_url: str
    model: str
    needs_key: bool
    key_env: tuple[str, ...] = ("TEXTREALMS_LLM_API_KEY",)
    """Environment variables holding the key, the first one set wins."""
    max_tokens_field: str = "max_tokens"
    """OpenAI's newer models want `max_completion_tokens`; everyone else `max_tokens`."""
    headers: tuple[tuple[str, str], ...] = ()
    """Extra headers every request carries (OpenRouter's attribution)."""
    placeholder_key: str | None = None
    """Sent when no key is set, for servers that want some bearer token but ignore it."""
    concurrency: int | None = None
    """Requests sent at once. None, for a local server: as many as its `/props` reports
    slots (llama.cpp's server does), else one, since many serve one at a time and some
    cancel the answer they are writing when the next request arrives."""


OFFLINE = "offline"
BATCHING = 8
"""Requests sent at once to a server that batches them: a hosted model, vLLM."""
CONCURRENCY_ENV = "TEXTREALMS_LLM_CONCURRENCY"

PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset(
            "openrouter",
            "https://openrouter.ai/api/v1",
            "openai/gpt-4o-mini",
            needs_key=True,
            key_env=("TEXTREALMS_LLM_API_KEY", "OPENROUTER_API_KEY"),
            headers=(
                ("HTTP-Referer", "https://github.com/textrealms/textrealms"),
                ("X-Title", "TextRealms"),
            ),
            concurrency=BATCHING,
        ),
        Preset(
            "openai",
            "https://api.openai.com/v1",
            "gpt-4o-mini",
            needs_key=True,
            key_env=("TEXTREALMS_LLM_API_KEY", "OPENAI_API_KEY"),
            max_tokens_field="max_completion_tokens",
            concurrency=BATCHING,
        ),
        Preset(
            "ollama",
            "http://localhost:11434/v1",
            "llama3.2",
            needs_key=False,
            placeholder_key="ollama",
        ),
        Preset(
            "llamacpp",
            "http://127.0.0.1:8080/v1",
            "default",
            needs_key=False,
        ),
        Preset(
            "vllm",
            "http://localhost:8000/v1",
            "default",
            needs_key=False,
            concurrency=BATCHING,
        ),
        Preset("lmstudio", "http://localhost:1234/v1", "local-model", needs_key=False),
    )
}

NAMES = (OFFLINE, *PRESETS)


class ConfigError(ValueError):
    """The settings cannot make a working provider; the message is for the player."""


@dataclass(frozen=True, slots=True)
class LlmConfig:
    """A resolved provider setting: which preset, where, which model, and the key."""

    preset: Preset
    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    """Never shown: excluded from repr, and `__str__` is the repr."""
    concurrency: int | None = None
    """Requests sent at once, as the player set it; None: the preset's (see `Preset`)."""

    def authorization(self) -> str | None:
        key = self.api_key or self.preset.placeholder_key
        return f"Bearer {key}" if key else None


def resolve(
    llm: str | None,
    base_url: str | None,
    model: str | None,
    env: Mapping[str, str] | None = None,
    *,
    concurrency: int | None = None,
) -> LlmConfig | None:
    """The provider settings from flags (first) and the environment; None means offline.

    Raises `ConfigError` for an unknown preset, a preset that needs a key and has none,
    or a concurrency that is not a whole number from 1 up.
    """
    env = os.environ if env is None else env
    name = (llm or env.get("TEXTREALMS_LLM") or OFFLINE).strip().lower()
    if name == OFFLINE:
        return None
    preset = PRESETS.get(name)
    if preset is None:
        raise ConfigError(f"unknown model preset {name!r}; choose one of: {', '.join(NAMES)}")
    found = next(((k, env[k].strip()) for k in preset.key_env if env.get(k, "").strip()), None)
    key = None
    if found is not None:
        key = _sendable(*found)
    if preset.needs_key and key is None:
        names = " or ".join(preset.key_env)
        raise ConfigError(f"the {name} preset needs an API key: set {names}")
    return LlmConfig(
        preset=preset,
        base_url=(base_url or env.get("TEXTREALMS_LLM_BASE_URL") or preset.base_url).rstrip("/"),
        model=model or env.get("TEXTREALMS_LLM_MODEL") or preset.model,
        api_key=key,
        concurrency=_concurrency(concurrency, env.get(CONCURRENCY_ENV)),
    )


def _sendable(variable: str, key: str) -> str:
    """`key` (whitespace around it already stripped), if it can go in an HTTP header.

    A header value is one line of printable ASCII; a key that is not would fail every
    call with an error that says nothing of the key, so it is refused here, naming the
    variable and what is wrong (never the key itself).
    """
    wrong = ""
    if not key.isascii():
        wrong = "a character that is not ASCII"
    elif any(c.isspace() for c in key):
        wrong = "a space"
    elif not key.isprintable():
        wrong = "a control character"
    if wrong:
        raise ConfigError(f"the API key in {variable} cannot be sent: it has {wrong} in it")
    return key


def _concurrency(flag: int | None, env: str | None) -> int | None:
    if flag is None and not env:
        return None
    try:
        count = flag if flag is not None else int(env or "")
    except ValueError:
        count = 0
    if count < 1:
        shown = flag if flag is not None else env
        raise ConfigError(f"the requests sent at once must be 1 or more, not {shown!r}")
    return count
