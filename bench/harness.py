"""What every benchmark shares: Django set up against the project's settings, a throw-away
database (`<name>_bench`, dropped at the end), and a gunicorn server on 127.0.0.1 whose
`/bench/empty/` view is the baseline an endpoint's throughput is compared with."""

import http.client
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tolpa.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases  # noqa: E402

PORT = 8765


def bench_database():
    """Create and migrate the throw-away database; pass the result to teardown_databases."""
    test_settings = connection.settings_dict["TEST"]
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(settings.VAR_DIR / "bench.sqlite3")
    else:
        test_settings["NAME"] = f"{connection.settings_dict['NAME']}_bench"
    return setup_databases(verbosity=0, interactive=False)


def bench_database_url() -> str:
    """The URL of the database `bench_database` made, for a server in another process."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    return os.environ["TOLPA_DATABASE_URL"].rsplit("/", 1)[0] + "/" + name


def start_server(database_url: str, workers: int) -> subprocess.Popen:
    """gunicorn serving Tolpa plus the empty baseline view, once it answers."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench_settings", "TOLPA_DATABASE_URL": database_url,
           "TOLPA_LOG_LEVEL": "ERROR", "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT / 'src'}"}  # fmt: skip
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
        [str(Path(sys.executable).parent / "gunicorn"), "tolpa.wsgi", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(workers), "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            probe = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            probe.request("GET", "/bench/empty/")
            if probe.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def percentile_ms(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100)[percent - 1] * 1000
