"""Django settings. Everything that differs between a laptop and production comes
from TOLPA_* environment variables so the same code runs on both."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("TOLPA_HOME", Path.cwd()))
VAR_DIR = PROJECT_DIR / "var"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = _env_bool("TOLPA_DEBUG", False)
SECRET_KEY = os.environ.get("TOLPA_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("TOLPA_REQUIRE_SECRET_KEY"):
        raise RuntimeError("TOLPA_SECRET_KEY must be set in production")
    SECRET_KEY = "insecure-development-key-set-TOLPA_SECRET_KEY-in-production"  # noqa: S105
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("TOLPA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("TOLPA_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "tolpa.web",
    "tolpa.accounts",
    "tolpa.campaigns",
    "tolpa.ledger",
    "tolpa.crowdfunding",
    "tolpa.contests",
    "tolpa.microtasks",
    "tolpa.surveys",
    "tolpa.community",
    "tolpa.ideas",
    "tolpa.marketplace",
    "tolpa.marketplace.shop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tolpa.accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tolpa.accounts.middleware.ActiveOrganizationMiddleware",
    "tolpa.web.middleware.ServiceErrorMiddleware",
]

ROOT_URLCONF = "tolpa.urls"
WSGI_APPLICATION = "tolpa.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tolpa.accounts.context_processors.active_organization",
                "tolpa.community.context_processors.notifications",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("TOLPA_DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tolpa.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
# Two test runs on one machine (say, two checkouts) each name their own test database.
if os.environ.get("TOLPA_TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TOLPA_TEST_DATABASE_NAME"]}
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["tolpa.accounts.backends.EmailBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "campaigns:discover"
LOGOUT_REDIRECT_URL = "campaigns:discover"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("vi", _("Vietnamese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("TOLPA_STATIC_ROOT") or None
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("TOLPA_MEDIA_ROOT", VAR_DIR / "media"))
WHITENOISE_USE_FINDERS = True
NINJA_PAGINATION_MAX_LIMIT = 100
NINJA_PAGINATION_PER_PAGE = 20
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("TOLPA_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["TOLPA_S3_BUCKET"],
            "endpoint_url": os.environ.get("TOLPA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("TOLPA_S3_REGION") or None,
            "access_key": os.environ.get("TOLPA_S3_ACCESS_KEY_ID"),
            "secret_key": os.environ.get("TOLPA_S3_SECRET_ACCESS_KEY"),
            "querystring_auth": True,
        },
    }

TOLPA_MAX_IMAGE_BYTES = int(os.environ.get("TOLPA_MAX_IMAGE_BYTES", 10 * 1024 * 1024))
TOLPA_MAX_IMAGE_PIXELS = int(os.environ.get("TOLPA_MAX_IMAGE_PIXELS", 40_000_000))
TOLPA_MAX_FILE_BYTES = int(os.environ.get("TOLPA_MAX_FILE_BYTES", 25 * 1024 * 1024))
TOLPA_MAX_BATCH_BYTES = int(os.environ.get("TOLPA_MAX_BATCH_BYTES", 50 * 1024 * 1024))
TOLPA_MAX_VIDEO_BYTES = int(os.environ.get("TOLPA_MAX_VIDEO_BYTES", 200 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = TOLPA_MAX_IMAGE_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

EMAIL_BACKEND = os.environ.get(
    "TOLPA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("TOLPA_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TOLPA_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("TOLPA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TOLPA_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("TOLPA_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("TOLPA_DEFAULT_FROM_EMAIL", "Tolpa <noreply@tolpa.local>")
# Links in emails are absolute: there is no request to take the host from.
TOLPA_SITE_URL = os.environ.get("TOLPA_SITE_URL", "http://localhost:8000").rstrip("/")

REDIS_URL = os.environ.get("TOLPA_REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = "UTC"
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

# Money: platform fee per campaign kind in basis points (1/100 of a percent).
TOLPA_FEE_BASIS_POINTS = {
    "contest": int(os.environ.get("TOLPA_FEE_CONTEST_BP", 1500)),
    "crowdfunding": int(os.environ.get("TOLPA_FEE_CROWDFUNDING_BP", 500)),
    "microtasks": int(os.environ.get("TOLPA_FEE_MICROTASKS_BP", 2000)),
    "ideas": int(os.environ.get("TOLPA_FEE_IDEAS_BP", 0)),
    "survey": int(os.environ.get("TOLPA_FEE_SURVEY_BP", 1000)),
    "tender": int(os.environ.get("TOLPA_FEE_TENDER_BP", 1000)),
    "shop": int(os.environ.get("TOLPA_FEE_SHOP_BP", 1500)),
}
# The smallest total prize per contest category, in major units of the contest's currency.
TOLPA_CONTEST_MIN_PRIZE = {
    "logo": 100,
    "brand_identity": 300,
    "web_app": 300,
    "packaging": 300,
    "video": 500,
    "naming": 50,
    "ad_copy": 50,
    "other": 50,
}
# Discussion: this many reports hide a comment until a moderator reviews it.
TOLPA_COMMENT_REPORTS_TO_HIDE = int(os.environ.get("TOLPA_COMMENT_REPORTS_TO_HIDE", 3))
TOLPA_DEFAULT_CURRENCY = os.environ.get("TOLPA_DEFAULT_CURRENCY", "USD")
TOLPA_SANDBOX_PAYMENTS = _env_bool("TOLPA_SANDBOX_PAYMENTS", True)
TOLPA_SANDBOX_CONFIRM_SECONDS = int(os.environ.get("TOLPA_SANDBOX_CONFIRM_SECONDS", 30))
TOLPA_STRIPE_SECRET_KEY = os.environ.get("TOLPA_STRIPE_SECRET_KEY", "")
TOLPA_STRIPE_WEBHOOK_SECRET = os.environ.get("TOLPA_STRIPE_WEBHOOK_SECRET", "")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _env_bool("TOLPA_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TOLPA_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
