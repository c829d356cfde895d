"""Tokens a game used and what they may have cost, when the server reports usage."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Price:
    """US dollars per million tokens."""

    prompt: float
    completion: float


PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(0.15, 0.60),
    "openai/gpt-4o-mini": Price(0.15, 0.60),
    "gpt-4o": Price(2.50, 10.0),
    "openai/gpt-4o": Price(2.50, 10.0),
}
"""Known list prices, for an estimate only; `TEXTREALMS_LLM_PRICE` overrides them."""


@dataclass(slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reports: int = 0
    """Answers that came with token counts."""
    unreported: int = 0
    """Answers that came without: their tokens are unknown, and so is the cost."""
    kinds: dict[str, Usage] = field(default_factory=dict)
    """The same counts by task kind (narration, assess...): where the tokens go."""

    def add(self, prompt: int, completion: int, kind: str | None = None) -> None:
        self.prompt_tokens += max(prompt, 0)
        self.completion_tokens += max(completion, 0)
        self.reports += 1
        if kind is not None:
            self.kinds.setdefault(kind, Usage()).add(prompt, completion)

    def cost(self, price: Price | None) -> float | None:
        """The estimated cost in dollars; None when the price is unknown, or the tokens of
        some answers are."""
        if price is None or self.unreported:
            return None
        return (self.prompt_tokens * price.prompt + self.completion_tokens * price.completion) / 1e6


def parse_price(text: str) -> Price:
    """`"0.15/0.60"`: dollars per million prompt and completion tokens."""
    prompt, _, completion = text.partition("/")
    try:
        price = Price(float(prompt), float(completion or prompt))
    except ValueError:
        raise ValueError(
            f"a price is PROMPT/COMPLETION dollars per million tokens, not {text!r}"
        ) from None
    if price.prompt < 0 or price.completion < 0:
        raise ValueError("a price cannot be negative")
    return price
