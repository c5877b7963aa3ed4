"""`digibuur serve` (web + embedded scheduler) and `digibuur worker` (the scheduler alone, for production)."""

from __future__ import annotations

import argparse
from typing import Any

from bot import logs
from bot.settings import Settings


def server_config(app: Any, settings: Settings, host: str, port: int) -> Any:
    """uvicorn's configuration: X-Forwarded-For / -Proto are believed only from FORWARDED_ALLOW_IPS (the
    reverse proxies in front of digibuur); from anyone else the peer address is the client address."""
    import uvicorn

    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or None,
    )


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from bot.app import create_app

    settings = Settings.from_env()
    settings.refuse_development_keys()
    logs.setup(settings.log_level)
    app = create_app(settings)
    uvicorn.Server(server_config(app, settings, args.host, args.port)).run()
    return 0


def _worker(args: argparse.Namespace) -> int:
    from bot.jobs import run_blocking
    from bot.runtime import build_deps

    settings = Settings.from_env()
    settings.refuse_development_keys()
    logs.setup(settings.log_level)
    run_blocking(build_deps(settings, migrate=settings.database_url.startswith("sqlite")))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = sub.add_parser("serve", help="serve webhooks, console and simulator (and the scheduler when embedded)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(func=_serve)
    worker = sub.add_parser("worker", help="run the scheduled jobs (exactly one worker in production)")
    worker.set_defaults(func=_worker)
