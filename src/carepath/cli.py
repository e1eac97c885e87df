"""The `carepath` command: Django management plus `carepath serve`.

carepath migrate | createsuperuser | demo | <any management command>
carepath serve [--host 127.0.0.1] [--port 8000] [--workers 2]   production server (gunicorn)
"""

from __future__ import annotations

import argparse
import os
import sys

SETTINGS_MODULE = "carepath.config.settings"
# gunicorn's access log line. Its default has the client address, the query string (search words,
# postcodes, the audit page's usernames), the referring page and the browser; this keeps the method,
# the path (ids only), the status, the size and the time taken.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    if args[:1] == ["serve"]:
        serve(args[1:])
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(["carepath", *args])


def serve(args: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="carepath serve", description="Serve Carepath with gunicorn.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    options = parser.parse_args(args)

    import django
    from django.core.management import call_command

    django.setup()
    # Refuse to serve with a broken configuration (e.g. an unknown crisis region).
    call_command("check", "--fail-level", "ERROR")
    host = f"[{options.host}]" if ":" in options.host else options.host
    print(f"Carepath is running at http://{host}:{options.port}/  (press Ctrl+C to stop)", flush=True)

    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "carepath.config.wsgi:application",
        "--bind",
        f"{options.host}:{options.port}",
        "--workers",
        str(options.workers),
        "--access-logfile",
        "-",
        "--access-logformat",
        ACCESS_LOG_FORMAT,
        "--forwarded-allow-ips",
        os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
    ]
    run()


if __name__ == "__main__":
    main()
