"""One program's wording per rule, on short hand-made logs: each names its subject whatever the
file, host, port or variable is."""

from __future__ import annotations

import pytest

from bringup.diagnosis import diagnose

RUBY_FRAME = "\tfrom /srv/shop/boot.rb:3:in `<main>'\n"


def first(text: str, exit_status: int | None = None) -> tuple[str, str]:
    finding = diagnose(text, exit_status=exit_status)[0]
    return finding.kind, finding.subject


@pytest.mark.parametrize(
    ("text", "kind", "subject"),
    [
        # ruby
        ("/srv/shop/boot.rb:3:in `initialize': Permission denied @ rb_sysopen - "
         "/var/shop/out.log (Errno::EACCES)\n" + RUBY_FRAME,
         "permission-denied", "/var/shop/out.log"),
        ("run.rb:5:in `exec': Permission denied - script/daemon (Errno::EACCES)\n" + RUBY_FRAME,
         "permission-denied", "script/daemon"),
        ("/usr/lib/ruby/3.3.0/psych.rb:9:in `initialize': No such file or directory @ "
         "rb_sysopen - settings/app.yml (Errno::ENOENT)\n" + RUBY_FRAME,
         "missing-path", "settings/app.yml"),
        ("main.rb:2:in 'Kernel#require_relative': /srv/shop/lib/tax.rb:14: syntax error, "
         "unexpected end-of-input (SyntaxError)\n" + RUBY_FRAME,
         "syntax-error", "/srv/shop/lib/tax.rb:14"),
        ("configuration /srv/shop/web/config.ru not found\n", "missing-path",
         "/srv/shop/web/config.ru"),
        ("/usr/lib/bundler/definition.rb:1:in `validate_ruby!': Your Ruby version is 3.2.1, but "
         "your Gemfile specified 2.7.8 (Bundler::RubyVersionMismatch)\n",
         "runtime-version", "ruby"),
        # php
        ("[Tue Jan  5 10:00:00 2027] Failed to listen on 0.0.0.0:443 (reason: Permission "
         "denied)\n", "privileged-port", "443"),
        ("[05-Jan-2027 10:00:00] ERROR: failed to open access log (/srv/fpm/access.log): "
         "Permission denied (13)\n", "permission-denied", "/srv/fpm/access.log"),
        ("PHP Warning:  PDO::__construct(): php_network_getaddresses: getaddrinfo for "
         "db.internal failed: Name or service not known in /srv/a.php on line 3\n",
         "unresolvable-host", "db.internal"),
        # java
        ("src/billing/Tax.java:12: error: cannot find symbol\n1 error\n", "syntax-error",
         "src/billing/Tax.java:12"),
        ("Error: Unable to access jarfile target/api-2.jar\n", "missing-path", "target/api-2.jar"),
        ("POST http://10.1.2.3:8081/orders\n"
         'Exception in thread "main" java.net.ConnectException\n'
         "\tat java.net.http/jdk.internal.net.http.HttpClientImpl.send(HttpClientImpl.java:1)\n",
         "connection-refused", "10.1.2.3:8081"),
        # python
        ("Error: can't chdir to '/srv/www/site'\n", "missing-path", "/srv/www/site"),
        ("sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) unable to open database "
         "file\n", "missing-path", "unknown"),
        ("FAILED: No 'script_location' key found in configuration.\n", "missing-path", "unknown"),
        ("pydantic.errors.PydanticImportError: `validator` has been moved to the `pydantic-v1` "
         "package.\n", "dependency-conflict", "pydantic"),
        ('  File "/srv/app/views.py", line 7\n'
         "    return f'{row['name']}'\n"
         "                   ^^^^\n"
         "SyntaxError: f-string: expecting '}'\n", "runtime-version", "python"),
        # python services: uWSGI's `call(): error [file.c line N]`, streamlit, alembic, click,
        # Twisted, packages that do not fit, NumPy's ABI, a build step's status
        ("*** Starting uWSGI 2.0.28 (64bit) on [Tue Jan  5 10:00:00 2027] ***\n"
         "bind(): Permission denied [core/socket.c line 812]\n", "privileged-port", "unknown"),
        ("realpath() of deploy/site.ini failed: No such file or directory [core/utils.c line "
         "3651]\n", "missing-path", "deploy/site.ini"),
        ('open("/etc/uwsgi/vassal.yaml"): No such file or directory [core/io.c line 655]\n',
         "missing-path", "/etc/uwsgi/vassal.yaml"),
        ("2027-01-05 10:00:00.000 Port 8611 is not available\n", "port-in-use", "8611"),
        ("FAILED: Path doesn't exist: /srv/db/migrations.  Please use the 'init' command to "
         "create a new scripts folder.\n", "missing-path", "/srv/db/migrations"),
        ("FAILED: Path doesn't exist: '/srv/db/v1.2/scripts'.  Please use the 'init' command to "
         "create a new scripts folder.\n", "missing-path", "/srv/db/v1.2/scripts"),
        ("Usage: hypercorn-ish [OPTIONS] APP\n\n"
         "Error: Invalid value for '--config': Path 'conf/prod.toml' does not exist.\n",
         "missing-path", "conf/prod.toml"),
        ('Error: Invalid value for "--settings": File "settings/local.env" does not exist.\n',
         "missing-path", "settings/local.env"),
        ("2027-01-05 10:00:00,000 CRITICAL Listen failure: Couldn't listen on 0.0.0.0:443: "
         "[Errno 13] Permission denied.\n", "privileged-port", "443"),
        ("Traceback (most recent call last):\n"
         '  File "/srv/api/tasks.py", line 3, in <module>\n    import celery_once\n'
         '  File "/srv/venv/lib/python3.12/site-packages/celery_once/tasks.py", line 40, in '
         "<module>\n    Base = kombu.Consumer\n           ^^^^^^^^^^^^^^\n"
         "AttributeError: module 'kombu' has no attribute 'Consumer'\n",
         "dependency-conflict", "kombu"),
        ('  File "/opt/site/venv/lib/python3.11/site-packages/sklearn/__check_build/__init__.py",'
         " line 2, in <module>\n"
         "ValueError: numpy.ufunc size changed, may indicate binary incompatibility. Expected "
         "232 from C header, got 216 from PyObject\n", "dependency-conflict", "numpy"),
        ("A module that was compiled using NumPy 1.x cannot be run in\n"
         "NumPy 2.1.3 as it may crash. To support both 1.x and 2.x\n"
         "versions of NumPy, modules must be compiled with NumPy 2.0.\n",
         "dependency-conflict", "numpy"),
        ("RuntimeError: module compiled against ABI version 0x1000009 but this version of numpy "
         "is 0x2000000\n", "dependency-conflict", "numpy"),
        ("Step 3/7 : RUN pip3 install gunicorn\nerror: externally-managed-environment\n\n"
         "\u00d7 This environment is externally managed\n"
         "The command '/bin/sh -c pip3 install gunicorn' returned a non-zero code: 1\n",
         "crashed", "1"),
        ("#7 0.412 error: externally-managed-environment\n"
         'ERROR: process "/bin/sh -c pip install -r deps.txt" did not complete successfully: '
         "exit code: 1\n", "crashed", "1"),
        # node
        ("node: config/.env.local: not found\n", "missing-path", "config/.env.local"),
        ("npm error code EUSAGE\nnpm error\n"
         "npm error The `npm ci` command can only install with an existing package-lock.json or\n"
         "npm error npm-shrinkwrap.json with lockfileVersion >= 1.\n",
         "missing-path", "package-lock.json"),
        ("ERR_PNPM_NO_LOCKFILE  Cannot install with \"frozen-lockfile\" because pnpm-lock.yaml "
         "is absent\n Headless installation requires a pnpm-lock.yaml file, but none was found.\n",
         "missing-path", "pnpm-lock.yaml"),
        ("Error: Missing env DATABASE_URL\n    at Object.<anonymous> (/srv/a.js:2:9)\n",
         "missing-env", "DATABASE_URL"),
        ("Error: Missing environment variable SMTP_HOST\n", "missing-env", "SMTP_HOST"),
        ("Error: Transform failed with 1 error:\n"
         "/srv/web/src/routes.tsx:41:7: ERROR: Unexpected \"}\"\n", "syntax-error",
         "/srv/web/src/routes.tsx:41"),
        ("lib/util/parse.tsx(21,3): error TS1128: Declaration or statement expected.\n",
         "syntax-error", "lib/util/parse.tsx:21"),
        ("npm error code ENOTCACHED\nnpm error request to https://registry.npmjs.org/@babel%2fcore "
         "failed: cache mode is 'only-if-cached' but no cached response is available.\n",
         "missing-node-module", "@babel/core"),
        ("npm ERR! request to https://registry.example.org/left-pad failed: cache mode is "
         "'only-if-cached' but no cached response is available.\n",
         "missing-node-module", "left-pad"),
        ("npm error request to https://registry.npmjs.org/@types/node/-/node-20.1.0.tgz failed: "
         "cache mode is 'only-if-cached' but no cached response is available.\n",
         "missing-node-module", "@types/node"),
        ("/srv/api/db.js:7\nconst parts = process.env.DATABASE_URL.split('/');\n"
         "                                     ^\n\n"
         "TypeError: Cannot read properties of undefined (reading 'split')\n"
         "    at Object.<anonymous> (/srv/api/db.js:7:38)\n", "missing-env", "DATABASE_URL"),
        ("/srv/api/keys.js:2\nconst key = process.env['API_KEY'].trim();\n  ^\n\n"
         "TypeError: Cannot read property 'trim' of undefined\n", "missing-env", "API_KEY"),
        # servers
        ("[ALERT]    (77) : Binding [/etc/hp/edge.cfg:4] for frontend www: cannot bind socket "
         "(Permission denied) for [0.0.0.0:443]\n", "privileged-port", "443"),
        ("2027-01-05 10:00:00: (network.c.537) can't bind to socket: 0.0.0.0:443: Permission "
         "denied\n", "privileged-port", "443"),
        ("bind(): Permission denied\nfailed to listen on one of interface(s) 0.0.0.0: Invalid "
         "argument\n", "privileged-port", "unknown"),
        ("[ALERT]    (12) : config : Cannot open configuration file/directory /srv/lb/haproxy.d : "
         "No such file or directory\n", "missing-path", "/srv/lb/haproxy.d"),
        ("2027-01-05 10:00:00: (configfile.c.2211) opening configfile /srv/www/site.conf failed: "
         "No such file or directory\n", "missing-path", "/srv/www/site.conf"),
        ("2027-01-05 10:00:00: (configfile.c.1722) opening errorlog '/var/log/www/err.log' "
         "failed: No such file or directory\n", "missing-path", "/var/log/www"),
        ("bind(): No such file or directory\nfailed to listen on UNIX socket: "
         "/srv/cache/sock/mc.sock: Invalid argument\n", "missing-path", "/srv/cache/sock"),
        ("Error: adapting config using caddyfile: /etc/caddy/site.caddy:12: unrecognized "
         "directive: encodee\n", "syntax-error", "/etc/caddy/site.caddy:12"),
        ("2027-01-05 10:00:00: (configfile.c.1978) source: /etc/www/main.conf line: 22 pos: 3 "
         "invalid character in variable name\n", "syntax-error", "/etc/www/main.conf:22"),
        ('nats-server: /etc/nats/leaf.conf:14:5: unknown field "jetstrem"\n', "syntax-error",
         "/etc/nats/leaf.conf:14"),
        ('2027-01-05 10:00:00.000 UTC [12] LOG:  syntax error in file "/srv/pg/conf.d/tune.conf" '
         "line 7, near end of line\n"
         '2027-01-05 10:00:00.000 UTC [12] FATAL:  configuration file "/srv/pg/postgresql.conf" '
         "contains errors\n", "syntax-error", "/srv/pg/conf.d/tune.conf:7"),
        ("2027-01-05 10:00:00 0 [ERROR] mysqld: unknown variable 'max_conections=500'\n"
         "2027-01-05 10:00:00 0 [ERROR] Aborting\n", "syntax-error", "unknown"),
        ("[ALERT]    (5) : config : [/etc/hp/lb.cfg:40] : 'server pool/web2' : could not resolve "
         "address 'web2.internal'.\n", "unresolvable-host", "web2.internal"),
        ("12:S 05 Jan 2027 10:00:00.000 * Connecting to MASTER cache-main.svc:6380\n"
         "12:S 05 Jan 2027 10:00:00.001 # Unable to connect to MASTER: No such file or "
         "directory\n", "unresolvable-host", "cache-main.svc"),
        ("2027-01-05 10:00:00,000 INFO spawned: 'caddy' with pid 5\n"
         "2027-01-05 10:00:00,100 WARN exited: caddy (exit status 0; not expected)\n"
         "2027-01-05 10:00:01,000 INFO spawned: 'caddy' with pid 9\n"
         "Error: loading initial config: listen tcp :8080: bind: address already in use\n"
         "2027-01-05 10:00:01,100 WARN exited: caddy (exit status 1; not expected)\n",
         "daemonized", "caddy"),
        # rust, cargo
        ("   Compiling shop v0.3.0 (/srv/shop)\n"
         "error[E0308]: mismatched types\n"
         "  --> src/routes/cart.rs:42:17\n   |\n42 |     let n: u32 = \"x\";\n"
         "error: could not compile `shop` (bin \"shop\") due to 1 previous error\n",
         "syntax-error", "src/routes/cart.rs:42"),
        ("error: expected `;`, found `}`\n --> src/lib.rs:9:20\n  |\n",
         "syntax-error", "src/lib.rs:9"),
        ("warning: spurious network error (1 try remaining): [6] Couldn't resolve host name "
         "(Could not resolve host: static.crates.io)\n"
         "error: failed to download from `https://static.crates.io/crates/rand/0.8.5/download`\n"
         "\nCaused by:\n  [6] Couldn't resolve host name (Could not resolve host: "
         "static.crates.io)\n", "unresolvable-host", "static.crates.io"),
        ("curl: (6) Could not resolve host: api.internal.example\n", "unresolvable-host",
         "api.internal.example"),
        ("fatal: unable to access 'https://git.example.org/ops/x.git/': Could not resolve host: "
         "git.example.org\n", "unresolvable-host", "git.example.org"),
        ("ssh: Could not resolve hostname git.corp.example: Temporary failure in name "
         "resolution\nfatal: Could not read from remote repository.\n", "unresolvable-host",
         "git.corp.example"),
        ("\nthread 'main' panicked at src/tls.rs:14:6:\nfailed to read certs/server.pem: Os { "
         "code: 2, kind: NotFound, message: \"No such file or directory\" }\n",
         "missing-path", "certs/server.pem"),
        ('Error: "cannot open /etc/api/keys.json: No such file or directory (os error 2)"\n',
         "missing-path", "/etc/api/keys.json"),
        ('Error: "failed to open /var/lib/api/state.db: Permission denied (os error 13)"\n',
         "permission-denied", "/var/lib/api/state.db"),
        ("\nthread 'main' panicked at src/log.rs:3:9:\ncould not write logs/api.log: Os { code: "
         "13, kind: PermissionDenied, message: \"Permission denied\" }\n",
         "permission-denied", "logs/api.log"),
        ("\nthread 'main' panicked at src/main.rs:9:50:\nfailed to bind 0.0.0.0:443: Os { code: "
         "13, kind: PermissionDenied, message: \"Permission denied\" }\n",
         "privileged-port", "443"),
        ("Error: listen on [::]:80: Permission denied (os error 13)\n", "privileged-port", "80"),
        ("\nthread 'main' panicked at src/config.rs:12:30:\ncalled `Result::unwrap()` on an "
         "`Err` value: NotPresent\n", "missing-env", "unknown"),
        ("\nthread 'main' panicked at src/config.rs:5:41:\nreading SENTRY_DSN: NotPresent\n",
         "missing-env", "SENTRY_DSN"),
        # perl
        ("Could not open file '/etc/shop/db.ini' No such file or directory at "
         "/srv/shop/bin/db.pl line 12.\n", "missing-path", "/etc/shop/db.ini"),
        ("Cannot open settings.yml: No such file or directory at app.pl line 3.\n",
         "missing-path", "settings.yml"),
        ("Can't open '/var/log/shop/out.log': Permission denied at bin/log.pl line 4.\n",
         "permission-denied", "/var/log/shop/out.log"),
        ('syntax error at lib/Shop/Cart.pm line 23, near "}"\n'
         "Compilation failed in require at bin/shop.pl line 5.\n", "syntax-error",
         "lib/Shop/Cart.pm:23"),
        ("Missing right curly or square bracket at bin/run.pl line 40, at end of line\n"
         "syntax error at bin/run.pl line 40, at EOF\n"
         "Execution of bin/run.pl aborted due to compilation errors.\n", "syntax-error",
         "bin/run.pl:40"),
        # erlang, elixir
        ("** (MatchError) no match of right hand side value: {:error, :econnrefused}\n"
         "    worker.exs:7: (file)\n", "connection-refused", "unknown"),
        ("escript: exception error: no match of right hand side value {error,econnrefused}\n"
         "  in function  erl_eval:expr/6 (erl_eval.erl, line 496)\n", "connection-refused",
         "unknown"),
        ("** (System.EnvError) could not fetch environment variable \"SMTP_PASSWORD\" because "
         "it is not set\n    (elixir 1.15.7) lib/system.ex:706: System.fetch_env!/1\n",
         "missing-env", "SMTP_PASSWORD"),
        ("** (RuntimeError) failed to listen on port 4100: :eaddrinuse\n    app.exs:3: (file)\n",
         "port-in-use", "4100"),
        ("escript: exception error: no match of right hand side value {error,eaddrinuse}\n"
         "  in function  erl_eval:expr/6 (erl_eval.erl, line 496)\n"
         "  in call from escript:eval_exprs/5 (escript.erl, line 869)\n", "port-in-use",
         "unknown"),
        ("** (SyntaxError) lib/shop/cart.ex:12:5: syntax error before: ')'\n", "syntax-error",
         "lib/shop/cart.ex:12"),
        ("** (TokenMissingError) config/runtime.exs:30:1: missing terminator: end\n",
         "syntax-error", "config/runtime.exs:30"),
        ("** (SyntaxError) invalid syntax found on lib/a.ex:4:7:\n    error: unexpected token\n",
         "syntax-error", "lib/a.ex:4"),
    ],
)
def test_wording(text: str, kind: str, subject: str) -> None:
    assert first(text) == (kind, subject)


