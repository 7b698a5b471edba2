"""Import names whose pip distribution is spelled differently (`import yaml` needs PyYAML)."""

from __future__ import annotations

import re

# Only names that differ from their distribution belong here; anything else installs as named.
DISTRIBUTIONS: dict[str, str] = {
    "Bio": "biopython",
    "Crypto": "pycryptodome",
    "Cryptodome": "pycryptodomex",
    "Levenshtein": "python-Levenshtein",
    "MySQLdb": "mysqlclient",
    "OpenGL": "PyOpenGL",
    "OpenSSL": "pyOpenSSL",
    "PIL": "Pillow",
    "attr": "attrs",
    "bs4": "beautifulsoup4",
    "cairo": "pycairo",
    "corsheaders": "django-cors-headers",
    "cv2": "opencv-python",
    "dateutil": "python-dateutil",
    "decouple": "python-decouple",
    "dns": "dnspython",
    "docx": "python-docx",
    "dotenv": "python-dotenv",
    "engineio": "python-engineio",
    "environ": "django-environ",
    "faiss": "faiss-cpu",
    "fitz": "PyMuPDF",
    "flask_cors": "Flask-Cors",
    "flask_login": "Flask-Login",
    "flask_migrate": "Flask-Migrate",
    "flask_sqlalchemy": "Flask-SQLAlchemy",
    "gi": "PyGObject",
    "git": "GitPython",
    "google.protobuf": "protobuf",
    "googleapiclient": "google-api-python-client",
    "grpc": "grpcio",
    "imblearn": "imbalanced-learn",
    "jose": "python-jose",
    "jwt": "PyJWT",
    "kafka": "kafka-python",
    "ldap": "python-ldap",
    "magic": "python-magic",
    "memcache": "python-memcached",
    "multipart": "python-multipart",
    "nacl": "PyNaCl",
    "paho": "paho-mqtt",
    "pkg_resources": "setuptools",
    "pptx": "python-pptx",
    "psycopg2": "psycopg2-binary",
    "pythonjsonlogger": "python-json-logger",
    "rest_framework": "djangorestframework",
    "ruamel": "ruamel.yaml",
    "serial": "pyserial",
    "skimage": "scikit-image",
    "sklearn": "scikit-learn",
    "slugify": "python-slugify",
    "socketio": "python-socketio",
    "socks": "PySocks",
    "usb": "pyusb",
    "websocket": "websocket-client",
    "win32api": "pywin32",
    "wx": "wxPython",
    "yaml": "PyYAML",
    "zmq": "pyzmq",
}


def distribution_for(module: str) -> str:
    """The pip distribution that provides `module` (a dotted name resolves by its longest known
    prefix, so `google.protobuf.message` gives protobuf and `yaml.constructor` gives PyYAML)."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        known = DISTRIBUTIONS.get(".".join(parts[:end]))
        if known:
            return known
    return parts[0]


def pip_spelling(module: str) -> str:
    """The distribution to name in a `pip install`: an import name the table does not know is
    written as PEP 503 normalises it (`django_celery_beat` → django-celery-beat), the form
    indexes and pip compare, so it names the same project whatever its own spelling."""
    known = distribution_for(module)
    return known if known in DISTRIBUTIONS.values() else _SEPARATORS.sub("-", known).lower()


_SEPARATORS = re.compile(r"[-_.]+")
