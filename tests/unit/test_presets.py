"""Presets and settings: flags beat the environment, the key never shows."""

from __future__ import annotations

import pytest

from textrealms.llm.presets import PRESETS, ConfigError, LlmConfig, resolve
from textrealms.llm.usage import Price, Usage, parse_price

KEY = "sk-test-DO-NOT-SHOW-4242"


def test_offline_by_default_and_by_name() -> None:
    assert resolve(None, None, None, {}) is None
    assert resolve("offline", "http://x/v1", None, {"TEXTREALMS_LLM": "openai"}) is None


def test_flags_beat_the_environment_which_beats_the_preset() -> None:
    env = {
        "TEXTREALMS_LLM": "vllm",
        "TEXTREALMS_LLM_BASE_URL": "http://env:1/v1/",
        "TEXTREALMS_LLM_MODEL": "env-model",
    }
    from_env = resolve(None, None, None, env)
    assert from_env is not None
    assert (from_env.preset.name, from_env.base_url, from_env.model) == (
        "vllm",
        "http://env:1/v1",
        "env-model",
    )
    flagged = resolve("ollama", "http://flag:2/v1", "flag-model", env)
    assert flagged is not None
    assert (flagged.preset.name, flagged.base_url, flagged.model) == (
        "ollama",
        "http://flag:2/v1",
        "flag-model",
    )
    plain = resolve("lmstudio", None, None, {})
    assert plain is not None and plain.base_url == PRESETS["lmstudio"].base_url


@pytest.mark.parametrize(
    ("preset", "variable"),
    [
        ("openai", "OPENAI_API_KEY"),
        ("openrouter", "OPENROUTER_API_KEY"),
        ("openai", "TEXTREALMS_LLM_API_KEY"),
    ],
)
def test_the_key_comes_from_the_environment(preset: str, variable: str) -> None:
    config = resolve(preset, None, None, {variable: KEY})
    assert config is not None and config.api_key == KEY
    assert config.authorization() == f"Bearer {KEY}"


def test_a_preset_that_needs_a_key_and_has_none_says_which_variable() -> None:
    with pytest.raises(ConfigError, match="OPENROUTER_API_KEY"):
        resolve("openrouter", None, None, {"OPENAI_API_KEY": KEY})


def test_an_unknown_preset_is_named() -> None:
    with pytest.raises(ConfigError, match="'gpt5'"):
        resolve(None, None, None, {"TEXTREALMS_LLM": "gpt5"})


def test_the_key_is_in_no_repr_or_string() -> None:
    config = resolve("openai", None, None, {"OPENAI_API_KEY": KEY})
    assert config is not None
    for shown in (repr(config), str(config), f"{config}", repr([config])):
        assert KEY not in shown
    assert "api_key" not in repr(config)


def test_local_servers_need_no_key_and_ollama_gets_a_placeholder() -> None:
    ollama = resolve("ollama", None, None, {})
    assert ollama is not None and ollama.authorization() == "Bearer ollama"
    vllm = resolve("vllm", None, None, {})
    assert vllm is not None and vllm.authorization() is None


def test_quirks() -> None:
    assert PRESETS["openai"].max_tokens_field == "max_completion_tokens"
    assert {k for k, _ in PRESETS["openrouter"].headers} == {"HTTP-Referer", "X-Title"}
    assert all(p.max_tokens_field == "max_tokens" for n, p in PRESETS.items() if n != "openai")
    assert isinstance(LlmConfig(PRESETS["vllm"], "u", "m"), LlmConfig)


def test_cost_is_unknown_without_a_price_and_estimated_with_one() -> None:
    usage = Usage()
    usage.add(1_000_000, 500_000)
    assert usage.cost(None) is None
    assert usage.cost(Price(0.15, 0.60)) == pytest.approx(0.45)
    assert parse_price("1/2") == Price(1.0, 2.0)
    with pytest.raises(ValueError, match="PROMPT/COMPLETION"):
        parse_price("cheap")


def test_requests_at_once_come_from_the_flag_then_the_environment_then_the_preset() -> None:
    env = {"TEXTREALMS_LLM_CONCURRENCY": "2"}
    assert getattr(resolve("llamacpp", None, None, env), "concurrency", None) == 2
    flagged = resolve("llamacpp", None, None, env, concurrency=5)
    assert flagged is not None and flagged.concurrency == 5
    unset = resolve("llamacpp", None, None, {})
    assert unset is not None and unset.concurrency is None  # ask the server, else 1
    for bad in ("0", "many"):
        with pytest.raises(ConfigError, match="1 or more"):
            resolve("vllm", None, None, {"TEXTREALMS_LLM_CONCURRENCY": bad})
    with pytest.raises(ConfigError, match="1 or more, not 0"):
        resolve("vllm", None, None, {}, concurrency=0)
    batching = ("openai", "openrouter", "vllm")
    assert all(PRESETS[name].concurrency == 8 for name in batching)
    local = ("ollama", "llamacpp", "lmstudio")
    assert all(PRESETS[name].concurrency is None for name in local)