def test_a_ruby_file_it_failed_to_create_is_a_permission_not_a_missing_path() -> None:
    denied = ("/usr/lib/ruby/logger.rb:1:in `initialize': Permission denied @ rb_sysopen - "
              "/srv/log/app.log (Errno::EACCES)\n")
    rescued = ("/usr/lib/ruby/logger.rb:2:in `initialize': No such file or directory @ "
               "rb_sysopen - /srv/log/app.log (Errno::ENOENT)\n")
    assert first(denied + RUBY_FRAME + rescued + RUBY_FRAME) == ("permission-denied",
                                                                 "/srv/log/app.log")


def test_a_dash_saying_a_node_script_is_not_found_is_still_a_missing_binary() -> None:
    assert first("sh: 1: node: not found\n") == ("missing-binary", "node")


@pytest.mark.parametrize(
    ("line", "status"),
    [
        ("php exited with status 255", "255"),
        ("make: *** [Makefile:7: serve] Error 2", "2"),
        ("make[1]: *** [build] Error 1", "1"),
    ],
)
def test_a_wrapper_or_make_says_the_exit_status(line: str, status: str) -> None:
    assert first(f"starting\nsomething went wrong\n{line}\n") == ("crashed", status)


def test_php_memory_exhausted_is_a_crash_whose_fix_says_memory() -> None:
    text = ("PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to "
            "allocate 4096 bytes) in /srv/x.php on line 9\nworker exited with status 255\n")
    finding = diagnose(text)[0]
    assert (finding.kind, finding.subject) == ("crashed", "255")
    assert "memory" in finding.fix


