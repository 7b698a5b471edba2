"""`bringup demo`: a small stuck stack with the usual breakage, written from demo_files/.

Ports are chosen free when the demo is written, so it never collides with a real service."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from importlib import resources
from pathlib import Path

from bringup.errors import UsageError
from bringup.processes import ports

PORTS = {"CACHE_PORT": 6390, "API_PORT": 8610, "DASHBOARD_PORT": 8620}
# The API's start script is shipped without its exec bit: that is one of the breakages.
EXECUTABLE: set[str] = set()
WHEEL = "vendor/demo_greeting-1.0-py3-none-any.whl"


def write_demo(directory: Path) -> list[str]:
    """Write the demo into `directory` (which must be new or empty); return its services."""
    if directory.exists() and any(directory.iterdir()):
        raise UsageError(f"{directory} already exists and is not empty; name a new folder")
    values = {key: str(_free(preferred)) for key, preferred in PORTS.items()}
    source = resources.files("bringup") / "demo_files"
    for relative, template in _walk(source, ""):
        # Python sources are shipped as .py.txt so that no tool mistakes them for bringup's own.
        target = directory / (relative[:-4] if relative.endswith(".py.txt") else relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = template
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        target.write_text(text, encoding="utf-8")
        target.chmod(0o755 if relative in EXECUTABLE else 0o644)
    (directory / WHEEL).parent.mkdir(parents=True, exist_ok=True)
    (directory / WHEEL).write_bytes(greeting_wheel())
    return sorted(path.stem for path in (directory / "recipes").glob("*.toml"))


def _walk(folder: resources.abc.Traversable, prefix: str) -> list[tuple[str, str]]:
    found = []
    for item in folder.iterdir():
        relative = f"{prefix}{item.name}"
        if item.is_dir():
            found += _walk(item, relative + "/")
        elif not item.name.endswith((".pyc",)):
            found.append((relative, item.read_text(encoding="utf-8")))
    return found


def _free(preferred: int) -> int:
    return preferred if not ports.in_use(preferred) else ports.free_port(preferred)


def greeting_wheel() -> bytes:
    """A tiny real wheel, so the worker's venv install runs pip for real without the network."""
    files = {
        "demo_greeting/__init__.py": 'def greet(name: str) -> str:\n    return f"hello, {name}"\n',
        "demo_greeting-1.0.dist-info/METADATA":
            "Metadata-Version: 2.1\nName: demo-greeting\nVersion: 1.0\n",
        "demo_greeting-1.0.dist-info/WHEEL":
            "Wheel-Version: 1.0\nGenerator: bringup\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = [f"{name},sha256={_digest(text.encode())},{len(text.encode())}"
              for name, text in files.items()]
    files["demo_greeting-1.0.dist-info/RECORD"] = "\n".join(
        [*record, "demo_greeting-1.0.dist-info/RECORD,,"]) + "\n"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, text in files.items():
            wheel.writestr(name, text)
    return buffer.getvalue()


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
