#!/bin/sh
# Regenerates the captures of this folder by running Debian's web servers failing on this
# machine: nginx 1.22 (run with `-p` a prefix and `-c` a config in the work directory, `daemon
# off;` and its error log on stderr: a port a helper holds, port 80 as `nobody`, a missing `;`,
# an unknown directive, a missing included file and a missing config file, an upstream host that
# does not resolve, an error log in a directory that does not exist or that `nobody` may not
# write); apache2 2.4 (`apache2 -f CONFIG -DFOREGROUND` with a minimal config loading its few
# modules from /usr/lib/apache2/modules: a port a first apache2 holds, mixed `Options`, a
# DocumentRoot that does not exist, `RewriteEngine` without mod_rewrite, port 80 as `nobody`);
# php-fpm 8.2 (`php-fpm8.2 -F -y CONFIG`: a listen address a first php-fpm holds, a pool line
# without `=`, a unix socket in a directory that does not exist); and supervisord 4 (nodaemon,
# its log on stdout) running nginx without `daemon off;` and php-fpm without -F, both going to
# the background at once.
# Needs: nginx, apache2 and php8.2-fpm (apt-get install -y --no-install-recommends apache2
# php-fpm; then `service apache2 stop; service nginx stop; service php8.2-fpm stop`: every server
# here runs from the work directory, never the system one, and /var/lib/nginx and /var/log are
# never written); supervisor is pip-installed into /tmp/zoo-web-servers-venv (made from Debian's
# python3 if missing). Runs as root; the privileged-port and permission cases run as `nobody`
# through `su nobody -s /bin/sh -c`.
# Ports: 47600-47649 only, and odd ones (Linux hands even ports to outgoing connections first, and
# a TIME-WAIT left by one blocks a listener): nginx 47601-47605 (a python3 helper holds 47601),
# apache2 47621-47623 (a first apache2 holds 47621), php-fpm 47641-47645 (a first php-fpm holds
# 47641); and 80 as `nobody`, refused before anything binds. Work directory: /tmp/zoo-web-servers
# (removed at start and at exit).
# Wrapped in noise: nginx-port-in-use-compose (a compose-style `web_1  | ` prefix) and
# nginx-upstream-unresolvable-timestamps (a timestamping `while read` loop, as a log shipper adds).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=/tmp/zoo-web-servers
venv=/tmp/zoo-web-servers-venv
command -v nginx >/dev/null || { echo "nginx not installed: skipping"; exit 0; }
apache=/usr/sbin/apache2
mods=/usr/lib/apache2/modules
fpm=$(command -v php-fpm8.2 || true)
rm -rf "$work"
holder= apache_holder= fpm_holder=
cleanup() {
    for pid in $holder $apache_holder $fpm_holder; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    # The nginx and php-fpm that went to the background under supervisord, a supervisord cut
    # short, an apache2 or php-fpm holder that outlived its shell.
    for pidfile in "$work/sv/nginx.pid" "$work/sv/php-fpm.pid" "$work/sv/supervisord.pid" \
            "$work/apache/run/httpd.pid" "$work/fpm/holder.pid"; do
        stop_pidfile "$pidfile" kill
    done
    sleep 1
    chmod -R u+w "$work" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$work"
chmod 755 "$work"
cd "$work"

. "$here/../lib.sh"  # stamp, wait_port
compose() { sed 's/^/web_1  | /'; }
as_nobody() { su nobody -s /bin/sh -c "cd $work && timeout 30 $1"; }
stop_pidfile() {  # stop_pidfile PIDFILE [kill]: until the process it names has exited (10 s
    # at most), after a SIGTERM if asked; the server may remove the file as it goes
    pid=$(cat "$1" 2>/dev/null) || return 0
    [ -z "${2:-}" ] || kill "$pid" 2>/dev/null || true
    i=0
    while [ $i -lt 40 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.25; i=$((i + 1)); done
}

# ---------------------------------------------------------------------------- nginx
n=$work/nginx
mkdir -p "$n/run" "$n/tmp"
chown nobody:nogroup "$n/run" "$n/tmp"
# Every temp path inside the work directory: /var/lib/nginx is never touched.
cat > "$n/temp-paths.conf" <<CONF
client_body_temp_path $n/tmp/body;
proxy_temp_path $n/tmp/proxy;
fastcgi_temp_path $n/tmp/fastcgi;
uwsgi_temp_path $n/tmp/uwsgi;
scgi_temp_path $n/tmp/scgi;
CONF
# nginx_conf NAME PORT-OR-NOTHING: the first 7 lines of every config (its own lines follow from 8).
nginx_conf() {
    cat > "$n/$1.conf" <<CONF
daemon off;
pid $n/run/$1.pid;
error_log stderr;
events { worker_connections 64; }
http {
    access_log off;
    include $n/temp-paths.conf;
CONF
}
run_nginx() { timeout 20 nginx -e stderr -p "$n" -c "$n/$1.conf"; }

# A helper holds 127.0.0.1:47601; nginx cannot bind it (it retries five times, then gives up).
/usr/bin/python3 -c 'import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 47601))
s.listen()
time.sleep(120)' &
holder=$!
wait_port 47601
kill -0 "$holder" || { echo "the helper could not hold 47601"; exit 1; }
nginx_conf busy
cat >> "$n/busy.conf" <<'CONF'
    server {
        listen 127.0.0.1:47601;
        location / { return 200 "ok\n"; }
    }
}
CONF
run_nginx busy > "$here/nginx-port-in-use.log" 2>&1 || true
run_nginx busy 2>&1 | compose > "$here/nginx-port-in-use-compose.log" || true
kill "$holder"; wait "$holder" 2>/dev/null || true
holder=

# Port 80 as nobody (a container's `user:`): binding a port below 1024 is refused.
nginx_conf privileged
cat >> "$n/privileged.conf" <<'CONF'
    server {
        listen 127.0.0.1:80;
        location / { return 200 "ok\n"; }
    }
}
CONF
chmod -R a+rX "$n"
as_nobody "nginx -e stderr -p $n -c $n/privileged.conf" > "$here/nginx-privileged-port.log" 2>&1 || true

# A `;` missing at the end of line 9 (`listen`): nginx reads server_name as its parameter.
nginx_conf syntax
cat >> "$n/syntax.conf" <<'CONF'
    server {
        listen 127.0.0.1:47603
        server_name shop.local;
        location / { return 200 "ok\n"; }
    }
}
CONF
run_nginx syntax > "$here/nginx-config-syntax.log" 2>&1 || true