def test_lockfile_and_dotfile_fixes_say_what_makes_them() -> None:
    assert "npm install" in diagnose("npm error The `npm ci` command can only install with an "
                                     "existing package-lock.json or\n")[0].fix
    assert "mkdir" not in diagnose("node: .env: not found\n")[0].fix


def test_an_fstring_reusing_its_quote_is_a_plain_syntax_error_on_a_python_that_reads_it() -> None:
    text = ('  File "/srv/app/.venv/lib/python3.12/site-packages/x.py", line 7\n'
            "    return f'{row['name']'\n"
            "                         ^\n"
            "SyntaxError: f-string: expecting '}'\n")
    assert first(text) == ("syntax-error", "/srv/app/.venv/lib/python3.12/site-packages/x.py:7")


def test_an_import_statement_in_a_commonjs_file_is_a_module_format_crash_not_a_typo() -> None:
    text = ("/srv/api/index.js:3\nimport express from 'express';\n^^^^^^\n\n"
            "SyntaxError: Cannot use import statement outside a module\n"
            "    at wrapSafe (node:internal/modules/cjs/loader:1:1)\n\nworker exited with code 1\n")
    finding = diagnose(text)[0]
    assert (finding.kind, finding.subject) == ("crashed", "1")
    assert '"type": "module"' in finding.fix


def test_an_undefined_read_off_no_env_variable_is_no_missing_env() -> None:
    text = ("/srv/api/db.js:7\nconst parts = config.url.split('/');\n   ^\n\n"
            "TypeError: Cannot read properties of undefined (reading 'split')\n")
    assert first(text)[0] != "missing-env"


def test_a_refused_master_is_no_unresolvable_host() -> None:
    text = ("12:S 05 Jan 2027 10:00:00.000 * Connecting to MASTER 10.0.0.9:6380\n"
            "12:S 05 Jan 2027 10:00:00.001 # Unable to connect to MASTER: Connection refused\n")
    assert first(text)[0] != "unresolvable-host"


def test_a_server_exiting_0_with_no_bind_error_after_it_is_a_crash() -> None:
    text = ("2027-01-05 10:00:00,000 INFO spawned: 'worker' with pid 5\n"
            "2027-01-05 10:00:00,100 WARN exited: worker (exit status 0; not expected)\n"
            "2027-01-05 10:00:02,000 INFO gave up: worker entered FATAL state\n")
    assert first(text) == ("crashed", "0")


def test_a_rustc_warning_is_no_syntax_error() -> None:
    text = ("warning: unused variable: `total`\n --> src/cart.rs:8:9\n  |\n"
            "warning: `shop` (bin \"shop\") generated 1 warning\n")
    assert diagnose(text) == [] or first(text)[0] != "syntax-error"


def test_a_refused_connect_on_a_port_below_1024_is_no_privileged_port() -> None:
    text = "Error: connect to 10.0.0.5:80: Permission denied (os error 13)\n"
    assert first(text)[0] != "privileged-port"


# init shims, privilege droppers, start-stop-daemon, wait loops and servers behind envsubst
@pytest.mark.parametrize(
    ("text", "kind", "subject"),
    [
        # tini's exec of its child
        ("[FATAL tini (7)] exec ./bin/serve.sh failed: Permission denied\n",
         "permission-denied", "./bin/serve.sh"),
        ("api-2  | [FATAL tini (1)] exec bin/boot failed: No such file or directory\n",
         "missing-path", "bin/boot"),
        ("2027-01-05T10:00:00.000Z [FATAL tini (1)] exec hypercorn failed: No such file or "
         "directory\n", "missing-binary", "hypercorn"),
        # dumb-init's and su-exec's: the command, then strerror
        ("[dumb-init] daphne: No such file or directory\n", "missing-binary", "daphne"),
        ("booting\n[dumb-init] Child spawned with PID 7.\n[dumb-init] rqworker: No such file or "
         "directory\n", "missing-binary", "rqworker"),
        ("su-exec: huey_consumer: No such file or directory\n", "missing-binary",
         "huey_consumer"),
        # util-linux (setpriv, runuser, setsid, unshare) and coreutils (timeout, nohup, chroot)
        ("setpriv: failed to execute waitress-serve: No such file or directory\n",
         "missing-binary", "waitress-serve"),
        ("runuser: failed to execute /opt/svc/run.sh: Permission denied\n",
         "permission-denied", "/opt/svc/run.sh"),
        ("timeout: failed to run command \u2018dramatiq\u2019: No such file or directory\n",
         "missing-binary", "dramatiq"),
        ("nohup: failed to run command 'scripts/worker': No such file or directory\n",
         "missing-path", "scripts/worker"),
        # start-stop-daemon
        ("start-stop-daemon: unable to start /srv/queue/bin/consume.sh (Permission denied)\n",
         "permission-denied", "/srv/queue/bin/consume.sh"),
        # tini -v on its child's end
        ("[INFO  tini (40)] Spawned child process './seed.sh' with pid '41'\n"
         "[INFO  tini (40)] Main child exited normally (with status '5')\n", "crashed", "5"),
        ("[INFO  tini (40)] Main child exited with signal (with signal 'Aborted')\n",
         "crashed", "Aborted"),
        # pg_isready on a server that does not answer
        ("10.4.0.7:6543 - no response\n10.4.0.7:6543 - no response\n", "connection-refused",
         "10.4.0.7:6543"),
        ("/run/pg:5433 - no response\n", "connection-refused", "/run/pg/.s.PGSQL.5433"),
        # MariaDB's client: the port only in the wait loop's words, else the default
        ("mysqladmin: connect to server at '10.9.8.7' failed\n"
         "error: 'Can't connect to server on '10.9.8.7' (115)'\n"
         "db not up yet at 10.9.8.7:33061, retrying\n", "connection-refused", "10.9.8.7:33061"),
        ("ERROR 2002 (HY000): Can't connect to server on 'db.internal' (111)\n",
         "connection-refused", "db.internal:3306"),
        # nginx on an upstream with no host (a variable left empty)
        ('2027/01/05 10:00:00 [emerg] 9#9: no host in upstream ":9000" in '
         "/etc/nginx/sites/app.conf:14\n", "syntax-error", "/etc/nginx/sites/app.conf:14"),
        # redis 7's config errors: the directive quoted, then what is wrong with it
        ("\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\n"
         "Reading the configuration file, at line 12\n>>> 'maxclients'\n"
         "wrong number of arguments\n", "syntax-error", "unknown"),
        ("\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\n"
         "Reading the configuration file, at line 3\n>>> 'appendonly maybe'\n"
         "argument must be 'yes' or 'no'\n", "syntax-error", "unknown"),
        ("\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\n"
         "Reading the configuration file, at line 2\n>>> 'dir \"/var/lib/cache/rdb\"'\n"
         "Permission denied\n", "permission-denied", "/var/lib/cache/rdb"),
        ("\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\n"
         "Reading the configuration file, at line 2\n>>> 'dir /srv/kv/none'\n"
         "No such file or directory\n", "missing-path", "/srv/kv/none"),
        ("\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\n"
         "Can't open the log file: Permission denied\n", "permission-denied", "unknown"),
    ],
)
def test_entrypoint_wording(text: str, kind: str, subject: str) -> None:
    assert first(text) == (kind, subject)


def test_a_ruby_wrong_number_of_arguments_is_no_redis_config_error() -> None:
    text = ("/srv/shop/cart.rb:4:in `total': wrong number of arguments (given 2, expected 1) "
            "(ArgumentError)\n" + RUBY_FRAME)
    assert first(text)[0] != "syntax-error"


def test_a_redis_config_line_refused_for_no_argument_of_its_own_is_no_syntax_error() -> None:
    text = ("\n*** FATAL CONFIG FILE ERROR (Redis 7.2.4) ***\n"
            "Reading the configuration file, at line 9\n>>> 'loadmodule /opt/kv/search.so'\n"
            "Error loading the extension. Please check the server logs.\n")
    assert first(text)[0] != "syntax-error"


def test_a_python_prompt_echo_is_no_redis_config_error() -> None:
    text = ">>> 'port'\nwrong number of arguments\nworker exited with code 1\n"
    assert first(text) == ("crashed", "1")


def test_a_bare_file_not_found_is_no_missing_command() -> None:
    assert diagnose("settings.yaml: No such file or directory\n") == [] or \
        first("settings.yaml: No such file or directory\n")[0] != "missing-binary"


@pytest.mark.parametrize(
    "frame",
    [
        '  File "/srv/api/report.py", line 9, in build\n',  # the program's own code
        '  File "/srv/venv/lib/python3.12/site-packages/kombu/utils.py", line 9, in build\n',
        '  File "/srv/venv/lib/python3.12/site-packages/celery_once/x.py", line 9, in build\n',
    ],
)
def test_a_missing_attribute_is_a_conflict_only_from_another_installed_package(
        frame: str) -> None:
    module = "os" if "celery_once" in frame else "kombu"  # the standard library: no package
    text = (f"Traceback (most recent call last):\n{frame}    x = {module}.Consumer\n"
            f"AttributeError: module '{module}' has no attribute 'Consumer'\n")
    assert not diagnose(text) or first(text)[0] != "dependency-conflict"


def test_pip_refusing_an_externally_managed_python_says_a_venv() -> None:
    text = ("error: externally-managed-environment\n\n"
            "\u00d7 This environment is externally managed\n"
            "The command '/bin/sh -c pip install flask' returned a non-zero code: 1\n")
    assert "venv" in diagnose(text)[0].fix


