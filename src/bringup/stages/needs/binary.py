"""A binary on the service's PATH; fix: the first package manager this machine has that the
recipe names a package for (apt-get and dnf only when bringup is root: it never uses sudo)."""

from __future__ import annotations

import shutil
from collections.abc import Callable

from bringup.core import lifecycle
from bringup.core.problems import Fix, Problem
from bringup.core.service import Service
from bringup.processes import installers
from bringup.recipe.model import Need
from bringup.state.journal import now_iso
from bringup.state.model import Change


def check(service: Service, need: Need) -> Problem | None:
    if shutil.which(need.value, path=service.env().get("PATH")):
        return None
    message = f"{need.value}: not found on PATH"
    chosen = installers.choose(need.install) or installers.known(need.value)
    if chosen is None:
        routes = ", ".join(f"{key}: {pkg}" for key, pkg in need.install.items()) or "none given"
        here = [installer.program for installer in installers.INSTALLERS.values()
                if installer.available()]
        said = (f"{', '.join(here)} knows no package for it" if here
                else "no package manager bringup knows is on this machine")
        return Problem(need.value, message,
                       hint=f"install {need.value} yourself (recipe install routes: {routes}; "
                            f"{said})")
    installer, package = chosen
    if not installer.may_run():
        return Problem(need.value, message,
                       hint=f"bringup does not use sudo; run this yourself, then run bringup "
                            f"again:  sudo {installer.command(package)}")
    return Problem(need.value, message, fixes=(Fix(
        f"install {package} with {installer.program}", _install(installer, package),
        installer.command(package)),))


def _install(installer: installers.Installer, package: str) -> Callable[[Service], str | None]:
    """Install the package; one bringup installed (not one already there) is a change to this
    machine, listed by `report` and removed by `bringup reset --all`."""
    def apply(service: Service) -> str | None:
        there = installer.has(package)
        result = service.shell(installer.command(package))
        if not result.ok and installer.refresh is not None:
            service.shell(" ".join(installer.refresh))
            result = service.shell(installer.command(package))
        if not result.ok:
            return f"{installer.program} could not install {package}"
        if not there:
            lifecycle.machine_changed(service.ctx, Change("package", installer.key, package,
                                                          service.name, now_iso()))
        return None

    return apply
