"""System package managers bringup knows, in the order it prefers them."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass

from bringup.diagnosis.packages import packages_for


@dataclass(frozen=True)
class Installer:
    key: str
    program: str
    install: tuple[str, ...]
    refresh: tuple[str, ...] | None
    needs_root: bool
    query: tuple[str, ...] = ()  # prints the package when the package manager knows it
    listed: tuple[str, ...] = ()  # prints `installed` when the package is installed
    remove: tuple[str, ...] = ()  # what undoes an install

    def knows(self, package: str) -> bool:
        return self.available() and bool(_said(self.query, package))

    def has(self, package: str) -> bool:
        """Is the package installed already (then bringup did not install it)?"""
        return self.available() and "installed" in _said(self.listed, package).split()

    def removal(self, package: str) -> str:
        return " ".join((*self.remove, package))

    def available(self) -> bool:
        return shutil.which(self.program) is not None

    def command(self, package: str) -> str:
        return " ".join((*self.install, package))

    def may_run(self) -> bool:
        """bringup never runs sudo itself: a root-only installer runs only when bringup is root."""
        return not self.needs_root or os.geteuid() == 0


INSTALLERS = {
    "apt": Installer("apt", "apt-get", ("DEBIAN_FRONTEND=noninteractive", "apt-get", "install",
                                        "-y", "--no-install-recommends"),
                     ("apt-get", "update"), needs_root=True,
                     query=("apt-cache", "show", "--no-all-versions"),
                     listed=("dpkg-query", "-W", "-f=${Status}"),
                     remove=("DEBIAN_FRONTEND=noninteractive", "apt-get", "remove", "-y")),
    "brew": Installer("brew", "brew", ("brew", "install"), None, needs_root=False,
                      query=("brew", "info", "--formula"),
                      listed=("sh", "-c", 'brew list --versions "$0" >/dev/null && echo installed'),
                      remove=("brew", "uninstall")),
    "dnf": Installer("dnf", "dnf", ("dnf", "install", "-y"), None, needs_root=True,
                     query=("dnf", "info", "-q"),
                     listed=("sh", "-c", 'rpm -q "$0" >/dev/null && echo installed'),
                     remove=("dnf", "remove", "-y")),
}


def _said(command: tuple[str, ...], package: str) -> str:
    """What a query prints for the package ("" when it fails or there is no query)."""
    if not command:
        return ""
    try:
        done = subprocess.run([*command, package], capture_output=True, text=True, timeout=60,
                              check=False, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def choose(packages: dict[str, str]) -> tuple[Installer, str] | None:
    """The first installer this machine has for which the recipe names a package."""
    for key, installer in INSTALLERS.items():
        if key in packages and installer.available():
            return installer, packages[key]
    return None


def known(command: str) -> tuple[Installer, str] | None:
    """When the recipe names no package for this machine's package manager: the package that
    provides `command` there (bringup's table, else the command's own name), if it knows it."""
    for key, installer in INSTALLERS.items():
        package = packages_for(command).get(key, command)
        if installer.available() and installer.knows(package):
            return installer, package
    return None
