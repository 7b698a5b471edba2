"""The six stages, in order. needs, paths and permissions are checks with fixes; start, verify
and stable act on the process."""

from __future__ import annotations

from bringup.stages import needs, paths, permissions, stable, start, verify

CHECK_STAGES = {"needs": needs, "paths": paths, "permissions": permissions}
STAGES = ("needs", "paths", "permissions", "start", "verify", "stable")
DESCRIBE = {"needs": needs.describe, "paths": paths.describe, "permissions": permissions.describe,
            "start": start.describe, "verify": verify.describe, "stable": stable.describe}