# A directive no module defines, on line 10 (a typo for proxy_set_header).
nginx_conf unknown
cat >> "$n/unknown.conf" <<'CONF'
    server {
        listen 127.0.0.1:47603;
        proxy_set_headr X-Request-Id $request_id;
        location / { return 200 "ok\n"; }
    }
}
CONF
run_nginx unknown > "$here/nginx-unknown-directive.log" 2>&1 || true

# The site config the http block includes was never written (conf.d/ is empty).
mkdir -p "$n/conf.d"
nginx_conf include
cat >> "$n/include.conf" <<CONF
    include $n/conf.d/shop.conf;
}
CONF
run_nginx include > "$here/nginx-include-missing.log" 2>&1 || true

# The config file -c names does not exist (it lives in $n, not $n/etc).
timeout 20 nginx -e stderr -p "$n" -c "$n/etc/nginx.conf" > "$here/nginx-config-missing.log" 2>&1 || true

# An upstream server named by a compose service name, api, that does not resolve here.
nginx_conf upstream
cat >> "$n/upstream.conf" <<'CONF'
    upstream backend {
        server api:8080;
    }
    server {
        listen 127.0.0.1:47603;
        location / { proxy_pass http://backend; }
    }
}
CONF
run_nginx upstream > "$here/nginx-upstream-unresolvable.log" 2>&1 || true
run_nginx upstream 2>&1 | stamp > "$here/nginx-upstream-unresolvable-timestamps.log" || true

# error_log names a file in a logs/ directory that was never created.
nginx_conf nologdir
cat >> "$n/nologdir.conf" <<CONF
    error_log $n/logs/error.log;
    server {
        listen 127.0.0.1:47603;
        location / { return 200 "ok\n"; }
    }
}
CONF
run_nginx nologdir > "$here/nginx-error-log-missing.log" 2>&1 || true

