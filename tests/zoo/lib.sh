# Shell helpers the capture scripts share; each sources it after setting `here` to its folder:
#   . "$here/../lib.sh"

# stamp: each line of standard input with a UTC timestamp before it, as a log shipper adds.
stamp() {
    while IFS= read -r line; do
        printf '%s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$line"
    done
}

# wait_port PORT: until something listens on 127.0.0.1:PORT (10 s at most).
wait_port() {
    i=0
    while [ $i -lt 40 ] && ! ss -ltnH "sport = :$1" | grep -q .; do
        sleep 0.25; i=$((i + 1))
    done
}

# stop PID: end a process the script started (if PID is set), and reap it.
stop() {
    [ -n "$1" ] || return 0
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