# Node ORMs, drivers and CLIs: a library naming the package it needs, a CLI without a local
# install of itself, an SRV lookup, a CLI's missing config
@pytest.mark.parametrize(
    ("text", "kind", "subject"),
    [
        # Sequelize's dialects, on the user's behalf
        ("/srv/shop/node_modules/sequelize/lib/dialects/abstract/connection-manager.js:55\n"
         "        throw new Error(`Please install ${moduleName} package manually`);\n"
         "        ^\n\nError: Please install mariadb package manually\n"
         "    at ConnectionManager._loadDialectModule (/srv/shop/node_modules/sequelize/lib/"
         "dialects/abstract/connection-manager.js:55:15)\n\nNode.js v22.1.0\n",
         "missing-node-module", "mariadb"),
        ("Error: Please install 'tedious' module manually\n", "missing-node-module", "tedious"),
        # a CLI that runs the project's own copy of itself
        ("No local knex install found in: /srv/billing/api\nTry running: npm install knex\n",
         "missing-node-module", "knex"),
        ("grunt-cli: The grunt command line interface (v1.4.3)\n\n"
         "Fatal error: Unable to find local grunt.\n", "missing-node-module", "grunt"),
        # node's c-ares lookups: the SRV (TXT) name's `_service._proto.` labels are no host
        ("Error: querySrv ENOTFOUND _mongodb._tcp.orders-7.qz1.example.net\n"
         "    at QueryReqWrap.onresolve [as oncomplete] (node:internal/dns/promises:275:17) {\n"
         "  code: 'ENOTFOUND',\n  syscall: 'querySrv',\n", "unresolvable-host",
         "orders-7.qz1.example.net"),
        ("Error: queryTxt ENOTFOUND billing.db.internal\n", "unresolvable-host",
         "billing.db.internal"),
        # a CLI's own words for a config it was pointed at
        ('ERROR: Cannot find "/srv/ledger/db/config.json". Have you run "sequelize init"?\n',
         "missing-path", "/srv/ledger/db/config.json"),
        ("Error: Cannot find config file 'deploy/app.config.yml'\n", "missing-path",
         "deploy/app.config.yml"),
    ],
)
def test_node_library_wording(text: str, kind: str, subject: str) -> None:
    assert first(text) == (kind, subject)


@pytest.mark.parametrize(
    "text",
    [
        "src/index.ts(3,1): error TS2304: Cannot find name 'describe'.\n",
        "Error: Cannot find 'lodash.merge' in the bundle\n",
        "Cannot find 'python3.11' on PATH\n",
    ],
)
def test_a_name_it_cannot_find_is_no_missing_path(text: str) -> None:
    assert not diagnose(text) or first(text)[0] != "missing-path"


def test_a_mongodb_srv_record_with_no_data_is_no_unresolvable_host() -> None:
    text = "Error: querySrv ENODATA _mongodb._tcp.orders.example.net\n"
    assert not diagnose(text) or first(text)[0] != "unresolvable-host"


_TOMCAT_BIND = ("\torg.apache.catalina.LifecycleException: Protocol handler initialization failed\n"
                "\t\tat org.apache.catalina.connector.Connector.initInternal(Connector.java:1)\n"
                "\tCaused by: java.net.BindException: {error}\n"
                "\t\tat java.base/sun.nio.ch.Net.bind0(Native Method)\n")


@pytest.mark.parametrize(
    ("text", "kind", "subject"),
    [
        # Tomcat names the port only in its connector's name, above the BindException
        ('SEVERE [main] org.apache.catalina.util.LifecycleBase.handleSubClassException Failed to '
         'initialize component [Connector["https-jsse-nio-8443"]]\n'
         + _TOMCAT_BIND.format(error="Address already in use"), "port-in-use", "8443"),
        ('SEVERE [main] Failed to initialize component [Connector["ajp-nio-127.0.0.1-8009"]]\n'
         + _TOMCAT_BIND.format(error="Address already in use"), "port-in-use", "8009"),
        ("SEVERE: Failed to initialize connector [Connector[HTTP/1.1-9090]]\n"
         + _TOMCAT_BIND.format(error="Address already in use"), "port-in-use", "9090"),
        ('SEVERE [main] Failed to initialize component [Connector["http-nio-443"]]\n'
         + _TOMCAT_BIND.format(error="Permission denied"), "privileged-port", "443"),
        # ... and its shutdown port in brackets
        ('INFO [main] Initializing ProtocolHandler ["http-nio-9080"]\n'
         "SEVERE [main] org.apache.catalina.core.StandardServer.await Failed to create server "
         "shutdown socket on address [127.0.0.1] and port [9005] (base port [8005] and offset "
         "[1000])\n\tjava.net.BindException: Address already in use\n"
         "\t\tat java.base/sun.nio.ch.Net.bind0(Native Method)\n", "port-in-use", "9005"),
    ],
)
def test_java_server_port_wording(text: str, kind: str, subject: str) -> None:
    assert first(text) == (kind, subject)


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        # Xerces (Tomcat's Digester, any JAXP parser): the file as a URL
        ("SEVERE [main] org.apache.tomcat.util.digester.Digester.fatalError Parse fatal error at "
         "line [12] column [5]\n\torg.xml.sax.SAXParseException; systemId: "
         "file:/srv/app/conf/context.xml; lineNumber: 12; columnNumber: 5; The element type "
         '"Resource" must be terminated by the matching end-tag "</Resource>".\n',
         "/srv/app/conf/context.xml:12"),
        ('Exception in thread "main" org.xml.sax.SAXParseException; publicId: ; systemId: '
         "file:///opt/my%20app/web.xml; lineNumber: 3; columnNumber: 1; XML document structures "
         "must start and end within the same entity.\n", "/opt/my app/web.xml:3"),
        # Maven
        ("[FATAL] Non-parseable POM /srv/shop/api/pom.xml: Unrecognised tag: 'dependency' "
         "(position: START_TAG seen ...<dependency>... @22:17)  @ line 22, column 17\n",
         "/srv/shop/api/pom.xml:22"),
        ("[ERROR] Error executing Maven.\n[ERROR] 1 problem was encountered while building the "
         "effective settings\n[FATAL] Non-parseable settings /home/ci/.m2/settings.xml: "
         "unexpected markup <!d (position: START_DOCUMENT seen <!d... @1:4)  @ line 1, "
         "column 4\n", "/home/ci/.m2/settings.xml:1"),
        # Groovy's compiler, alone and under Gradle
        ("org.codehaus.groovy.control.MultipleCompilationErrorsException: startup failed:\n"
         "scripts/deploy.groovy: 12: expecting '}', found '' @ line 12, column 1.\n1 error\n",
         "scripts/deploy.groovy:12"),
        ("* What went wrong:\nCould not compile settings file '/ci/proj/settings.gradle'.\n"
         "> startup failed:\n  settings file '/ci/proj/settings.gradle': 3: unexpected token: "
         "include @ line 3, column 5.\n     include 'a'\n", "/ci/proj/settings.gradle:3"),
        ("startup failed:\n/srv/jobs/Nightly.groovy: 7: Unexpected input: '(' @ line 7, "
         "column 9.\n", "/srv/jobs/Nightly.groovy:7"),
        # kotlinc, alone and under Gradle
        ("src/Main.kt:14:2: error: expecting '}'\n}\n ^\n", "src/Main.kt:14"),
        ("e: /ci/app/src/main/kotlin/App.kt: (8, 21): Expecting an element\n",
         "/ci/app/src/main/kotlin/App.kt:8"),
        ("e: file:///ci/app/build.gradle.kts:5:3: Unexpected tokens (use ';' to separate "
         "expressions on the same line)\n", "/ci/app/build.gradle.kts:5"),
        # Clojure
        ("Syntax error reading source at (src/shop/core.clj:31:1).\nEOF while reading, "
         "starting at line 9\n", "src/shop/core.clj:31"),
        ("Syntax error macroexpanding clojure.core/let at (jobs.clj:6:3).\n[x] - failed: "
         "even-number-of-forms? at: [:bindings] spec: :clojure.core.specs.alpha/bindings\n",
         "jobs.clj:6"),
    ],
)
def test_jvm_syntax_error_wording(text: str, subject: str) -> None:
    assert first(text) == ("syntax-error", subject)


def test_a_kotlin_type_error_is_no_syntax_error() -> None:
    text = "src/Main.kt:4:18: error: type mismatch: inferred type is String but Int was expected\n"
    assert first(text, exit_status=1)[0] == "crashed"


def test_a_groovy_class_it_cannot_resolve_is_no_syntax_error() -> None:
    text = ("startup failed:\n/srv/jobs/Nightly.groovy: 2: unable to resolve class "
            "groovy.json.JsonSlurperX\n @ line 2, column 1.\n")
    assert first(text, exit_status=1)[0] == "crashed"


@pytest.mark.parametrize(
    ("text", "kind", "subject"),
    [
        # bun and deno runners on a script or task the project does not have
        ('error: Script not found "build:prod"\n', "missing-npm-script", "build:prod"),
        ("Task not found: serve\nAvailable tasks:\n- start\n    deno run main.ts\n",
         "missing-npm-script", "serve"),
        # bun: a listen refused, its fetch refused (the address only in its fields), DNS
        ("error: Failed to start server. Is port 3001 in use?\n      at serve (unknown)\n",
         "port-in-use", "3001"),
        ('error: permission denied 0.0.0.0:443\n syscall: "listen",\n    code: "EACCES"\n',
         "privileged-port", "443"),
        ("TypeError: ECONNREFUSED: Unable to connect. Is the computer able to access the url?\n"
         '  path: "http://10.0.0.7:9200/_cluster/health",\n  code: "ECONNREFUSED"\n',
         "connection-refused", "10.0.0.7:9200"),
        ("ConnectionRefused: Unable to connect. Is the computer able to access the url?\n"
         '  path: "http://localhost:4000/api",\n', "connection-refused", "localhost:4000"),
        ("bun install v1.2.0\nerror: DNSResolveFailed downloading tarball left-pad\n",
         "unresolvable-host", "unknown"),
        # deno: its fs ops' errors name the op and the path
        ("error: Uncaught (in promise) NotFound: No such file or directory (os error 2): open "
         "'/srv/api/.env.local'\n    at async Object.open (ext:deno_fs/30_fs.js:1:1)\n",
         "missing-path", "/srv/api/.env.local"),
        ("error: Uncaught (in promise) PermissionDenied: Permission denied (os error 13): "
         "mkdir '/var/cache/shop'\n", "permission-denied", "/var/cache/shop"),
        # ... a local module it cannot load, by its URL
        ('error: Module not found "file:///srv/shop/routes/orders.tsx".\n'
         "    at file:///srv/shop/main.ts:3:20\n", "missing-path", "/srv/shop/routes/orders.tsx"),
        # ... a package.json dependency never installed
        ('error: Could not resolve "@std/path/posix", but found it in a package.json. Deno '
         "expects the node_modules/ directory to be up to date. Did you forget to run "
         "`deno install`?\n", "missing-node-module", "@std/path"),
        # ... a listen refused with no address, a frame naming the listen
        ("error: Uncaught (in promise) PermissionDenied: Permission denied (os error 13)\n"
         "const l = Deno.listen({ port: 443 });\n"
         "    at Object.listen (ext:deno_net/01_net.js:1:1)\n"
         "    at file:///srv/tls.ts:1:16\n", "privileged-port", "443"),
        # ... a parse error, placed by the frame below its code block
        ("error: SyntaxError: Unterminated string constant\n  |\n3 | const a = 'x;\n"
         "  |           ~\n    at file:///srv/shop/lib/tax.ts:3:11\n", "syntax-error",
         "/srv/shop/lib/tax.ts:3"),
        ("error: The module's source code could not be parsed: Expected ';', found 'x' at "
         "file:///srv/app/mod.ts:12:7\n", "syntax-error", "/srv/app/mod.ts:12"),
    ],
)
def test_bun_and_deno_wording(text: str, kind: str, subject: str) -> None:
    assert first(text) == (kind, subject)


