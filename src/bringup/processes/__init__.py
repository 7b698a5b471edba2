"""The programs bringup runs: short commands, long-running services, package managers; and the
ports they hold. The only part that starts a process.

psutil is imported in the functions that use it, not at the top: a process's liveness is one
read of /proc, and a command that asks only that (`report`) does not pay its 8 ms."""
