"""Which environment variables hold a secret, by their name: init does not copy their values
into a recipe, and bringup masks their values in all it shows and stores."""

from __future__ import annotations

import functools
import re

SECRET_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE"
                         r"|(?:^|_)(?:PASS|PWD|(?:API)?KEYS?|AUTH)(?:$|_)", re.IGNORECASE)


URL_PASSWORD = re.compile(r"://[^:/@\s]*:([^@/\s]+)@")  # the password in a URL


NOT_SECRET = frozenset({"PWD", "OLDPWD"})  # the shell's working folders


@functools.cache  # asked of every variable of the environment, for every service
def looks_secret(name: str) -> bool:
    return name not in NOT_SECRET and bool(SECRET_NAME.search(name))


# Names of settings that are not secrets: a random string would be no value for one of them.
SETTING_NAME = re.compile(r"(?:^|_)(?:HOST|HOSTNAME|HOSTS|PORT|URL|URI|DSN|ADDR|ADDRESS|ENDPOINT"
                          r"|SERVER|DOMAIN|DIR|PATH|FILE|USER|USERNAME|NAME|ENV|MODE|LEVEL"
                          r"|REGION|BUCKET)$", re.IGNORECASE)


def is_setting(name: str) -> bool:
    """Does the name say a host, port, address, path or name (not a secret to be generated)?"""
    return bool(SETTING_NAME.search(name))
