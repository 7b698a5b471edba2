#!/bin/sh
# Regenerates the captures of this folder by running the real programs on this machine: how
# shells, a supervisor and Python itself report a process ended by a signal or an exit status.
# Run from anywhere: sh tests/zoo/signals/capture.sh (supervisor is pip-installed into a
# throwaway venv; nothing else is installed).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
py=python3

# The shells' own words for a child a signal ended: dash alone, bash with the job's line.
dash -c "$py -c 'import os; os.kill(os.getpid(), 9)'; echo after" > "$here/dash-killed.log" 2>&1 || true
dash -c "$py -c 'import ctypes; ctypes.string_at(0)'" > "$here/dash-segfault.log" 2>&1 || true
dash -c "$py -c 'import os; os.abort()'; true" > "$here/dash-aborted.log" 2>&1 || true
bash -c "$py -c 'import os; os.kill(os.getpid(), 9)'; echo after" > "$here/bash-killed.log" 2>&1 || true
bash -c "$py -c 'import ctypes; ctypes.string_at(0)'; true" > "$here/bash-segfault.log" 2>&1 || true
bash -c "$py -c 'import os, signal; os.kill(os.getpid(), signal.SIGTERM)'; true" \
    > "$here/bash-terminated.log" 2>&1 || true

# A worker that prints a little, then is killed as the OOM killer would: what the shell shows.
cat > "$work/hog.py" <<'PY'
import os, sys
print("worker: loading the model", flush=True)
os.kill(os.getpid(), 9)
PY
bash -c "echo 'starting worker'; $py $work/hog.py; true" > "$here/bash-worker-killed.log" 2>&1 || true

# supervisord's words for a program that exits 0 while it should keep running, and for one a
# signal ended.
$py -m venv "$work/venv" >/dev/null
"$work/venv/bin/pip" install -q supervisor >/dev/null 2>&1
cat > "$work/supervisord.conf" <<CONF
[supervisord]
nodaemon=true
logfile=$work/supervisord.log
pidfile=$work/supervisord.pid
loglevel=info
[program:daemonizes]
command=$py -c "print('forking to the background')"
startsecs=3
autorestart=false
startretries=0
[program:killed]
command=$py -c "import os, time; time.sleep(1.5); os.kill(os.getpid(), 9)"
startsecs=1
autorestart=false
CONF
"$work/venv/bin/supervisord" -c "$work/supervisord.conf" >/dev/null 2>&1 &
supervisor=$!
sleep 4
kill "$supervisor"; wait "$supervisor" 2>/dev/null || true
grep -v "daemonizes\|CRIT\|Set uid" "$work/supervisord.log" | grep -E "killed|spawned|success|exited|INFO RPC|supervisord started" \
    > "$here/supervisord-killed.log" || true
grep -v "killed" "$work/supervisord.log" | grep -E "daemonizes|supervisord started" \
    > "$here/supervisord-exit-0.log" || true
# Go's os/exec, as a Go supervisor or wrapper logs a child that a signal or a status ended
# (needs go: apt install golang-go).
if command -v go >/dev/null; then
    mkdir -p "$work/gorun"
    cat > "$work/gorun/main.go" <<'GO'
package main

import (
	"log"
	"os/exec"
)

func main() {
	for _, script := range []string{"exit 3", "kill -9 $$"} {
		if err := exec.Command("sh", "-c", script).Run(); err != nil {
			log.Printf("worker failed: %v", err)
		}
	}
}
GO
    (cd "$work/gorun" && GOCACHE="$work/gocache" GOPATH="$work/gopath" go run main.go) \
        2> "$work/go.log" || true
    sed -n 1p "$work/go.log" > "$here/go-exit-status.log"
    sed -n 2p "$work/go.log" > "$here/go-signal-killed.log"
fi
echo "captured into $here"