@pytest.mark.parametrize(
    ("text", "subject", "flag"),
    [
        ('error: Uncaught (in promise) NotCapable: Requires read access to "./data/seed.json", '
         "run again with the --allow-read flag\n", "./data/seed.json", "--allow-read"),
        ('error: Uncaught PermissionDenied: Requires net access to "db.internal:5432", run '
         "again with the --allow-net flag\n", "db.internal:5432", "--allow-net"),
    ],
)
def test_a_deno_permission_refusal_names_its_flag(text: str, subject: str, flag: str) -> None:
    finding = diagnose(text)[0]
    assert (finding.kind, finding.subject) == ("permission-denied", subject)
    assert flag in finding.fix


def test_a_json_syntax_error_thrown_in_deno_is_no_syntax_error_of_the_module() -> None:
    text = ("error: Uncaught (in promise) SyntaxError: Unexpected token '}', \"{\"a\": }\" is "
            "not valid JSON\n    at JSON.parse (<anonymous>)\n    at file:///srv/app/main.ts:4:19\n")
    assert first(text, exit_status=1)[0] == "crashed"


def test_a_deno_permission_denied_with_no_listen_frame_is_no_privileged_port() -> None:
    text = ("error: Uncaught (in promise) PermissionDenied: Permission denied (os error 13)\n"
            "    at Object.readTextFileSync (ext:deno_fs/30_fs.js:1:1)\n")
    assert first(text, exit_status=1)[0] != "privileged-port"


# Brokers and their clients (MQTT, AMQP, ZooKeeper, Kafka, STOMP, beanstalkd) and the
# supervisors of the daemontools family (runit, s6), monit and foreman
@pytest.mark.parametrize(
    ("text", "kind", "subject"),
    [
        # MQTT's CONNACK refusing the login: no refused TCP connection
        ("Connection error: Connection Refused: not authorised.\n", "auth-failed", "mosquitto"),
        ("ErrorWithReasonCode: Connection refused: Not authorized\n    at handleConnack "
         "(/srv/iot/node_modules/mqtt/build/lib/handlers/connack.js:44:21) {\n  code: 5\n}\n",
         "auth-failed", "mosquitto"),
        ("Connection error: Connection Refused: bad user name or password.\n", "auth-failed",
         "mosquitto"),
        # addresses as Java (`HOST/IP:PORT`), kazoo (`HOST(IP):PORT`) and monit (`[HOST]:PORT`)
        # print them, on a line near the error
        ("INFO  [main:NIOServerCnxnFactory@660] - binding to port 0.0.0.0/0.0.0.0:2281\n"
         "ERROR [main:ServerMain@91] - Unexpected exception, exiting abnormally\n"
         "java.net.BindException: Address already in use\n"
         "\tat java.base/sun.nio.ch.Net.bind0(Native Method)\n", "port-in-use", "2281"),
        ("INFO kazoo.client: Connecting to zk-2.internal(10.4.0.12):2182, use_ssl: False\n"
         "WARNING kazoo.client: Connection dropped: socket connection error: Connection "
         "refused\n", "connection-refused", "zk-2.internal:2182"),
        ("'web' failed protocol test [HTTP] at [10.0.0.8]:8081/ready [TCP/IP] -- Connection "
         "refused\n", "connection-refused", "10.0.0.8:8081"),
        # the host and the port apart: stomp.py's `host H, port P`, Ruby's `for "H" port P`
        ("WARNING:stomp.py:could not connect to host mq.internal, port 61614: [Errno 111] "
         "Connection refused\n", "connection-refused", "mq.internal:61614"),
        ("bin/poll.rb:3:in `initialize': Connection refused - connect(2) for \"10.2.0.9\" port "
         "7001 (Errno::ECONNREFUSED)\n" + RUBY_FRAME, "connection-refused", "10.2.0.9:7001"),
        ('{"level":"ERROR","message":"Connection refused - connect(2) for \\"db.lan\\" port '
         '6380","error":{"class":"Errno::ECONNREFUSED","message":"Connection refused - '
         'connect(2) for \\"db.lan\\" port 6380","backtrace":["w.rb:6:in `new\'"]}}\n',
         "connection-refused", "db.lan:6380"),
        # a host that does not resolve: librdkafka quotes it with its port, kazoo names it
        # before the colon, a client's own line names it above a bare gaierror's traceback
        ("%3|1796000000.100|FAIL|rdkafka#consumer-1| [thrd:broker-3:29092/bootstrap]: "
         "broker-3:29092/bootstrap: Failed to resolve 'broker-3:29092': Name or service not "
         "known (after 2ms in state CONNECT)\n", "unresolvable-host", "broker-3"),
        ("WARNING kazoo.client: Cannot resolve zk-east.svc: [Errno -3] Temporary failure in "
         "name resolution\n", "unresolvable-host", "zk-east.svc"),
        ("INFO jobs: connecting to AMQP server rabbit.lan:5672\nTraceback (most recent call "
         "last):\n" + '  File "/srv/jobs/run.py", line 3, in <module>\n    conn.connect()\n' * 11
         + "socket.gaierror: [Errno -2] Name or service not known\n", "unresolvable-host",
         "rabbit.lan"),
        # `unable to VERB PATH: strerror` as djb's tools (runit, daemontools: `file does not
        # exist`, `access denied`) and skarnet's (s6) say it
        ("runsv worker: fatal: unable to start ./run: access denied\n", "permission-denied",
         "./run"),
        ("supervise: fatal: unable to start bin/serve: access denied\n", "permission-denied",
         "bin/serve"),
        ("warning: ./web: unable to open supervise/control: file does not exist\n",
         "missing-path", "supervise/control"),
        ("svlogd: warning: unable to open log directory: /srv/logs/mail: file does not exist\n"
         "svlogd: fatal: no functional log directories.\n", "missing-path", "/srv/logs/mail"),
        ("s6-log: fatal: unable to mkdir /srv/logs/web: Permission denied\n",
         "permission-denied", "/srv/logs/web"),
        ("s6-svscan: fatal: unable to chdir to /srv/sv: No such file or directory\n",
         "missing-path", "/srv/sv"),
        # a file named as missing, with no OS error: `X does not exist`, `X file is missing`,
        # `Missing data directory X`
        ("ERROR: Gemfile does not exist.\n", "missing-path", "Gemfile"),
        ("Caused by: java.lang.IllegalArgumentException: etc/kafka/server.properties file is "
         "missing\n\tat org.example.Main.parse(Main.java:54)\n", "missing-path",
         "etc/kafka/server.properties"),
        ("org.example.persistence.FileSnap$DatadirException: Missing data directory "
         "/srv/zk/data/version-2, automatic data directory creation is disabled\n",
         "missing-path", "/srv/zk/data/version-2"),
        ("Error: config file 'conf/app.yml' does not exist\n", "missing-path", "conf/app.yml"),
        # a program a supervisor was told to start, missing: monit's words
        ("/etc/monit/conf.d/web.rc:3: Program does not exist: '/opt/web/bin/serve'\n",
         "missing-binary", "/opt/web/bin/serve"),
        ("'web' failed to start (exit status -1) -- Program /opt/web/bin/serve failed: File "
         "'/opt/web/bin/serve' does not exist\n", "missing-binary", "/opt/web/bin/serve"),
        # a config file the program could not open, no reason given (mosquitto, like redis)
        ("1796000000: Error: Unable to open config file /etc/mq/broker.conf.\n",
         "missing-path", "/etc/mq/broker.conf"),
        ('1796000000: Error: Unable to open pwfile "/etc/mq/users".\n'
         '1796000000: Error opening password file "/etc/mq/users".\n', "missing-path",
         "/etc/mq/users"),
        # the path on one line, the OS's words alone on the next (mosquitto) or the one above
        # (beanstalkd)
        ("Error saving in-memory database, unable to open /var/lib/mq/state.db.new for "
         "writing.\nError: Permission denied.\n", "permission-denied",
         "/var/lib/mq/state.db.new"),
        ("beanstalkd: walg.c:416 in waldirlock: open: No such file or directory\n"
         "beanstalkd: serv.c:24 in srv_acquire_wal: failed to lock wal dir /srv/bq/wal\n",
         "missing-path", "/srv/bq/wal"),
        ("beanstalkd: walg.c:416 in waldirlock: open: Permission denied\n"
         "beanstalkd: serv.c:24 in srv_acquire_wal: failed to lock wal dir /srv/bq/wal\n",
         "permission-denied", "/srv/bq/wal"),
        ("beanstalkd: net.c:104 in make_inet_socket: bind(): Permission denied\n"
         "beanstalkd: main.c:99 in main: make_server_socket()\n", "privileged-port", "unknown"),
        # a RabbitMQ vhost never created: the broker's words, through pika and kombu
        ('pika.exceptions.ProbableAccessDeniedError: ConnectionClosedByBroker: (530) '
         '"NOT_ALLOWED - vhost orders-prod not found"\n', "database-missing", "orders-prod"),
        ("[ERROR/MainProcess] consumer: Cannot connect to amqp://app:**@mq:5672/%2Fshop: "
         "Connection.open: (530) NOT_ALLOWED - vhost /shop not found.\n", "database-missing",
         "/shop"),
        # kafka-python: no broker answered the bootstrap, none named
        ("Traceback (most recent call last):\n"
         '  File "/srv/feed/produce.py", line 4, in <module>\n'
         "    producer = KafkaProducer(bootstrap_servers=servers)\n"
         "kafka.errors.NoBrokersAvailable: NoBrokersAvailable\n", "connection-refused",
         "unknown"),
        # an optional dependency a library checks for itself, in its own words
        ("Traceback (most recent call last):\n"
         '  File "/srv/q/venv/lib/python3.12/site-packages/kombu/transport/SQS.py", line 9, in '
         "__init__\n    raise ImportError('boto3 is not installed')\n"
         "ImportError: boto3 is not installed\n", "missing-python-module", "boto3"),
        ("ImportError: The pymongo library is not installed\n", "missing-python-module",
         "pymongo"),
        ("ImportError: Missing redis library (pip install redis)\n", "missing-python-module",
         "redis"),
        ("ImportError: Missing optional dependency 'openpyxl'.  Use pip or conda to install "
         "openpyxl.\n", "missing-python-module", "openpyxl"),
        # code written for one paho-mqtt major version, run on the other
        ("    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)\n"
         "AttributeError: module 'paho.mqtt.client' has no attribute 'CallbackAPIVersion'\n",
         "dependency-conflict", "paho-mqtt"),
        ('  File "/srv/iot/venv/lib/python3.12/site-packages/paho/mqtt/client.py", line 9, in '
         "__init__\n    raise TypeError(\nTypeError: Unsupported callback API version: "
         "version 2.0 added a callback_api_version, see docs/migrations.rst for details\n",
         "dependency-conflict", "paho-mqtt"),
        # a config value that does not parse: ZooKeeper's and Kafka's ConfigException
        ("org.apache.zookeeper.server.quorum.QuorumPeerConfig$ConfigException: Error processing "
         "conf/zoo.cfg\n\tat org.apache.zookeeper.server.quorum.QuorumPeerMain.main("
         "QuorumPeerMain.java:91)\nCaused by: java.lang.NumberFormatException: For input "
         'string: "2181 "\n\tat java.base/java.lang.Integer.parseInt(Integer.java:668)\n',
         "syntax-error", "unknown"),
        ("org.apache.kafka.common.config.ConfigException: Invalid value 9O92 for configuration "
         "port: Not a number of type INT\n", "syntax-error", "unknown"),
        # foreman's own words for a process a signal ended, behind its `TIME name.N | `
        ("10:02:11 worker.1 | started with pid 4120\n10:02:12 worker.1 | terminated by "
         "SIGKILL\n10:02:12 system   | sending SIGTERM to all processes\n", "crashed",
         "SIGKILL"),
        # a structured record that says a variable is unset, naming it in a field of its own
        ('{"level":"fatal","ts":1796000000.5,"msg":"missing environment variable",'
         '"key":"REDIS_URL"}\n', "missing-env", "REDIS_URL"),
        ('time="2027-01-05T10:00:00Z" level=fatal msg="environment variable is not set" '
         "var=STRIPE_SECRET\n", "missing-env", "STRIPE_SECRET"),
        # a directory it could not create, no reason said: one it may not write in
        ("org.apache.zookeeper.server.persistence.FileTxnSnapLog$DatadirException: Unable to "
         "create snap directory /var/lib/zk/snap/version-2\n\tat org.apache.zookeeper.server."
         "persistence.FileTxnSnapLog.<init>(FileTxnSnapLog.java:140)\n",
         "permission-denied", "/var/lib/zk/snap/version-2"),
    ],
)
def test_broker_and_supervisor_wording(text: str, kind: str, subject: str) -> None:
    assert first(text) == (kind, subject)