# As nobody, error_log names a file in a root-owned 0755 directory nobody may not write.
mkdir -p "$n/var/log"
chmod 755 "$n/var" "$n/var/log"
nginx_conf logperm
cat >> "$n/logperm.conf" <<CONF
    error_log $n/var/log/error.log;
    server {
        listen 127.0.0.1:47603;
        location / { return 200 "ok\n"; }
    }
}
CONF
chmod a+r "$n/logperm.conf"
as_nobody "nginx -e stderr -p $n -c $n/logperm.conf" > "$here/nginx-log-permission-denied.log" 2>&1 || true

# ---------------------------------------------------------------------------- apache2
if [ -x "$apache" ] && [ -d "$mods" ]; then
    a=$work/apache
    mkdir -p "$a/htdocs" "$a/run"
    echo ok > "$a/htdocs/index.html"
    chown nobody:nogroup "$a/run"
    # apache_conf NAME PORT: the first 16 lines of every config (a case's own lines follow).
    apache_conf() {
        cat > "$a/$1.conf" <<CONF
ServerRoot "$a"
DefaultRuntimeDir "$a/run"
PidFile "$a/run/$1.pid"
LoadModule mpm_event_module $mods/mod_mpm_event.so
LoadModule authz_core_module $mods/mod_authz_core.so
LoadModule dir_module $mods/mod_dir.so
ServerName localhost
Listen 127.0.0.1:$2
ErrorLog /dev/stderr
LogLevel warn
DocumentRoot "$a/htdocs"
DirectoryIndex index.html
<Directory "$a/htdocs">
    Require all granted
</Directory>

CONF
    }
    run_apache() { timeout 20 "$apache" -f "$a/$1.conf" -DFOREGROUND; }

    # A first apache2 listens on 47621; a second site's server started on the same port
    # cannot bind it.
    apache_conf httpd 47621
    printf 'User nobody\nGroup nogroup\n' >> "$a/httpd.conf"
    timeout 120 "$apache" -f "$a/httpd.conf" -DFOREGROUND >"$a/holder.out" 2>&1 &
    apache_holder=$!
    wait_port 47621
    kill -0 "$apache_holder" || { cat "$a/holder.out"; echo "the first apache2 could not hold 47621"; exit 1; }
    apache_conf second 47621
    run_apache second > "$here/apache-port-in-use.log" 2>&1 || true
    kill "$apache_holder"; wait "$apache_holder" 2>/dev/null || true
    apache_holder=
    stop_pidfile "$a/run/httpd.pid"

    # Options mixing -Indexes with a bare FollowSymLinks (line 18), which 2.4 refuses.
    apache_conf options 47623
    cat >> "$a/options.conf" <<CONF
<Directory "$a/htdocs/static">
    Options -Indexes FollowSymLinks
</Directory>
CONF
    run_apache options > "$here/apache-config-syntax.log" 2>&1 || true

    # DocumentRoot names a directory that was never created (the app's build output).
    apache_conf docroot 47623
    sed -i "s|^DocumentRoot .*|DocumentRoot \"$a/public\"|" "$a/docroot.conf"
    run_apache docroot > "$here/apache-docroot-missing.log" 2>&1 || true

    # RewriteEngine on line 17 while mod_rewrite is never loaded.
    apache_conf rewrite 47623
    cat >> "$a/rewrite.conf" <<'CONF'
RewriteEngine On
RewriteRule ^/old/(.*)$ /new/$1 [R=301,L]
CONF
    run_apache rewrite > "$here/apache-module-missing.log" 2>&1 || true

    # Port 80 as nobody; its stderr a pipe, which nobody may reopen as /dev/stderr.
    apache_conf privileged 80
    chmod -R a+rX "$a"
    as_nobody "$apache -f $a/privileged.conf -DFOREGROUND" 2>&1 | cat > "$here/apache-privileged-port.log" || true
else
    echo "apache2 not installed: skipping its cases"
fi

