"""`textrealms llm-server`: the loopback model server, started by hand.

For trying the game or a client against a model server that misbehaves on demand,
without a network or a real model.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import TYPE_CHECKING, get_args

from textrealms.llm.testing.answers import JsonMode
from textrealms.llm.testing.faults import FAULTS, STYLES
from textrealms.llm.testing.quirks import IMITATIONS

if TYPE_CHECKING:
    from textrealms.llm.testing import LoopbackServer

EXIT_OK = 0
EXIT_CANNOT_BIND = 1


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `llm-server` subcommand to the main parser."""
    parser = sub.add_parser(
        "llm-server", help="serve a loopback OpenAI-compatible model with faults on demand"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8808, help="port (8808; 0 = a free one)")
    parser.add_argument(
        "--fault",
        choices=FAULTS,
        metavar="NAME",
        help="fault on every chat request: " + ", ".join(FAULTS),
    )
    parser.add_argument(
        "--imitate",
        choices=IMITATIONS,
        metavar="SERVER",
        help="behave as a real server does: " + ", ".join(IMITATIONS),
    )
    parser.add_argument("--style", choices=STYLES, help="wire quirks (default: openai)")
    parser.add_argument(
        "--json-mode",
        choices=get_args(JsonMode),
        help="structured outputs: schema (honoured, the default), object (json_object "
        "only), fenced, prose (never JSON)",
    )
    parser.add_argument("--ttft", type=float, default=0.0, metavar="MS", help="ms to first token")
    parser.add_argument("--tps", type=float, default=0.0, metavar="N", help="tokens per second")
    parser.add_argument("--jitter", type=float, default=0.0, metavar="F", help="delay jitter 0..1")
    parser.add_argument("--seed", type=int, default=0, help="seed for the jitter")
    parser.add_argument("--model", help="model name to report (default: loopback-1)")


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C or SIGTERM, then close cleanly."""
    # Imported here, not in the loop (where the import would stall it) nor with the parser.
    from textrealms.llm.testing import Latency, LoopbackServer

    chosen = {"style": args.style, "json_mode": args.json_mode, "model": args.model}
    server = LoopbackServer.imitating(
        args.imitate,
        latency=Latency(args.ttft / 1000, args.tps, args.jitter),
        seed=args.seed,
        fault=args.fault,
        host=args.host,
        port=args.port,
        record=False,
        **{name: value for name, value in chosen.items() if value is not None},
    )
    return asyncio.run(_serve(server, args))


async def _serve(server: LoopbackServer, args: argparse.Namespace) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        try:
            await server.start()
        except OSError as exc:
            print(f"cannot serve on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
            return EXIT_CANNOT_BIND
        where = f"Loopback model server at {server.base_url}"
        print(f"{where} (fault: {args.fault or 'none'})", flush=True)
        await stop.wait()
    finally:
        await server.close()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    return EXIT_OK
