"""WSGI entry point (gunicorn foia_archive.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foia_archive.settings")
application = get_wsgi_application()
