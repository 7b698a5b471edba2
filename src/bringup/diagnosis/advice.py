"""The advice for each kind, as the sentence a finding carries in its `fix`: concrete, naming
the command or recipe key to change."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

from .finding import UNKNOWN
from .modules import pip_spelling
from .packages import packages_for

Advice = Callable[[str], str]

# Commands that come from a project's own dependencies rather than the system.
# fmt: off
_NODE_TOOLS = frozenset({
    "nodemon", "next", "vite", "tsc", "ts-node", "tsx", "webpack", "jest", "eslint",
    "prettier", "concurrently", "react-scripts", "nest", "vue-cli-service", "ng", "parcel",
    "rollup", "esbuild", "pm2",
})
_PYTHON_TOOLS = frozenset({
    "gunicorn", "uvicorn", "celery", "flask", "alembic", "hypercorn", "daphne",
    "waitress-serve", "pytest", "django-admin", "streamlit", "dramatiq", "rq", "huey_consumer",
})
# fmt: on
_AUTH = {
    "postgres": "use the user and password the postgres server knows in the service's "
    "DATABASE_URL (or PGUSER/PGPASSWORD), or create that role (createuser -P NAME)",
    "mosquitto": "use the username and password the MQTT broker knows (mosquitto's "
    "password_file, written with mosquitto_passwd) in the service's env, or add that user",
    "redis": "put the redis password in the service's REDIS_URL "
    "(redis://:PASSWORD@127.0.0.1:6379/0) or make it match the server's requirepass",
}
# What a shell's or the kernel's exit status already says about a crash.
_KILLED = ("it was killed by SIGKILL, which is usually the kernel's out-of-memory killer (see "
           "`dmesg`): give it more memory or make it use less; ")
_SEGV = ("it crashed on a segmentation fault (SIGSEGV), in the runtime or a native library "
         "(a wheel built for another system, a C extension); ")
_ABORT = ("it aborted (SIGABRT: a failed assertion or a fatal error of the runtime or a native "
          "library; the lines above it say which); ")
_TERM = "it was stopped by SIGTERM from outside it (a supervisor, a timeout, a deploy); "
_STATUS_HINTS = {
    "126": "the command is not executable (chmod +x it); ",
    "127": "the command was not found (check the recipe's command and PATH); ",
    **dict.fromkeys(("137", "signal 9", "Killed", "killed", "SIGKILL", "OOMKilled"), _KILLED),
    **dict.fromkeys(("139", "signal 11", "Segmentation fault", "segmentation fault", "SIGSEGV"),
                    _SEGV),
    **dict.fromkeys(("134", "signal 6", "Aborted", "aborted", "SIGABRT"), _ABORT),
    **dict.fromkeys(("143", "signal 15", "Terminated", "terminated", "SIGTERM"), _TERM),
    "0": ("it exited with status 0 where it should keep running: a command that forks to the "
          "background (run it in the foreground) or one that only does a task (a oneshot); "),
}
_CODE_SUFFIXES = frozenset({".py", ".js", ".mjs", ".cjs", ".ts", ".sh", ".rb", ".jar"})
_SCRIPT_SUFFIXES = frozenset({"", ".sh", ".bash", ".py", ".js", ".rb", ".pl", ".cjs", ".mjs"})


def python_module(module: str) -> str:
    dist = pip_spelling(module)
    return (
        f"install {dist} into the service's venv (pip install {dist}) "
        "and add it to the recipe's needs"
    )


def node_module(package: str) -> str:
    return (
        f"install {package} in the service's folder (npm install {package}; npm ci if it is "
        "already in package.json) and add package.json to the recipe's needs"
    )


def pnp_undeclared(package: str) -> str:
    return (
        f"declare {package} in the service's package.json (yarn add {package}): yarn's "
        "Plug'n'Play lets code require only the packages it declares; then add package.json "
        "to the recipe's needs"
    )


def binary(name: str) -> str:
    if name in _NODE_TOOLS:
        return f"run npm install in the service's folder ({name} comes from node_modules/.bin)"
    if name in _PYTHON_TOOLS:
        return f"install {name} into the service's venv (pip install {name})"
    packages = packages_for(name)
    apt, brew = packages.get("apt", name), packages.get("brew", name)
    return (
        f"install {name} (apt install {apt} / brew install {brew}) "
        f'and add binary = "{name}" to the recipe\'s needs'
    )


def supervised_program(program: str) -> str:
    """A supervisor (monit) was told to start a program that is not there."""
    if "/" not in program:
        return binary(program)
    return (
        f"{program} does not exist: install the program there, or point the supervisor's "
        "start command (monit's `start program`) at where it is installed"
    )


def dependency(package: str) -> str:
    return (
        f"pin {package} to a version the packages that depend on it accept (the log's "
        "'depends on', 'requires' or npm's 'peer ... from' line gives the range) in the "
        "service's requirements or package.json, then reinstall"
    )


def gem_version(gem: str) -> str:
    return (f"install a {gem} the Gemfile's requirement accepts (bundle install; bundle update "
            f"{gem} if Gemfile.lock pins it), or loosen the requirement to the {gem} installed")


def paho_callback_api(package: str) -> str:
    return (
        f"the code is written for another major version of {package} than the one installed "
        "(2.0 made mqtt.Client's first argument a CallbackAPIVersion): pin it to the major "
        "version the code uses (paho-mqtt<2 for code passing a client id first) in the "
        "service's requirements and reinstall, or port the code (paho's docs/migrations.rst)"
    )


def binary_incompatible(package: str) -> str:
    return (
        f"a compiled package was built against another {package} than the one installed (pandas "
        f"1.x built for NumPy 1 under NumPy 2, say): pin {package} to the version it was built "
        f"for (numpy<2) or upgrade that package to a release built for this {package}, in the "
        "service's requirements, then reinstall"
    )


def externally_managed(status: str) -> str:
    return (
        "pip refuses to install into the system's Python, which its OS package manager owns "
        "(PEP 668): create a venv (python3 -m venv .venv) and install with its pip, or use "
        "pipx for an application; " + crashed(status)
    )


def pydantic_moved(_package: str) -> str:
    return (
        "the code is written for pydantic 1 and pydantic 2 is installed: pin pydantic<2 in the "
        "service's requirements and reinstall, or port the code (the log's line says where the "
        "name went, e.g. BaseSettings to the pydantic-settings package)"
    )


def interpreter(name: str) -> str:
    return (
        f"install {name} or fix the script's #! line; a trailing ^M there means Windows line "
        "endings (convert the script with dos2unix)"
    )


def env(variable: str) -> str:
    return f"set {variable} in the recipe's env or env_file"


def unnamed_env(_variable: str) -> str:
    return ("set the environment variable the program reads there (the log does not name it: "
            "the first frame of its stack trace is the line that reads it) in the recipe's env "
            "or env_file")


def env_maybe_named(variable: str) -> str:
    """For a wording that names the variable only sometimes (Rust's `NotPresent`)."""
    return unnamed_env(variable) if variable == UNKNOWN else env(variable)


def npm_script(script: str) -> str:
    return (
        f'add a "{script}" script to package.json, or change the recipe\'s command to a '
        "script that exists (npm run lists them)"
    )


_RUNTIMES = {
    "python": "recreate the service's venv with a Python that satisfies the project's "
    "requires-python (e.g. python3.12 -m venv .venv, or uv venv --python 3.12)",
    "node": "install the node version package.json's engines asks for (nvm install / fnm use) "
    "and put it first on PATH",
    "go": "install the Go version go.mod's go line asks for (or set GOTOOLCHAIN=auto) and put "
    "it first on PATH",
    "ruby": "install the Ruby the Gemfile's ruby line names (rbenv install / ruby-install) and "
    "put it first on PATH, or change that line to the Ruby installed here",
    "java": "run it on the Java the classes were built for (class file version 61 is Java 17, "
    "65 Java 21: JAVA_HOME and PATH), or build them for this runtime (javac --release N, "
    "maven.compiler.release, Gradle's toolchain)",
}


def runtime(name: str) -> str:
    return _RUNTIMES.get(name, f"install the {name} version the project asks for and put it "
                         "first on PATH")


def esm_only(package: str) -> str:
    return (
        f"{package} is an ES module only since a major version: pin its last CommonJS major in "
        f"package.json (chalk 4, node-fetch 2, got 11, execa 5 ...), or load it with "
        f"await import('{package}'), or run Node 22.12 or later, whose require() loads ES modules"
    )


def offline_package(package: str) -> str:
    return (
        f"npm ran offline (npx --offline, --prefer-offline or cache=only-if-cached) and {package} "
        f"is neither installed nor in its cache: install it in the service's folder while online "
        f"(npm install {package}) and add package.json to the recipe's needs, or let npm reach "
        "the registry"
    )


def module_format(status: str) -> str:
    return (
        "the file uses ES module syntax (import/export) in a package Node reads as CommonJS: "
        'set "type": "module" in its package.json, rename it to .mjs, or use require(); '
        + crashed(status)
    )


def openssl(_runtime: str) -> str:
    return (
        "Node 17 and later ship OpenSSL 3, which refuses the md4 hash old webpack (4) and "
        "react-scripts (4) use: upgrade them (webpack 5), or set "
        "NODE_OPTIONS=--openssl-legacy-provider in the recipe's env, or run Node 16"
    )


def daemonized(command: str) -> str:
    return (
        f"make {command} stay in the foreground so bringup can supervise it "
        "(redis-server --daemonize no, postgres -D DIR instead of pg_ctl start, "
        "nginx -g 'daemon off;', pm2-runtime instead of pm2 start, no --daemon/-D/--detach flag)"
    )


def missing_path(target: str) -> str:
    path = PurePosixPath(target)
    if path.name == "package.json" or path.suffix in _CODE_SUFFIXES:
        # A program or manifest is not created from nothing: the command or cwd is wrong.
        return f"{target} does not exist: point the recipe's command and cwd at where it is"
    # .env is a file too, and so are Procfile, Gemfile, Makefile
    if path.suffix or path.name.startswith(".") or (path.name[:1].isupper()
                                                     and path.name.endswith("file")):
        return (
            f"create {target} (copy it from its template if there is one) or fix the path; "
            "list it under the recipe's paths"
        )
    return missing_dir(target)


def lockfile(target: str) -> str:
    return (
        "run the install without its frozen-lockfile mode once (npm install, pnpm install) so it "
        f"writes {target}, and commit it; or make the recipe's command that install"
    )


def sqlite_file(_target: str) -> str:
    return (
        "sqlite could not open or create its database file: create the directory the database "
        "URL's path is in (relative paths count from the recipe's cwd) and make it writable by "
        "the service's user; list it under the recipe's paths"
    )


def alembic_config(_target: str) -> str:
    return (
        "alembic found no alembic.ini (or one without script_location) where it ran: set the "
        "recipe's cwd to the folder that holds it, or pass -c PATH/alembic.ini"
    )


def alembic_scripts(target: str) -> str:
    return (
        f"alembic.ini's script_location names {target}, which does not exist: point "
        "script_location at the migrations folder the project has (or create one with alembic "
        "init), and list it under the recipe's paths"
    )


def missing_dir(target: str) -> str:
    return f"create the directory {target} (mkdir -p {target}) or fix the recipe's cwd"


def shell_permission(target: str) -> str:
    """A shell refused to run it: usually a script without its exec bit, unless it names a
    data file (a redirect into a log, say)."""
    if PurePosixPath(target).suffix in _SCRIPT_SUFFIXES:
        return executable(target)
    return writable(target)


def file_permission(target: str) -> str:
    """A program refused to open it: usually a file or directory it writes to."""
    if PurePosixPath(target).suffix in _SCRIPT_SUFFIXES - {""}:
        return executable(target)
    return writable(target)


def executable(target: str) -> str:
    return f"chmod +x {target} (and list it under the recipe's permissions as executable)"


def writable(target: str) -> str:
    return (
        f"make {target} writable by the user the service runs as (chown or chmod u+w), "
        "and list it under the recipe's permissions as writable"
    )


def data_dir_mode(target: str) -> str:
    return f"chmod 700 {target} (postgres refuses a data directory other users can read)"


def cookie_mode(target: str) -> str:
    return f"chmod 600 {target} (Erlang refuses a cookie file others can read)"


def data_dir_owner(target: str) -> str:
    return f'chown -R postgres {target} and set user = "postgres" in the recipe'


def port_in_use(port: str) -> str:
    if port == UNKNOWN:
        return "free the port the service binds or pick another port"
    return f"free port {port} or pick another port (lsof -i :{port} shows who holds it)"


def privileged_port(port: str) -> str:
    if port == UNKNOWN:  # the log never says which: the one the recipe's command binds
        return "use a port above 1023 instead of the one it binds (ports below need root)"
    return f"use a port above 1023 instead of {port} (ports below need root)"


def privileged_or_taken(port: str) -> str:
    """A bind error that does not say whether root was wanted or the port was taken."""
    return (f"{privileged_port(port)}; if it already runs as root, another program holds "
            f"port {port} (lsof -i :{port} shows who)")


def deno_permission(access: str) -> Advice:
    """deno refused what its command line did not grant: the flag that grants it."""
    def advice(wanted: str) -> str:
        narrow = "" if wanted == UNKNOWN else f" (or only what it needs: --allow-{access}={wanted})"
        return (f"add --allow-{access} to the recipe's deno command{narrow}: deno refuses "
                f"{access} access its command line does not grant")
    return advice


def unresolvable(host: str) -> str:
    if host == UNKNOWN:
        return (
            "use 127.0.0.1 instead of the host name in the service's URLs "
            "(a compose service name does not resolve outside compose)"
        )
    return (
        f"use 127.0.0.1 instead of the host name {host} "
        "(a compose service name does not resolve outside compose)"
    )


def refused(target: str) -> str:
    if target == UNKNOWN:
        return "start the service it connects to first, or add that service to `after`"
    return f"start the service that owns {target} first, or add it to `after`"


def auth(service: str) -> str:
    return _AUTH.get(
        service,
        f"use the credentials the {service} server expects in the "
        "service's env (the URL or user/password variables)",
    )


def database(name: str) -> str:
    return (
        f"create the database {name} (postgres: createdb {name}; mysql: CREATE DATABASE "
        f"{name}), e.g. in a oneshot recipe that runs after the database server"
    )


def vhost(name: str) -> str:
    return (
        f"create the RabbitMQ vhost {name} (rabbitmqctl add_vhost {name}) and give the user "
        f"access to it (rabbitmqctl set_permissions -p {name} USER '.*' '.*' '.*'), e.g. in a "
        "oneshot recipe that runs after the broker"
    )


def syntax(location: str) -> str:
    return f"fix the syntax error at {location} (the log shows the offending line)"


def redis_directive(_location: str) -> str:
    return ("fix the line of the config file redis-server was given that the log quotes after "
            "'>>>' (a misspelled directive, or the wrong number of arguments for it)")


def redis_log_file(_target: str) -> str:
    return ("make the file redis-server's `logfile` (or --logfile) names openable by the user it "
            "runs as (the log does not say which): its directory must exist and be writable")


def config_option(_location: str) -> str:
    return ("fix the option the log quotes as unknown (a misspelled name in the server's config "
            "file, such as my.cnf, or on its command line), or remove it")


def config_value(_location: str) -> str:
    return ("fix the value the log quotes in the service's config file (a number with a stray "
            "character or space, say): the program could not parse it")


def crlf(location: str) -> str:
    if location == UNKNOWN:
        return ("the script run has Windows line endings (CRLF): its #! line names its "
                "interpreter with a carriage return after it; convert it to Unix ones "
                "(dos2unix FILE, or sed -i 's/\\r$//' FILE) and set `* text=auto eol=lf` in "
                ".gitattributes")
    file = location.rpartition(":")[0] or location
    return (f"{file} has Windows line endings (CRLF): each line's last word ends in a carriage "
            f"return; convert it to Unix ones (dos2unix {file}, or sed -i 's/\\r$//' {file}) and "
            "set `* text=auto eol=lf` in .gitattributes")


def shell_option(location: str) -> str:
    file = location.rpartition(":")[0] or location
    return (f"{file} uses a shell option this sh does not have (set -o pipefail is bash's; "
            f"dash and older sh lack it): run it with bash (#!/bin/bash, or bash {file}) or drop "
            "the option")


def loopback(target: str) -> str:
    host, _, port = target.rpartition(":")
    other = "127.0.0.1" if ":" in host.strip("[]") else "[::1]"
    return (f"{target} is one loopback address and the service listens on the other: reach it "
            f"at {other}:{port} (an IP instead of localhost in the URL and the recipe's checks), "
            "or make it listen on both (:: or both addresses); if nothing listens on "
            f"{other}:{port} either, start the service first")


def root_postgres(_status: str) -> str:
    return (
        'run postgres as a non-root user: set user = "postgres" in the recipe '
        "(bringup gives that user the data directory)"
    )


def not_runnable(status: str) -> str:
    return (
        "the shell could not run the script the evidence names: either it does not exist there "
        "(check the recipe's cwd and command, and that the image copies it), or its #! line "
        "names an interpreter that does not exist, often one ending in a carriage return from "
        "Windows line endings (dos2unix the script); " + crashed(status)
    )


def out_of_memory() -> str:
    return ("it ran out of memory, as the log says: give it a larger heap or memory limit "
            "(java -Xmx, node --max-old-space-size, the container's memory) or make it use less "
            "(load less at once); ")


def crashed(status: str) -> str:
    return _STATUS_HINTS.get(status, "") + (
        "read the evidence line and the log above it (bringup logs SERVICE), fix that cause, "
        "then run bringup next again"
    )