def test_a_refused_tcp_connect_to_a_broker_stays_a_refused_connection() -> None:
    assert first("Error: Connection refused\nconnecting to 10.0.0.4:1884\n") == (
        "connection-refused", "10.0.0.4:1884")
    assert first("Error: connect ECONNREFUSED 10.0.0.4:1884\n") == (
        "connection-refused", "10.0.0.4:1884")


@pytest.mark.parametrize(
    "text",
    [
        'ERROR:  relation "public.orders" does not exist at character 15\n',
        "ERROR 1146 (42S02) at line 1: Table 'shop.orders' doesn't exist\n",
        "Error: the key api.timeout does not exist in the settings\n",
    ],
)
def test_a_name_that_does_not_exist_is_no_missing_file(text: str) -> None:
    assert not diagnose(text) or first(text)[0] != "missing-path"


def test_a_missing_procfile_is_a_file_to_create_not_a_directory() -> None:
    assert "mkdir" not in diagnose("ERROR: Procfile does not exist.\n")[0].fix


@pytest.mark.parametrize(
    ("text", "kind", "subject"),
    [
        # a file named as missing, its name upper case like a variable's: a path, not the env
        ('FATAL:  "/var/lib/pg/16/main" is not a valid data directory\n'
         'DETAIL:  File "/var/lib/pg/16/main/PG_VERSION" is missing.\n',
         "missing-path", "/var/lib/pg/16/main/PG_VERSION"),
        # a bind refused on an address, the port never named: a port below 1024
        ('LOG:  could not bind IPv6 address "::1": Permission denied\n'
         'WARNING:  could not create listen socket for "::1"\n'
         "FATAL:  could not create any TCP/IP sockets\n", "privileged-port", "unknown"),
        ('LOG:  could not bind IPv4 address "0.0.0.0": Permission denied\n',
         "privileged-port", "unknown"),
        # another postmaster's socket on that port, the port only in the lock file's name
        ('FATAL:  lock file "/run/postgresql/.s.PGSQL.5433.lock" already exists\n'
         'HINT:  Is another postmaster (PID 811) using socket file '
         '"/run/postgresql/.s.PGSQL.5433"?\n', "port-in-use", "5433"),
        # a config file's unknown parameter and its syntax, placed by file and line
        ('LOG:  unrecognized configuration parameter "max_conections" in file '
         '"/etc/postgresql/16/main/postgresql.conf" line 64\n'
         'FATAL:  configuration file "/etc/postgresql/16/main/postgresql.conf" contains errors\n',
         "syntax-error", "/etc/postgresql/16/main/postgresql.conf:64"),
        # psql running a script: its errors placed as psql:FILE:LINE
        ("psql:/docker-entrypoint-initdb.d/init.sql:12: ERROR:  syntax error at end of input\n"
         "LINE 1: INSERT INTO users VALUES (\n", "syntax-error",
         "/docker-entrypoint-initdb.d/init.sql:12"),
        ("psql:seed/02-data.sql:7: ERROR:  unterminated quoted string at or near \"'ann\"\n",
         "syntax-error", "seed/02-data.sql:7"),
        # a library postgres was told to preload, not installed: a file it could not find
        ('FATAL:  could not access file "pg_cron": No such file or directory\n',
         "missing-path", "pg_cron"),
        # sqlite's CLI names the database it could not open
        ('Error: unable to open database "/srv/state/jobs.sqlite3": unable to open database '
         "file\n", "missing-path", "/srv/state/jobs.sqlite3"),
        # a unix socket no server made: node's connect ENOENT (pg, mysql2), mysql's client
        ("Error: connect ENOENT /var/run/postgresql/.s.PGSQL.5432\n"
         "    at PipeConnectWrap.afterConnect [as oncomplete] (node:net:1607:16) {\n"
         "  errno: -2,\n  code: 'ENOENT',\n  syscall: 'connect',\n"
         "  address: '/var/run/postgresql/.s.PGSQL.5432'\n}\n",
         "connection-refused", "/var/run/postgresql/.s.PGSQL.5432"),
        ("ERROR 2002 (HY000): Can't connect to local server through socket "
         "'/run/mysqld/mysqld.sock' (2)\n", "connection-refused", "/run/mysqld/mysqld.sock"),
        ("ERROR 2002 (HY000): Can't connect to local MySQL server through socket "
         "'/var/lib/mysql/mysql.sock' (111)\n", "connection-refused", "/var/lib/mysql/mysql.sock"),
        # ... and PDO's, which never names the socket
        ("PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] No such file or "
         "directory in /srv/shop/db.php:8\n", "connection-refused", "unknown"),
    ],
)
def test_database_server_wording(text: str, kind: str, subject: str) -> None:
    assert first(text) == (kind, subject)


def _compose(*lines: tuple[str, str]) -> str:
    """A multi-service log as compose attaches to it: each line behind its service's prefix
    (or none: compose's own lines)."""
    width = max(len(name) for name, _ in lines) + 2
    return "".join(f"{name.ljust(width)}| {text}\n" if name else f"{text}\n"
                   for name, text in lines)


_REFUSED_NODE = ("shop-1", "Error: connect ECONNREFUSED 127.0.0.1:5499")
_REFUSED_PYTHON = ("web_1", "redis.exceptions.ConnectionError: Error 111 connecting to "
                   "127.0.0.1:6390. Connection refused.")


@pytest.mark.parametrize(
    ("text", "kind", "subject"),
    [
        # a database that never started, then its client refused on the port it was to serve
        (_compose(("db-1", 'postgres: could not access directory "/srv/pg/17": No such file or '
                   "directory"), ("", "db-1 exited with code 2"), _REFUSED_NODE, _REFUSED_NODE),
         "missing-path", "/srv/pg/17"),
        # compose v1's prefixes: a worker that needs a variable, a sibling refused by it
        (_compose(("queue_1", "./run.sh: line 4: BROKER_URL: unbound variable"),
                  ("", "queue_1 exited with code 1"), _REFUSED_PYTHON),
         "missing-env", "BROKER_URL"),
        # honcho's time-stamped prefixes, no exit line: the api's syntax error comes first
        ("12:00:01 api.1  | /srv/api/main.rb:9: syntax error, unexpected end-of-input\n"
         "12:00:02 web.1  | Error: connect ECONNREFUSED 127.0.0.1:4567\n"
         "12:00:03 web.1  | Error: connect ECONNREFUSED 127.0.0.1:4567\n",
         "syntax-error", "/srv/api/main.rb:9"),
    ],
)
def test_a_service_that_failed_to_start_explains_the_refusals_of_its_siblings(
        text: str, kind: str, subject: str) -> None:
    assert first(text) == (kind, subject)


