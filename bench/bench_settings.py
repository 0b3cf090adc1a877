"""Settings for benchmark servers: Tolpa's own, plus an empty view to measure against."""

from tolpa.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
LOGGING["loggers"]["django.request"] = {"level": "ERROR"}  # noqa: F405 - refused votes are expected