# ---------------------------------------------------------------------------- php-fpm
if [ -n "$fpm" ]; then
    f=$work/fpm
    mkdir -p "$f"
    # fpm_conf NAME LISTEN: a global section and one pool (11 lines; a case's own lines follow).
    fpm_conf() {
        cat > "$f/$1.conf" <<CONF
[global]
pid = $f/$1.pid
error_log = /proc/self/fd/2
daemonize = no

[www]
user = nobody
group = nogroup
listen = $2
pm = static
pm.max_children = 1
CONF
    }
    # A first php-fpm listens on 47641; a second one, another pool file, cannot bind it.
    fpm_conf holder 127.0.0.1:47641
    timeout 120 "$fpm" -F -y "$f/holder.conf" >/dev/null 2>&1 &
    fpm_holder=$!
    wait_port 47641
    kill -0 "$fpm_holder" || { echo "the first php-fpm could not hold 47641"; exit 1; }
    fpm_conf second 127.0.0.1:47641
    timeout 20 "$fpm" -F -y "$f/second.conf" > "$here/php-fpm-port-in-use.log" 2>&1 || true
    kill "$fpm_holder"; wait "$fpm_holder" 2>/dev/null || true
    fpm_holder=
    stop_pidfile "$f/holder.pid"

    # Line 12 of the pool file lacks its `=` (`pm.start_servers 2`).
    fpm_conf syntax 127.0.0.1:47643
    echo 'pm.start_servers 2' >> "$f/syntax.conf"
    timeout 20 "$fpm" -F -y "$f/syntax.conf" > "$here/php-fpm-config-syntax.log" 2>&1 || true

    # The pool listens on a unix socket in run/php/, a directory that was never created.
    fpm_conf socket "$f/run/php/php8.2-fpm.sock"
    timeout 20 "$fpm" -F -y "$f/socket.conf" > "$here/php-fpm-socket-dir-missing.log" 2>&1 || true
else
    echo "php-fpm8.2 not installed: skipping its cases"
fi

# ---------------------------------------------------------------------------- supervisord
if [ ! -x "$venv/bin/supervisord" ]; then
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv" >/dev/null
    "$venv/bin/pip" install -q supervisor >/dev/null 2>&1
fi
mkdir -p sv sv/tmp
supervise() {  # supervise NAME PROGRAM-SECTION: supervisord (nodaemon: its log echoed on stdout, the
    # program's output sent there too) until the program gives up
    cat > "sv/$1.conf" <<CONF
[supervisord]
nodaemon=true
logfile=$work/sv/$1-supervisord.log
pidfile=$work/sv/supervisord.pid
loglevel=info

$2
redirect_stderr=true
stdout_logfile=/dev/stdout
stdout_logfile_maxbytes=0
CONF
    rm -f sv/supervisord.pid
    : > "sv/$1.out"
    # stdout a pipe, as under docker: supervisord reopens /dev/stdout for the program's output.
    env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$venv/bin/supervisord" \
        -c "sv/$1.conf" 2>&1 | cat > "sv/$1.out" &
    pipe=$!
    i=0
    while [ $i -lt 160 ] && ! grep -q "gave up:" "sv/$1.out"; do sleep 0.25; i=$((i + 1)); done
    stop_pidfile sv/supervisord.pid kill
    wait "$pipe" 2>/dev/null || true
}
# nginx without `daemon off;`: its first start forks a master to the background and exits 0, so
# each restart finds the port taken by that master.
cat > sv/nginx.conf <<CONF
pid $work/sv/nginx.pid;
error_log stderr;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $work/sv/tmp/body;
    proxy_temp_path $work/sv/tmp/proxy;
    fastcgi_temp_path $work/sv/tmp/fastcgi;
    uwsgi_temp_path $work/sv/tmp/uwsgi;
    scgi_temp_path $work/sv/tmp/scgi;
    server {
        listen 127.0.0.1:47605;
        location / { return 200 "ok\n"; }
    }
}
CONF
supervise nginx-daemonized '[program:nginx]
command=nginx -e stderr -p '"$work"'/sv -c '"$work"'/sv/nginx.conf
startsecs=10
startretries=2'
cp sv/nginx-daemonized.out "$here/supervisord-nginx-daemonized.log"
stop_pidfile sv/nginx.pid kill

# php-fpm without -F (and no `daemonize = no`): it forks to the background and exits 0.
if [ -n "$fpm" ]; then
    cat > sv/php-fpm.conf <<CONF
[global]
pid = $work/sv/php-fpm.pid
error_log = /proc/self/fd/2

[www]
user = nobody
group = nogroup
listen = 127.0.0.1:47645
pm = static
pm.max_children = 1
CONF
    supervise php-fpm-daemonized '[program:php-fpm8.2]
command='"$fpm"' -y '"$work"'/sv/php-fpm.conf
startsecs=10
startretries=2'
    cp sv/php-fpm-daemonized.out "$here/supervisord-php-fpm-daemonized.log"
    stop_pidfile sv/php-fpm.pid kill
fi

echo "captured into $here"