@pytest.mark.parametrize(
    "sibling",
    [
        # nothing else failed: a sibling's warning, or its plain chatter, is no cause
        ("db-1", "WARNING: POSTGRES_PASSWORD is not set, defaulting to a blank one"),
        ("db-1", "LOG:  database system is ready to accept connections"),
        # the refused service's own earlier error is no sibling's failure
        ("shop-1", "Error: EACCES: permission denied, open '/srv/shop/cache.json'"),
    ],
)
def test_a_refusal_nothing_else_explains_stays_first(sibling: tuple[str, str]) -> None:
    assert first(_compose(sibling, _REFUSED_NODE, _REFUSED_NODE)) == (
        "connection-refused", "127.0.0.1:5499")


@pytest.mark.parametrize("code", ["137", "139"])
def test_compose_saying_a_service_ended_on_a_signal_explains_the_refusals_after_it(
        code: str) -> None:
    text = _compose(("queue-1", "1:M 01 Jan 2027 10:00:00.000 * Ready to accept connections"),
                    ("", f"queue-1 exited with code {code}"), _REFUSED_NODE, _REFUSED_NODE)
    found = diagnose(text)[0]
    assert (found.kind, found.subject) == ("crashed", code)
    assert code != "137" or "out-of-memory" in found.fix


@pytest.mark.parametrize("sibling", [_REFUSED_NODE, ("db-1", "FATAL:  role \"shop\" does not "
                                                               "exist")])
def test_a_service_killed_when_compose_stops_is_no_cause_of_what_came_before(
        sibling: tuple[str, str]) -> None:
    text = _compose(sibling, ("", "Gracefully stopping... (press Ctrl+C again to force)"),
                    ("", "shop-1 exited with code 137"))
    assert first(text)[0] != "crashed"


def test_a_service_exiting_with_status_1_says_nothing_of_the_refusals_after_it() -> None:
    text = _compose(("", "queue-1 exited with code 1"), _REFUSED_NODE)
    assert first(text) == ("connection-refused", "127.0.0.1:5499")


_URLLIB_REFUSED = ("waiting for http://127.0.0.1:3100/ready: <urlopen error [Errno 111] "
                   "Connection refused>\n")
_REQUESTS_REFUSED = (
    "requests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=3100): Max "
    "retries exceeded with url: /ready (Caused by NewConnectionError('<urllib3.connection."
    "HTTPConnection object at 0x7f3a>: Failed to establish a new connection: [Errno 111] "
    "Connection refused'))\n")


@pytest.mark.parametrize("refused", [_URLLIB_REFUSED, _REQUESTS_REFUSED])
def test_a_client_refused_on_127_0_0_1_while_the_server_listens_on_ipv6_loopback(
        refused: str) -> None:
    assert first("Server running at http://[::1]:3100/\n" + refused) == (
        "loopback-mismatch", "127.0.0.1:3100")
    assert first(_compose(("api_1", "api listening on ::1:3100"),
                          ("worker_1", refused.rstrip("\n")))) == (
        "loopback-mismatch", "127.0.0.1:3100")


@pytest.mark.parametrize("refused", [_URLLIB_REFUSED, _REQUESTS_REFUSED])
def test_a_refusal_on_127_0_0_1_beside_a_server_on_it_stays_refused(refused: str) -> None:
    assert first("Server running at http://127.0.0.1:3100/\n" + refused) == (
        "connection-refused", "127.0.0.1:3100")
    assert first("Server running at http://[::1]:3101/\n" + refused) == (
        "connection-refused", "127.0.0.1:3100")


@pytest.mark.parametrize(
    ("text", "kind", "subject"),
    [
        # redis refusing RESP3's HELLO before AUTH (ioredis 5+, redis-py with protocol=3)
        ("redis.exceptions.ResponseError: NOAUTH HELLO must be called with the client already "
         "authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to "
         "authenticate the client and select the RESP protocol version at the same time\n",
         "auth-failed", "redis"),
        # a CLI naming the database drivers it can use, none installed: the first it names
        ("To connect to MySQL database - please install 'mysql2' driver\n",
         "missing-node-module", "mysql2"),
        ("To connect to SQLite database - please install either of 'better-sqlite3', "
         "'@libsql/client' drivers\n", "missing-node-module", "better-sqlite3"),
        # a plugin refusing the framework version installed beside it (fastify-plugin's check)
        ('{"level":50,"time":1,"err":{"type":"FastifyError","message":"fastify-plugin: '
         "@fastify/helmet - expected '4.x' fastify version, '5.2.0' is installed\","
         '"code":"FST_ERR_PLUGIN_VERSION_MISMATCH"},"msg":"boot failed"}\n',
         "dependency-conflict", "fastify"),
        ("FastifyError [FST_ERR_PLUGIN_VERSION_MISMATCH]: fastify-plugin: fastify-sensible - "
         "expected '3.x' fastify version, '4.0.2' is installed\n", "dependency-conflict",
         "fastify"),
        # yarn Plug'n'Play: a package the project never declared, so never installed for it
        ("Error: Your application tried to access @prisma/client, but it isn't declared in your "
         "dependencies; this makes the require call ambiguous and unsound.\n\n"
         "Required package: @prisma/client (via \"@prisma/client/runtime\")\n",
         "missing-node-module", "@prisma/client"),
    ],
)
def test_node_tooling_wording(text: str, kind: str, subject: str) -> None:
    assert first(text) == (kind, subject)


def _descriptor_read(receiver: str, node: str) -> str:
    return (f"/srv/app/node_modules/typed-view/index.js:12\n"
            f'const getter = Object.getOwnPropertyDescriptor({receiver}.prototype, "growable")'
            ".get;\n" + " " * 80 + "^\n\n"
            "TypeError: Cannot read properties of undefined (reading 'get')\n"
            "    at Object.<anonymous> (/srv/app/node_modules/typed-view/index.js:12:81)\n\n"
            f"Node.js v{node}\n")


def test_reading_a_built_in_accessor_a_newer_node_added_is_the_runtime_version() -> None:
    assert first(_descriptor_read("SharedArrayBuffer", "18.19.0")) == ("runtime-version", "node")


@pytest.mark.parametrize(("receiver", "node"), [("SharedArrayBuffer", "20.11.1"),
                                                ("Widget", "18.19.0")])
def test_a_missing_descriptor_a_node_has_or_of_no_built_in_is_no_runtime_version(
        receiver: str, node: str) -> None:
    assert first(_descriptor_read(receiver, node))[0] != "runtime-version"


@pytest.mark.parametrize(
    ("text", "kind", "subject"),
    [
        # portend (CherryPy's wait for its bind address to be free)
        ("Traceback (most recent call last):\n"
         '  File "/srv/shop/venv/lib/python3.12/site-packages/portend.py", line 126, in free\n'
         "    raise Timeout(\n"
         "portend.Timeout: Port 8443 not free on 0.0.0.0.\n", "port-in-use", "8443"),
        ("[01/Jan/2027:10:00:00] ENGINE Error in 'start' listener <bound method Server.start>\n"
         "cherrypy.process.wspbus.ChannelFailures: Timeout('Port 9090 not free on ::1.')\n",
         "port-in-use", "9090"),
        # poetry run of a program the environment does not have
        ("Command not found: celery\n", "missing-binary", "celery"),
        # uv run on an interpreter older than the project's requires-python
        ("Using CPython 3.10.12 interpreter at: /usr/local/bin/python3.10\n"
         "error: The requested interpreter resolved to Python 3.10.12, which is incompatible "
         "with the project's Python requirement: `>=3.11` (from `project.requires-python`)\n",
         "runtime-version", "python"),
    ],
)
def test_python_tooling_wording(text: str, kind: str, subject: str) -> None:
    assert first(text) == (kind, subject)


def _py_frames(python: str) -> str:
    return ("Traceback (most recent call last):\n"
            f'  File "/srv/shop/venv/lib/{python}/site-packages/waitress/__init__.py", line 9, '
            "in serve\n"
            '  File "/srv/shop/shop/app.py", line 2, in <module>\n')


@pytest.mark.parametrize(
    "text",
    [
        _py_frames("python3.10")
        + "ImportError: cannot import name 'Self' from 'typing' "
        "(/usr/local/lib/python3.10/typing.py)\n",
        _py_frames("python3.9") + "ImportError: cannot import name 'pairwise' from 'itertools' "
        "(unknown location)\n",
        _py_frames("python3.10")
        + "AttributeError: module 'datetime' has no attribute 'UTC'\n",
        _py_frames("python3.9") + "ModuleNotFoundError: No module named 'tomllib'\n",
        _py_frames("python3.10") + "NameError: name 'ExceptionGroup' is not defined\n",
    ],
)
def test_a_standard_library_name_a_later_python_added_is_the_runtime_version(text: str) -> None:
    assert first(text) == ("runtime-version", "python")


@pytest.mark.parametrize(
    "text",
    [  # a Python that has it: the code is wrong, not the runtime
        _py_frames("python3.12") + "ImportError: cannot import name 'Self' from 'typing' "
        "(/usr/local/lib/python3.12/typing.py)\n",
        _py_frames("python3.12") + "AttributeError: module 'itertools' has no attribute "
        "'batched'\n",
        # a file of the project's own shadowing the standard module
        _py_frames("python3.10") + "ImportError: cannot import name 'Self' from 'typing' "
        "(/srv/shop/typing.py)\n",
        # a name no Python added
        _py_frames("python3.10") + "ImportError: cannot import name 'Selfie' from 'typing' "
        "(/usr/local/lib/python3.10/typing.py)\n",
    ],
)
def test_a_standard_library_name_the_running_python_has_is_no_runtime_version(
        text: str) -> None:
    assert first(text)[0] != "runtime-version"


