"""Which environment variables hold a secret, by their name: init does not copy their values
into a recipe, and bringup masks their values in all it shows and stores."""

from __future__ import annotations

import re

SECRET_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE"
                         r"|(?:^|_)(?:PASS|PWD|(?:API)?KEYS?|AUTH)(?:$|_)", re.IGNORECASE)


URL_PASSWORD = re.compile(r"://[^:/@\s]*:([^@/\s]+)@")  # the password in a URL


NOT_SECRET = frozenset({"PWD", "OLDPWD"})  # the shell's working folders


def looks_secret(name: str) -> bool:
    return name not in NOT_SECRET and bool(SECRET_NAME.search(name))
