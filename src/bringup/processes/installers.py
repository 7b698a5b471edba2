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
    query: tuple[str, ...] = ()  # exits 0 when the package manager knows the package

    def knows(self, package: str) -> bool:
        if not self.query or not self.available():
            return False
        try:
            done = subprocess.run([*self.query, package], capture_output=True, timeout=30,
                                  check=False, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired):
            return False
        return done.returncode == 0 and bool(done.stdout.strip())

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
                     query=("apt-cache", "show", "--no-all-versions")),
    "brew": Installer("brew", "brew", ("brew", "install"), None, needs_root=False,
                      query=("brew", "info", "--formula")),
    "dnf": Installer("dnf", "dnf", ("dnf", "install", "-y"), None, needs_root=True,
                     query=("dnf", "info", "-q")),
}


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
