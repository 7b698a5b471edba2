"""System package managers bringup knows, in the order it prefers them."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass


@dataclass(frozen=True)
class Installer:
    key: str
    program: str
    install: tuple[str, ...]
    refresh: tuple[str, ...] | None
    needs_root: bool

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
                     ("apt-get", "update"), needs_root=True),
    "brew": Installer("brew", "brew", ("brew", "install"), None, needs_root=False),
    "dnf": Installer("dnf", "dnf", ("dnf", "install", "-y"), None, needs_root=True),
}


def choose(packages: dict[str, str]) -> tuple[Installer, str] | None:
    """The first installer this machine has for which the recipe names a package."""
    for key, installer in INSTALLERS.items():
        if key in packages and installer.available():
            return installer, packages[key]
    return None