def test_a_nested_settings_field_required_is_the_missing_variable_as_printed() -> None:
    text = ("pydantic_core._pydantic_core.ValidationError: 2 validation errors for AppSettings\n"
            "cache.redis_url\n"
            "  Field required [type=missing, input_value={}, input_type=dict]\n"
            "cache.ttl\n"
            "  Field required [type=missing, input_value={}, input_type=dict]\n")
    assert first(text) == ("missing-env", "cache.redis_url")


def test_a_syntax_error_printed_as_its_message_is_placed_where_it_says() -> None:
    text = ("Traceback (most recent call last):\n"
            '  File "/srv/jobs/venv/lib/python3.12/site-packages/loader/core.py", line 88, '
            "in load\n"
            "    code = compile(source, path, \"exec\")\n"
            "builtins.SyntaxError: invalid syntax (jobs/nightly.py, line 12)\n")
    assert first(text) == ("syntax-error", "jobs/nightly.py:12")


def test_a_missing_module_s_fix_names_its_distribution_in_the_form_pip_normalises() -> None:
    finding = diagnose("ModuleNotFoundError: No module named 'drf_spectacular.views'\n")[0]
    assert (finding.kind, finding.subject) == ("missing-python-module", "drf_spectacular.views")
    assert "pip install drf-spectacular" in finding.fix


@pytest.mark.parametrize(
    ("text", "kind", "subject"),
    [
        # the redis gem's own words (sidekiq logs them behind its pid= tid= prefix)
        ("2027-01-05T10:00:00.000Z pid=77 tid=abc WARN: Redis::CannotConnectError: Error "
         "connecting to Redis on 10.0.0.7:6380 (Errno::ECONNREFUSED)\n",
         "connection-refused", "10.0.0.7:6380"),
        ("/usr/lib/gems/redis-4.8.0/lib/redis/client.rb:398:in `rescue in establish_connection'"
         ": Error connecting to Redis on jobs-cache:6379 (SocketError) "
         "(Redis::CannotConnectError)\n", "unresolvable-host", "jobs-cache"),
        # monolog's StreamHandler
        ("PHP Fatal error:  Uncaught UnexpectedValueException: The stream or file "
         "\"/srv/shop/var/log/prod.log\" could not be opened in append mode: Failed to open "
         "stream: Permission denied\n", "permission-denied", "/srv/shop/var/log/prod.log"),
        # symfony/dotenv
        ("PHP Fatal error:  Uncaught Symfony\\Component\\Dotenv\\Exception\\PathException: "
         "Unable to read the \"/srv/shop/.env.local\" environment file. in "
         "/srv/shop/vendor/symfony/dotenv/Dotenv.php:555\n", "missing-path",
         "/srv/shop/.env.local"),
    ],
)
def test_ruby_and_php_library_wording(text: str, kind: str, subject: str) -> None:
    assert first(text) == (kind, subject)


def _no_acceptor(listening: str) -> str:
    return (f"2027-01-05 10:00:00 +0000 Listening on {listening}, CTRL+C to stop\n"
            "/usr/lib/ruby/vendor_ruby/eventmachine.rb:532:in `start_tcp_server': no acceptor "
            "(port is in use or requires root privileges) (RuntimeError)\n"
            "\tfrom /usr/lib/ruby/vendor_ruby/eventmachine.rb:532:in `start_server'\n")


@pytest.mark.parametrize(
    ("listening", "kind", "subject"),
    [
        ("0.0.0.0:9292", "port-in-use", "9292"),  # no root needed there: another holds it
        ("127.0.0.1:443", "privileged-port", "443"),
    ],
)
def test_eventmachine_s_no_acceptor_reads_the_port_it_was_binding(
        listening: str, kind: str, subject: str) -> None:
    assert first(_no_acceptor(listening)) == (kind, subject)


def test_ruby_s_first_syntax_error_of_a_file_is_the_one_to_fix() -> None:
    text = ("config.ru:3:in `require_relative': /srv/shop/lib/cart.rb:21: syntax error, "
            "unexpected ')' (SyntaxError)\n"
            "/srv/shop/lib/cart.rb:40: syntax error, unexpected end-of-input, expecting `end'\n"
            + RUBY_FRAME)
    assert first(text) == ("syntax-error", "/srv/shop/lib/cart.rb:21")


def test_bundler_finding_only_other_versions_of_a_gem_is_a_version_that_does_not_fit() -> None:
    text = ("/usr/lib/ruby/gems/bundler/resolver.rb:271:in `block in verify': Could not find gem "
            "'rails (>= 7.1, < 8)' in locally installed gems. (Bundler::GemNotFound)\n\n"
            "The source contains the following gems matching 'rails':\n"
            "  * rails-6.1.7\n  * rails-7.0.8\n" + RUBY_FRAME)
    assert first(text) == ("dependency-conflict", "rails")


def test_mysql_s_refusal_without_a_port_takes_the_one_said_for_its_host_long_before() -> None:
    text = ("connecting to mysql://10.1.2.3:3310/orders\n"
            "/srv/app/lib/db.rb:5:in `connect': Can't connect to server on '10.1.2.3' (115) "
            "(Sequel::DatabaseConnectionError)\n" + RUBY_FRAME * 20
            + "/usr/lib/ruby/vendor_ruby/mysql2/client.rb:90:in `connect': Can't connect to "
            "server on '10.1.2.3' (115) (Mysql2::Error::ConnectionError)\n" + RUBY_FRAME)
    assert first(text) == ("connection-refused", "10.1.2.3:3310")


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("cmd/api/assets.go:14:12: pattern web/dist/*: no matching files found\n", "web/dist/*"),
        ("# shop/internal/ui\ninternal/ui/embed.go:9:3: pattern templates/base.tmpl: no matching "
         "files found\n", "templates/base.tmpl"),
    ],
)
def test_a_go_embed_pattern_matching_no_file_is_that_path_missing(text: str, subject: str) -> None:
    assert first(text) == ("missing-path", subject)


@pytest.mark.parametrize(
    "text",
    [
        "cmd/worker/main.go:6:2: package slices is not in GOROOT "
        "(/usr/local/go1.20.14/src/slices)\n",
        "internal/jobs/run.go:5:2: package iter is not in std (/opt/go-1.22/src/iter)\n",
        # no version in the path or the log: the missing standard package is the evidence
        "server.go:3:2: package net/netip is not in GOROOT (/usr/local/go/src/net/netip)\n",
        "$ go version\ngo version go1.20.3 linux/arm64\n"
        "app.go:4:2: package maps is not in GOROOT (/usr/local/go/src/maps)\n",
    ],
)
def test_a_standard_package_a_later_go_added_is_the_runtime_version(text: str) -> None:
    assert first(text) == ("runtime-version", "go")


@pytest.mark.parametrize(
    "text",
    [  # a Go that has it (a broken install), and a package no Go release added
        "main.go:4:2: package log/slog is not in std (/usr/lib/go-1.22/src/log/slog)\n",
        "main.go:4:2: package shop/util is not in GOROOT (/usr/lib/go-1.19/src/shop/util)\n",
        # a toolchain without its sources: the oldest packages are missing too
        "api.go:3:2: package cmp is not in std (/root/sdk/toolchain@v0.0.1-go1.25.1/src/cmp)\n",
        "api.go:3:2: package cmp is not in std (/opt/go/src/cmp)\n"
        "api.go:4:2: package fmt is not in std (/opt/go/src/fmt)\n",
    ],
)
def test_a_standard_package_the_running_go_has_is_no_runtime_version(text: str) -> None:
    assert all(finding.kind != "runtime-version" for finding in diagnose(text))


@pytest.mark.parametrize(
    ("text", "kind", "subject"),
    [
        # pgbouncer: a file its config names, by the setting's name
        ("2027-01-05 10:00:00.000 UTC [311] ERROR could not open auth_hba_file "
         "/etc/pgb/hba.conf: No such file or directory\n", "missing-path", "/etc/pgb/hba.conf"),
        # squid: strerror behind its errno, `(13) Permission denied`
        ("2027/01/05 10:00:00| FATAL: Failed to make swap directory /srv/squid/spool/0A: (13) "
         "Permission denied\n", "permission-denied", "/srv/squid/spool/0A"),
        # varnishd: the OS's words in brackets after the quoted file
        ("Error: Cannot read -f file '/srv/cdn/edge.vcl' (No such file or directory)\n",
         "missing-path", "/srv/cdn/edge.vcl"),
        # dnsmasq: an option it does not take, at line N of FILE
        ("dnsmasq: bad option at line 7 of /srv/dns/lan.conf\n", "syntax-error",
         "/srv/dns/lan.conf:7"),
        # varnishd's VCC compiler: the place under the message
        ("Error:\nMessage from VCC-compiler:\nUnused backend api, defined:\n(program line 3), at\n"
         "('/srv/cdn/edge.vcl' Line 4 Pos 9)\n        backend api {\n\n"
         "Running VCC-compiler failed, exited with 2\nVCL compilation failed\n",
         "syntax-error", "/srv/cdn/edge.vcl:4"),
        # pgbouncer refusing a password over SCRAM, as psql prints it
        ('psql: error: connection to server at "10.0.0.5", port 6432 failed: FATAL:  SASL '
         "authentication failed\n", "auth-failed", "postgres"),
    ],
)
def test_proxy_and_cache_server_wording(text: str, kind: str, subject: str) -> None:
    assert first(text) == (kind, subject)


def _etcd_retry(target: str) -> str:
    return ('{"level":"warn","ts":"2027-01-05T10:00:00.000Z","caller":"clientv3/retry_interceptor'
            '.go:62","msg":"retrying of unary invoker failed","target":"endpoint://client-0b1c/'
            f'{target}","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = latest '
            'balancer error: all SubConns are in TransientFailure"}\n'
            "Error: context deadline exceeded\n")


def test_grpc_s_subconns_in_transient_failure_at_an_address_is_it_refused() -> None:
    assert first(_etcd_retry("10.4.0.9:2379")) == ("connection-refused", "10.4.0.9:2379")


def test_grpc_s_subconns_in_transient_failure_at_a_name_is_no_refusal() -> None:
    # a name may not resolve: the balancer's words do not tell which
    findings = diagnose(_etcd_retry("etcd-0.etcd:2379"))
    assert all(finding.kind != "connection-refused" for finding in findings)
