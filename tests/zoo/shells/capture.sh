#!/bin/sh
# Regenerates the captures of this folder by running the real shells on this machine: dash (the
# /bin/sh of Debian), bash and busybox ash (apt install busybox), on a script with a stray
# `done`, one with an `if` never closed, and one saved with Windows line endings (CRLF).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
printf '#!/bin/sh\nfor i in 1 2; do\n  echo "worker $i"\n\ndone done\n' > loop.sh
printf '#!/bin/sh\necho "migrating"\nif [ -n "$DATABASE_URL" ]; then\n  echo "using $DATABASE_URL"\n' > open-if.sh
printf '#!/bin/sh\necho "starting api"\r\n\r\ncd /tmp\r\nexec ./run-api\r\n' > entrypoint.sh
for shell in dash bash busybox; do
    run=$shell
    [ "$shell" = busybox ] && run="busybox sh"
    command -v "$shell" >/dev/null || continue
    for script in loop open-if entrypoint; do
        $run "$script.sh" > "$here/$shell-$script.log" 2>&1 || true
    done
done
echo "captured into $here"
