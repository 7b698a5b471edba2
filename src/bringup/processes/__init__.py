"""The programs bringup runs: short commands, long-running services, package managers; and the
ports they hold. The only part that starts a process."""
