#!/bin/sh
# Regenerates the captures of this folder: processes that a real memory limit or a supervisor's
# timeout ended, as the shell and a wrapper script report them. A Python worker in a cgroup (v1
# memory controller) limited to 64 MB, killed by the kernel's OOM killer (bash's `Killed` job
# line, then the wrapper's `worker exited with code 137`; dash's bare `Killed`); Python under
# `prlimit --as` (its allocation fails: MemoryError, exit 1); Node 20 with
# --max-old-space-size=16 (`JavaScript heap out of memory`, then bash's `Aborted`); and a worker
# that `timeout -s KILL 2` ends (bash's `Killed` job line, then exit 137 from the wrapper).
# Needs: Debian's python3, node, bash, dash, prlimit (util-linux) and root, with the cgroup v1
# memory controller mounted at /sys/fs/cgroup/memory (the two OOM cases are skipped without it).
# No ports. Work directory: a mktemp one; cgroup /sys/fs/cgroup/memory/zoo-signals-2 (both
# removed at exit).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
cg=/sys/fs/cgroup/memory/zoo-signals-2
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
cleanup() {
    [ -d "$cg" ] && rmdir "$cg" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
cd "$work"

# The worker loads its index, a megabyte at a time, without end.
cat > worker.py <<'PY'
print("worker: loading the search index", flush=True)
pages = []
while True:
    pages.append(bytearray(10**6))
PY

# ---------------------------------------------------------------------------- the OOM killer
if [ -d /sys/fs/cgroup/memory ] && mkdir "$cg" 2>/dev/null; then
    echo $((64 * 1024 * 1024)) > "$cg/memory.limit_in_bytes"
    # The wrapper joins the limited cgroup, runs the worker and says how it ended.
    bash -c "echo \$\$ > $cg/cgroup.procs; /usr/bin/python3 worker.py; echo \"worker exited with code \$?\"" \
        > "$here/bash-oom-killed.log" 2>&1 || true
    dash -c "echo \$\$ > $cg/cgroup.procs; /usr/bin/python3 worker.py" \
        > "$here/dash-oom-killed.log" 2>&1 || true
else
    echo "no cgroup v1 memory controller: skipping the OOM-killer cases"
fi

# ---------------------------------------------------------------------------- address-space limit
# 300 MB of address space, and the worker asks for 1 GB at once.
bash -c "prlimit --as=300000000 /usr/bin/python3 -c 'print(\"loading the model\", flush=True); weights = bytearray(10**9)'; echo \"worker exited with code \$?\"" \
    > "$here/prlimit-memory-error.log" 2>&1 || true

# ---------------------------------------------------------------------------- node's heap
bash -c '/usr/bin/node --max-old-space-size=16 -e "const rows = []; console.log(\"indexing\"); for (;;) rows.push(new Array(1e5).fill(1))"; true' \
    > "$here/node-heap-out-of-memory.log" 2>&1 || true

# ---------------------------------------------------------------------------- timeout -s KILL
bash -c "timeout -s KILL 2 /usr/bin/python3 -c 'import time; print(\"syncing\", flush=True); time.sleep(30)'; echo \"worker exited with code \$?\"" \
    > "$here/bash-timeout-killed.log" 2>&1 || true

echo "captured into $here"
