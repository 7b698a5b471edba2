"""The rule table: which log line means which finding. Most specific first; the first rule
that matches a line (and names a subject) owns it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from . import advice, golang, nodejs, stdlib
from . import subjects as s
from .advice import Advice
from .subjects import Nearby, Subject


@dataclass(frozen=True)
class Rule:
    kind: str
    needles: tuple[str, ...]  # lower-case literals, one of which the line must hold: the cheap test
    regex: str
    advice: Advice
    subject: Subject
    nearby: Nearby | None = None
    root: bool = False  # a cause that explains the others of the log: ranked before them
    # says only that a process ended (a runner's word): ranked after the errors, but before
    # the refusals that follow it
    ended: bool = False

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Compiled when a line first holds one of its needles: compiling the whole table costs
        more than a hundred milliseconds, which every command that imports it would pay."""
        return re.compile(self.regex)


def rule(
    kind: str,
    needles: str | tuple[str, ...],
    regex: str,
    advice: Advice,
    subject: Subject | None = None,
    *,
    nearby: Nearby | None = None,
    root: bool = False,
    ended: bool = False,
) -> Rule:
    found = (needles,) if isinstance(needles, str) else needles
    return Rule(kind, found, regex, advice, subject or s.named(), nearby, root, ended)


_UNRESOLVED = (
    r"(?:Name or service not known|nodename nor servname provided, or not known"
    r"|Temporary failure in name resolution|No address associated with hostname)"
)
_ENV_MISSING = ("not set", "must be set", "is required", "is missing", "not defined")
# A program's own words for a file it could not use, then the OS's: Perl's `$!`, Rust's
# io::Error (Display `... (os error 2)`, Debug `Os { code: 2, kind: NotFound, ... }`).
_COULD_NOT = r"\b(?i:can't|cannot|could not|couldn't|unable to|failed to) "
_COULD_NOT_NEEDLES = ("can't ", "cannot ", "could not ", "couldn't ", "unable to ", "failed to ")
# The path a line ends with, after the verb and a few words (`lock wal dir /srv/wal`), a
# purpose (`for writing`) and a full stop
_PATH_LAST = (r"(?i:[a-z]+ ){1,4}?['\"`]?(?P<subject>(?:\.{0,2}/|[\w.-]+/)[^\s'\"`]*?)['\"`]?"
              r"(?: for \w+)?\.?\s*$")
_A_FILE = (r"\w*(?: [a-z][a-z_]*){0,2}?:? ['\"`]?(?P<subject>[^\s'\"`:]*[./][^\s'\"`:]*?)['\"`]?:? "
           r"(?:\(\d+\) )?")  # squid's errno before strerror: `(13) Permission denied`
# The OS's words for ENOENT and EACCES: strerror's, djb's (runit, daemontools: `file does not
# exist`, `access denied`), Rust's io::Error Debug.
_ENOENT = r"(?:No such file or directory|file does not exist|Os \{ code: 2\b)"
_EACCES = r"(?:Permission denied|access denied|Os \{ code: 13\b)"
_PG = s.literal("postgres")
_EXEC_NEEDLES = ("failed: no such file or directory", "failed to execute", "failed to run command")
_EXEC_FAILED = (r"(?:\bexec |\bfailed to execute |\bfailed to run command ['\u2018]?)"
                r"(?P<subject>[^\s:'\u2019]+)(?:['\u2019]| failed)?: ")
_REDIS = s.literal("redis")

# fmt: off
RULES: tuple[Rule, ...] = (
    # A script with Windows line endings: every shell then fails on a word ending in a CR, which
    # explains the "not found" and "can't cd" of that very line (rules below would misread it).
    rule("syntax-error", ("\r", "\\r'"),
         r"^(?P<file>[^\s:]+): (?:\S+: )?(?:line )?(?P<line>\d+): .*(?:\r|\$'[^']*\\r')",
         advice.crlf, s.file_line, root=True),
    # ... and a #! line with one, through env: `env: 'bash\r': No such file or directory`.
    rule("syntax-error", ("\\r\u2019", "\\r'", '\\r"'),
         r"\benv: ['\u2018\"]?[^'\u2019\"\s:]+(?:\\r|\r)['\u2019\"]?: No such file or directory",
         advice.crlf, s.unknown, root=True),
    # A shell option another shell has (`set -o pipefail` under dash): a script for bash.
    rule("syntax-error", ("illegal option", "invalid option name"),
         r"^(?P<file>[^\s:]+): (?:line )?(?P<line>\d+): set: (?:[Ii]llegal option -o"
         r"|\w+: invalid option name)"
         r"|^(?P<bfile>[^\s:]+): set: line (?P<bline>\d+): illegal option",
         advice.shell_option, s.shell_file_line),
    # A shell's own syntax errors: dash's "x.sh: 5: Syntax error: ...", bash's and busybox's
    # "x.sh: line 5: syntax error ...".
    rule("syntax-error", "syntax error",  # and ruby's "app.rb:8: syntax error, ..."
         r"^(?P<file>[^\s:]+):(?: line | )?(?P<line>\d+): [Ss]yntax error\b", advice.syntax,
         s.first_syntax_error),
    # ... and ruby's when it follows the `in 'require_relative': ` of the file that loaded it
    rule("syntax-error", "syntax error",
         r":in [`'][^`']+': (?P<file>[^\s:]+):(?P<line>\d+): syntax error\b", advice.syntax,
         s.file_line),
    rule("syntax-error", ".java:",  # javac
         r"^(?P<file>\S+\.java):(?P<line>\d+): error: ", advice.syntax, s.file_line),
    # the JVM's other parsers and compilers: Xerces (any JAXP parser, Tomcat's Digester) names
    # the file by its URL; Maven its POM or settings; Groovy's compiler (Gradle's build scripts
    # too) and kotlinc (alone, or the Kotlin Gradle plugin's `e:` lines) in their parsers' words;
    # Clojure's reader and its syntax checks
    rule("syntax-error", "saxparseexception",
         r"SAXParseException(?:; publicId: [^;]*)?; systemId: (?P<file>[^;]+); "
         r"lineNumber: (?P<line>\d+);", advice.syntax, s.url_file_line),
    rule("syntax-error", "non-parseable ",
         r"Non-parseable (?i:POM|settings|toolchains) (?P<file>\S+?): .*@ line (?P<line>\d+), "
         r"column \d+", advice.syntax, s.file_line),
    rule("syntax-error", "@ line ",
         r"^\s*(?:(?:build|settings) file |(?:initialization )?script )?'?(?P<file>[^'\s][^']*?)'?"
         r": (?P<line>\d+): (?i:unexpected|expecting)\b.*@ line \d+, column \d+\.",
         advice.syntax, s.file_line),
    rule("syntax-error", (".kt:", ".kts:"),
         r"^(?:e: (?:file://)?)?(?P<file>\S+\.kts?):(?: \()?(?P<line>\d+)(?::|, )\d+\)?:? "
         r"(?:error: )?(?i:expecting|unexpected|unclosed|missing)\b", advice.syntax, s.file_line),
    rule("syntax-error", "syntax error",
         r"\bSyntax error (?:reading source|macroexpanding \S+|compiling(?: \S+)?) at "
         r"\((?P<file>[^\s():]+):(?P<line>\d+):\d+\)", advice.syntax, s.file_line),
    # deno's parse of a module (not a SyntaxError its code threw: that one is `Uncaught`), placed
    # by the `at file:///...:8:30` under its code block; deno 1's in one line
    rule("syntax-error", ("error: syntaxerror: ", "source code could not be parsed"),
         r"^error: SyntaxError: |The module's source code could not be parsed: .* at "
         r"(?P<file>file://\S+?):(?P<line>\d+):\d+\s*$", advice.syntax, s.parse_location),
    rule("syntax-error", ": error: ",  # esbuild (tsx, vite)
         r"^(?P<file>\S+\.[cm]?[jt]sx?):(?P<line>\d+):\d+: ERROR: (?:Expected|Unexpected"
         r"|Unterminated)", advice.syntax, s.file_line),
    rule("syntax-error", "error ts1",  # tsc: TS1xxx are the parser's (TS2xxx, types: no kind)
         r"^(?P<file>[^\s(]+\.[cm]?tsx?)\((?P<line>\d+),\d+\): error TS1\d{3}:", advice.syntax,
         s.file_line),
    rule("syntax-error", "error ts1",  # tsc --pretty
         r"^(?P<file>\S+\.[cm]?tsx?):(?P<line>\d+):\d+ - error TS1\d{3}:", advice.syntax,
         s.file_line),
    rule("syntax-error", ("error[e", "error: "),  # rustc: its place on the ` --> ` line below
         r"^error(?:\[E\d{4}\])?: ", advice.syntax, s.rustc_location),
    rule("syntax-error", ("syntax error at", "missing right curly"),  # perl
         r"^(?:syntax error|Missing right curly or square bracket) at (?P<file>\S+) "
         r"line (?P<line>\d+)\b", advice.syntax, s.file_line),
    rule("syntax-error", ("syntaxerror", "tokenmissingerror", "mismatcheddelimitererror",
                          "compileerror"),  # elixir
         r"\*\* \((?:SyntaxError|TokenMissingError|MismatchedDelimiterError|CompileError)\) "
         r"(?:(?:invalid syntax found|token missing|mismatched delimiter found) on )?"
         r"(?P<file>[^\s:]+):(?P<line>\d+)\b", advice.syntax, s.file_line),
    # needs: runtime versions, modules, commands, variables, scripts
    rule("runtime-version", "is incompatible with this module",
         r'The engine "(?P<subject>[\w-]+)" is incompatible with this module', advice.runtime),
    rule("runtime-version", ("notsup", "ebadengine"),
         r"npm (?:ERR!|error) (?:code EBADENGINE|engine Unsupported engine|notsup Required:"
         r"|notsup Unsupported engine)|npm WARN EBADENGINE +(?:Unsupported engine|required:)",
         advice.runtime, s.engine),
    rule("runtime-version", "python",
         r"requires a different Python|(?i:requires python)\s*['\"]?[<>=~!]*\s*\d"
         r"|Python \d+\.\d+(?:\.\d+)?\+?(?: or (?:later|newer|higher))? is required",
         advice.runtime, s.literal("python")),
    rule("runtime-version", "python requirement",  # uv's interpreter against requires-python
         r"\bincompatible with the \S+ Python requirement",
         advice.runtime, s.literal("python")),
    rule("runtime-version", "node.js",
         r"requires Node\.js|Node\.js (?:version )?[\s>=^~v\d.+]*is required",
         advice.runtime, s.literal("node")),
    # syntax newer than the interpreter parses: the code is right, the runtime too old
    rule("runtime-version", "syntaxerror", r"^\s*SyntaxError\b", advice.runtime,
         s.python_syntax),
    rule("runtime-version", "syntaxerror",
         r"^\s*SyntaxError: (?:Unexpected token (?P<token>'[^']*')|Invalid or unexpected token"
         r"|Unexpected identifier|Private field|Unexpected character '#')", advice.runtime,
         s.node_syntax),
    # what a Node release added, missing from an older one: built-in modules, globals, methods,
    # top-level await, command-line options; and what Node 17's OpenSSL 3 took away
    rule("runtime-version", "cannot find module",
         r"Cannot find module '(?P<subject>[^'./][^']*)'", advice.runtime, nodejs.builtin_module),
    rule("runtime-version", "no such built-in module",
         r"No such built-in module: (?P<subject>node:\S+)", advice.runtime,
         nodejs.builtin_module),
    rule("runtime-version", "referenceerror",
         r"^\s*(?:Uncaught )?ReferenceError: (?P<subject>\w+) is not defined", advice.runtime,
         nodejs.global_name),
    rule("runtime-version", "is not a function",
         r"TypeError: (?P<subject>[\w$.]+) is not a function", advice.runtime, nodejs.method),
    rule("runtime-version", "cannot read propert",
         r"^\s*TypeError: Cannot read propert(?:ies of undefined \(reading '\w+'\)"
         r"|y '\w+' of undefined)", advice.runtime, nodejs.accessor),
    rule("runtime-version", "unexpected reserved word",
         r"^\s*SyntaxError: Unexpected reserved word", advice.runtime, nodejs.top_level_await),
    # what a Python release added to its standard library, met on an older one
    rule("runtime-version", "cannot import name",
         r"cannot import name '(?P<name>\w+)' from '(?P<module>[\w.]+)' \((?P<path>[^)]*)\)",
         advice.runtime, stdlib.imported_name),
    rule("runtime-version", "attributeerror: module",
         r"^\s*AttributeError: module '(?P<module>[\w.]+)' has no attribute '(?P<name>\w+)'",
         advice.runtime, stdlib.attribute),
    rule("runtime-version", "nameerror: name",
         r"^\s*NameError: name '(?P<name>\w+)' is not defined", advice.runtime, stdlib.builtin),
    rule("runtime-version", "no module named",
         r"No module named '(?P<module>[\w.]+)'", advice.runtime, stdlib.module),
    rule("runtime-version", ("unsupportedclassversionerror", "unsupported major.minor"),  # java
         r"UnsupportedClassVersionError: .*(?:compiled by a more recent version of the Java "
         r"Runtime|Unsupported major\.minor version)", advice.runtime, s.literal("java")),
    rule("runtime-version", "but your gemfile specified",  # bundler
         r"Your Ruby version is \S+, but your Gemfile specified", advice.runtime,
         s.literal("ruby")),
    rule("runtime-version", "bad option", r"^node: bad option: --", advice.runtime,
         s.literal("node")),
    rule("runtime-version", "err_pnpm_unsupported_engine", r"\bERR_PNPM_UNSUPPORTED_ENGINE\b",
         advice.runtime, nodejs.refused_engine),
    rule("runtime-version", ("err_ossl_evp_unsupported", "digital envelope routines"),
         r"\bERR_OSSL_EVP_UNSUPPORTED\b|digital envelope routines::unsupported", advice.openssl,
         s.literal("node"), root=True),
    rule("runtime-version", ("is not in goroot", "is not in std"),  # go build's imports
         r"\bpackage (?P<package>[\w./]+) is not in (?:GOROOT|std) \((?P<path>[^)]*)\)",
         advice.runtime, golang.package),
    rule("runtime-version", "requires go",  # go 1.20 and earlier; then go 1.21's toolchain line
         r"note: module requires Go \d|requires go >= ?\d[\d.]* \(running go", advice.runtime,
         s.literal("go"), root=True),
    # installed packages that do not fit each other: an import an upgrade removed, a pin pip
    # cannot satisfy next to another package's range
    rule("dependency-conflict", "cannot import name",
         r"cannot import name '[^']+' from '(?P<subject>[\w]+)[\w.]*' \(\S*[/\\]"
         r"(?:site|dist)-packages[/\\]", advice.dependency),
    rule("dependency-conflict", "attributeerror: module",  # raised in another installed package
         r"^\s*AttributeError: module '(?P<subject>[\w.]+)' has no attribute '",
         advice.dependency, s.foreign_module),
    # an extension module built against another ABI: Cython's type-size check names the type's
    # module (numpy.dtype), NumPy 2 says it of modules compiled for NumPy 1.x
    rule("dependency-conflict", ("may indicate binary incompatibility", "compiled using numpy",
                                 "but this version of numpy is"),
         r"\b(?P<subject>[A-Za-z_]\w*)(?:\.\w+)+ size changed, may indicate binary "
         r"incompatibility|(?P<numpy>compiled using NumPy) 1\.x cannot be run in"
         r"|module compiled against (?:ABI|API) version \S+ but this version of (?P<np>numpy) is",
         advice.binary_incompatible, s.abi_module),
    # paho-mqtt 2 made Client's first argument a CallbackAPIVersion: code for the other major
    rule("dependency-conflict", ("unsupported callback api version", "callbackapiversion"),
         r"\bUnsupported callback API version\b|has no attribute 'CallbackAPIVersion'",
         advice.paho_callback_api, s.literal("paho-mqtt")),
    rule("dependency-conflict", "pydanticimporterror",  # pydantic 1's code under pydantic 2
         r"PydanticImportError: .* has been (?:moved|removed)", advice.pydantic_moved,
         s.literal("pydantic")),
    # bundler: no installed version of a gem fits the Gemfile's requirement, though others do
    rule("dependency-conflict", "the source contains the following gems matching",
         r"^The source contains the following gems matching '(?P<subject>[\w.-]+)':",
         advice.gem_version),
    rule("dependency-conflict", "the user requested",
         r"^\s*The user requested (?P<subject>[A-Za-z0-9][\w.-]*)(?:\[[^]]*\])?\s*[=<>~!]",
         advice.dependency, s.lowered),
    rule("dependency-conflict", "found: ",  # npm's ERESOLVE: the installed one outside a range
         r"^npm (?:ERR!|error) Found: (?P<subject>(?:@[\w.-]+/)?[\w.-]+)@", advice.dependency,
         s.npm_resolving),
    # a plugin checking the framework installed beside it (fastify-plugin: `@fastify/cors -
    # expected '5.x' fastify version, '4.29.1' is installed`): the framework's version
    rule("dependency-conflict", "version, '",
         r"\bexpected '[^']+' (?P<subject>(?:@[\w.-]+/)?[a-z0-9][\w.-]*) version, '[^']+' is "
         r"installed\b", advice.dependency),
    # a package that went ES-module only, required from CommonJS
    rule("dependency-conflict", ("of es module", "load es module"),
         r"(?:require\(\) of ES Module|Must use import to load ES Module:) \S*node_modules[/\\]"
         r"(?P<subject>(?:@[^/\\\s]+[/\\])?[^/\\\s]+)", advice.esm_only),
    # pip refusing a Python its OS owns (PEP 668): no kind fits, the fix is a venv
    rule("crashed", "externally-managed-environment",
         r"(?:^|\s)error: externally-managed-environment\b", advice.externally_managed,
         s.said_status),
    # ES module syntax in a file Node loads as CommonJS: no typo, a module-format mix
    rule("crashed", "cannot use import statement",
         r"^\s*SyntaxError: Cannot use import statement outside a module", advice.module_format,
         s.said_status),
    rule("missing-python-module", "no module named",
         r"No module named '?(?P<subject>[\w.]+)'?", advice.python_module),
    # a library checking for an optional dependency itself: kombu's `The kazoo library is not
    # installed`, `boto3 is not installed`, `Missing redis library`; pandas' optional dependency
    rule("missing-python-module", ("is not installed", "importerror: missing "),
         r"\bImportError: (?:(?i:the) )?['\"`]?(?P<subject>[A-Za-z_][\w.-]*)['\"`]? "
         r"(?:(?i:library|package|module) )?is not installed"
         r"|\bImportError: Missing (?P<lib>[A-Za-z_][\w.-]*) (?:library|package|module)\b"
         r"|\bImportError: Missing optional dependency '(?P<opt>[\w.-]+)'",
         advice.python_module, s.first),
    rule("missing-python-module", "could not import",  # flask, uvicorn
         r"Could not import '(?P<subject>[\w.]+)'|Could not import module \"(?P<uv>[\w.]+)\"",
         advice.python_module, s.first),
    rule("missing-python-module", "was not found",  # celery -A
         r"^The module (?P<subject>[\w.]+) was not found", advice.python_module),
    rule("missing-path", "cannot find module",
         r"Cannot find module '(?P<subject>(?:\.{1,2}/|/|[A-Za-z]:\\|file:)[^']*)'",
         advice.missing_path),
    rule("missing-node-module", ("cannot find module", "cannot find package"),
         r"Cannot find (?:module|package) '(?P<subject>[^']+)'", advice.node_module,
         s.node_package),
    rule("missing-node-module", "but found it in a package.json",  # deno, never installed
         r'Could not resolve "(?P<subject>[^"]+)", but found it in a package\.json',
         advice.node_module, s.node_package),
    rule("missing-node-module", "only-if-cached",  # npm offline, the package not in its cache
         r"request to https?://[^/\s]+/(?P<subject>(?:@[^/\s]+(?:/|%2[fF]))?[^/\s]+)"
         r"(?:/-/\S+)? failed: cache mode is 'only-if-cached'", advice.offline_package,
         s.registry_package),
    rule("missing-node-module", "ensure to install the",  # nest's PackageLoader
         r'ensure to install the "(?P<subject>[^"]+)" package', advice.node_module,
         s.node_package),
    rule("missing-node-module", "please install",  # sequelize's dialects, for the user
         r"\bPlease install ['\"`]?(?P<subject>(?:@[\w.-]+/)?[a-z0-9](?:[\w.-]*\w)?)['\"`]? "
         r"(?:package|module) manually\b", advice.node_module, s.node_package),
    # ... and the drivers a CLI can use (drizzle-kit's `please install either of 'pg', 'postgres'
    # or ... drivers`): the first one it names
    rule("missing-node-module", "please install",
         r"\b(?i:please install) (?:either of |one of )?['\"`](?P<subject>(?:@[\w.-]+/)?[a-z0-9]"
         r"(?:[\w.-]*\w)?)['\"`](?:,? (?:or )?['\"`][^'\"`\s]+['\"`])* drivers?\b",
         advice.node_module, s.node_package),
    # yarn Plug'n'Play: the project requires a package it never declared, so never installed
    rule("missing-node-module", "your application tried to access",
         r"\bYour application tried to access (?P<subject>(?:@[\w.-]+/)?[\w.-]+), but it isn't "
         r"declared in your dependencies", advice.pnp_undeclared, s.node_package),
    # a CLI that runs the project's own copy of itself (knex, grunt): none in node_modules
    rule("missing-node-module", ("no local ", "unable to find local "),
         r"\bNo local (?P<subject>(?:@[\w.-]+/)?[a-z0-9](?:[\w.-]*\w)?) install(?:ation)? found"
         r"|\bUnable to find local (?P<grunt>[a-z0-9](?:[\w.-]*\w)?)\.?\s*$",
         advice.node_module, s.first),
    rule("missing-binary", "bad interpreter",
         r"(?P<subject>/[^\s:^]+)(?:\^M|\r)?: bad interpreter", advice.interpreter),
    rule("missing-binary", "command not found",  # zsh; poetry run's `Command not found: X`
         r"\b[Cc]ommand not found: (?P<subject>\S+)", advice.binary),
    rule("missing-binary", "command not found",  # bash
         r"(?:^|:\s)(?P<subject>[^\s:]+): command not found", advice.binary, s.command),
    rule("missing-path", ": not found",  # node's own, for a file it was given (--env-file)
         r"^node: (?P<subject>[^\s:]+): not found\s*$", advice.missing_path),
    # dash and ash say a script is "not found" when it does not exist, and the same when its #!
    # line names an interpreter that does not (a CR from Windows line endings, say): the log
    # cannot tell which, so only the crash is sure
    rule("crashed", ": not found",
         r":\s(?:\d+:\s)?(?:exec:\s)?(?P<subject>[^\s:]*/[^\s:]*): not found\s*$",
         advice.not_runnable, s.exit_status),
    rule("missing-binary", ": not found",
         r":\s(?:\d+:\s)?(?:exec:\s)?(?P<subject>[^\s:]+): not found\s*$", advice.binary,
         s.command),
    rule("missing-binary", "no such file or directory",  # env in a #! line
         r"\benv: ['\u2018]?(?P<subject>[^'\u2019\s:]+)\r?['\u2019]?: No such file or directory",
         advice.binary, s.command),
    rule("missing-path", "enoent", r"spawn (?P<subject>\S+) ENOENT", advice.missing_path, s.path),
    rule("missing-binary", "enoent", r"spawn (?P<subject>\S+) ENOENT", advice.binary, s.command),
    rule("missing-binary", "spawnerr: can't find command",  # supervisord
         r"spawnerr: can't find command '(?P<subject>[^']+)'", advice.binary, s.command),
    rule("missing-binary", "executable file not found",
         r'exec: "(?P<subject>[^"]+)": executable file not found', advice.binary),
    # an init shim or privilege dropper that could not exec its command: tini's `exec X failed:`,
    # util-linux's `failed to execute X:` (setpriv, runuser, setsid), coreutils' `failed to run
    # command 'X':` (timeout, nohup, chroot); a path is a missing script, a bare name a command
    rule("missing-path", _EXEC_NEEDLES, _EXEC_FAILED + r"No such file or directory",
         advice.missing_path, s.path),
    rule("missing-binary", _EXEC_NEEDLES, _EXEC_FAILED + r"No such file or directory",
         advice.binary, s.command),
    rule("permission-denied", (*_EXEC_NEEDLES, "failed: permission denied"),
         _EXEC_FAILED + r"Permission denied", advice.shell_permission),
    rule("permission-denied", "unable to start",
         r"\bstart-stop-daemon: unable to start (?P<subject>\S+) \(Permission denied\)",
         advice.shell_permission),
    # dumb-init's and su-exec's: the command, then strerror (dumb-init's own prefix may be read
    # past as a log's, leaving the bare name: not a file's, `config.yml: ...`)
    rule("missing-binary", "no such file or directory",
         r"^(?:\[dumb-init\] |su-exec: )?(?P<subject>[\w+-][\w.+-]*): "
         r"No such file or directory\s*$",
         advice.binary, s.bare_command),
    rule("missing-binary", "[errno 2]",
         r"\[Errno 2\] No such file or directory: '(?P<subject>[^']+)'", advice.binary,
         s.spawned),
    # a program a supervisor was told to start, missing (monit checks its config for it, then
    # says so at each start)
    rule("missing-binary", ("program does not exist", "does not exist"),
         r"\b(?i:program|executable) does not exist: ['\"]?(?P<subject>[^'\"\s]+)['\"]?"
         r"|\bProgram (?P<prog>\S+) failed: File ['\"]?(?P=prog)['\"]? does not exist",
         advice.supervised_program, s.first),
    rule("missing-npm-script", "missing script",  # npm (6: lower case), pnpm (no colon)
         r"(?i:missing script):?\s*\"?(?P<subject>[^\"\s]+)\"?", advice.npm_script),
    rule("missing-npm-script", "error command",  # yarn 1
         r'error Command "(?P<subject>[^"]+)" not found', advice.npm_script),
    rule("missing-npm-script", "couldn't find a script named",  # yarn 2+
         r"Couldn't find a script named \"(?P<subject>[^\"]+)\"", advice.npm_script),
    rule("missing-npm-script", "none of the selected packages",  # pnpm -r
         r'None of the selected packages has a "(?P<subject>[^"]+)" script', advice.npm_script),
    rule("missing-npm-script", ("script not found", "task not found"),  # bun run, deno task
         r'^(?:error: )?Script not found "(?P<subject>[^"]+)"'
         r"|^(?:error: )?Task not found: (?P<deno>\S+)\s*$", advice.npm_script, s.first),
    rule("missing-env", ("environment variables", "not present in the environment"),
         r"(?i:invalid|missing) environment variables:?|are not present in the environment:",
         advice.env, s.listed_variable),
    # a shell's: set -u (bash's "unbound variable", dash's and ash's "parameter not set") and
    # ${VAR:?message}
    rule("missing-env", ("unbound variable", "parameter not set", "parameter null", *_ENV_MISSING),
         r"^[^\s:]+: (?:line )?\d+: (?P<subject>[A-Za-z_]\w*): (?:unbound variable"
         r"|parameter (?:not set|null)|.*\b(?:not set|must be set|is required|is missing"
         r"|not defined)\b)", advice.env),
    rule("missing-env", "system.getenv",  # kotlin names it; java 14+'s NPE only says getenv
         r'System\.getenv\("(?P<subject>\w+)"\) must not be null', advice.env),
    rule("missing-env", "system.getenv",
         r'NullPointerException: .*the return value of "java\.lang\.System\.getenv\(String\)" '
         r"is null", advice.unnamed_env, s.unknown),
    rule("missing-env", "could not fetch environment variable",  # elixir's System.EnvError
         r'could not fetch environment variable "(?P<subject>[^"]+)"', advice.env),
    rule("missing-env", "notpresent",  # rust's std::env::VarError: named only if the program did
         r"(?:\b(?P<subject>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b.*)?\bNotPresent\b",
         advice.env_maybe_named, s.first),
    rule("missing-env", "environment variable not found",  # prisma
         r"Environment variable not found: (?P<subject>\w+)", advice.env),
    rule("missing-env", "environment variable",  # django-environ
         r"Set the (?P<subject>\w+) environment variable", advice.env),
    rule("missing-env", "setting must not be empty",  # django
         r"The (?P<subject>[A-Z][A-Z0-9_]*) setting must not be empty", advice.env),
    rule("missing-env", ("environment variable", "env variable", "env var", "missing env "),
         r"(?i:missing|required|undefined|unset)(?i: required)? (?i:environment|env)"
         r"(?: (?i:variable)s?)?:?\s*['\"`]?(?P<subject>[A-Z][A-Z0-9_]+)", advice.env),
    rule("missing-env", _ENV_MISSING,  # not a file's name at the end of a path (PG_VERSION)
         r"(?<![/\\])\b(?P<subject>[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{3,}[0-9]*)['\"`]? "
         r"(?:(?i:environment variable|env var|variable) )?(?i:is not set|not set|must be set"
         r"|is required|is missing|is not defined)", advice.env),
    # a structured record's message that a variable is unset, its name in a field of its own
    # (logrus's `variable=NAME`, read below the message)
    rule("missing-env", ("environment variable", "env variable"),
         r"(?i:(?:missing|required|unset)(?: required| mandatory)? (?:environment|env) variable"
         r"(?: is)?(?: not set| missing| unset| empty)?|(?:environment|env) variable (?:is )?"
         r"(?:not set|missing|unset|empty|required))\.?\s*$", advice.env, s.field_below),
    rule("missing-env", "of undefined",  # node reading a property of process.env.NAME
         r"TypeError: Cannot read propert(?:ies of undefined \(reading '(?P<prop>[^']+)'\)"
         r"|y '(?P<old>[^']+)' of undefined)", advice.env, s.env_read),
    rule("missing-env", "keyerror", r"\bKeyError: '(?P<subject>[^']+)'", advice.env,
         s.environ_key),
    rule("missing-env", "field required", r"^\s*(?i:field required)\b", advice.env,
         s.settings_field),
    rule("missing-env", "key not found",  # ruby's ENV.fetch
         r"key not found: \"(?P<subject>[A-Z][A-Z0-9_]*)\" \(KeyError\)", advice.env),
    rule("missing-env", "secret_key_base",  # rails
         r"Missing `secret_key_base`", advice.env, s.literal("SECRET_KEY_BASE")),
    # paths
    rule("missing-path", "can't cd to", r"can't cd to (?P<subject>\S+)", advice.missing_dir),
    rule("missing-path", "cd: ", r"\bcd: no such file or directory: (?P<subject>\S+)"
         r"|\bcd: (?P<dir>[^:]+): No such file or directory", advice.missing_dir,
         s.first),
    rule("missing-path", "can't open file", r"can't open file '(?P<subject>[^']+)'",
         advice.missing_path),
    rule("missing-path", "no such file or directory",  # go's os errors
         r"\b(?:open|stat|lstat|chdir|mkdir|readlink) (?P<subject>[^\s:]+): "
         r"no such file or directory", advice.missing_path),
    rule("missing-path", "no matching files found",  # go build: a //go:embed pattern
         r"^(?:\S+\.go:\d+:\d+: )?pattern (?P<subject>\S+): no matching files found",
         advice.missing_path),
    rule("missing-path", "(os error 2)",  # deno's fs ops: the op, then the path
         r"No such file or directory \(os error 2\): \w+ '(?P<subject>[^']+)'",
         advice.missing_path),
    rule("missing-path", "module not found",  # deno, a local module by its URL
         r'Module not found "(?P<subject>file://[^"]+)"', advice.missing_path, s.file_url),
    rule("missing-path", ("filenotfoundexception", "nosuchfileexception"),  # java
         r"FileNotFoundException: (?P<subject>.+?) \(No such file or directory\)"
         r"|NoSuchFileException: (?P<nio>\S+)", advice.missing_path, s.first),
    rule("missing-path", ("failed opening required", "failed to open stream"),  # php
         r"Failed opening required '(?P<subject>[^']+)'"
         r"|\w+\((?P<stream>[^)]+)\): Failed to open stream: No such file or directory",
         advice.missing_path, s.first),
    # symfony/dotenv (its PathException: an env file it cannot read, nearly always one never
    # written)
    rule("missing-path", "environment file",
         r"\bUnable to read the \"(?P<subject>[^\"]+)\" environment file\b", advice.missing_path),
    rule("missing-path", "could not find a production build",  # next start
         r"Could not find a production build in the '(?P<subject>[^']+)' directory",
         advice.missing_dir),
    rule("missing-path", "[errno 2]",
         r"\[Errno 2\] No such file or directory: '(?P<subject>[^']+)'", advice.missing_path),
    rule("missing-path", "enoent", r"ENOENT: no such file or directory, \w+ '(?P<subject>[^']+)'",
         advice.missing_path),
    rule("missing-path", ("data directory", "could not access directory"),  # postgres
         r'data directory "(?P<subject>[^"]+)" does not exist'
         r'|could not access directory "(?P<dir>[^"]+)": No such file or directory',
         advice.missing_dir, s.first),
    rule("missing-path", "could not access file",  # postgres: a library it was to load
         r'could not access file "(?P<subject>[^"]+)": No such file or directory',
         advice.missing_path),
    rule("missing-path", "cannot load such file",  # ruby's require_relative, require "./x"
         r"cannot load such file -- (?P<subject>(?:/|\.{1,2}/)\S+?)(?: \(LoadError\))?\s*$",
         advice.missing_path),
    rule("missing-path", "errno::enoent",  # ruby
         r"No such file or directory @ \w+ - (?P<subject>.+?) \(Errno::ENOENT\)",
         advice.missing_path, s.ruby_missing),
    rule("missing-path", "configuration ",  # rackup
         r"^configuration (?P<subject>\S+) not found\s*$", advice.missing_path),
    rule("missing-path", "unable to access jarfile",  # java -jar
         r"Unable to access jarfile (?P<subject>\S+)", advice.missing_path),
    rule("missing-path", "can only install with an existing",  # npm ci
         r"`npm ci` command can only install with an existing (?P<subject>package-lock\.json)",
         advice.lockfile),
    rule("missing-path", "but none was found",  # pnpm --frozen-lockfile
         r"requires a (?P<subject>[\w.-]*lock[\w.-]*) file, but none was found", advice.lockfile),
    rule("missing-path", 'unable to open database "',  # sqlite's CLI names it
         r'unable to open database "(?P<subject>[^"]+)": unable to open database file',
         advice.sqlite_file),
    rule("missing-path", "unable to open database file",  # sqlite
         r"\bunable to open database file", advice.sqlite_file, s.unknown),
    rule("missing-path", "script_location",  # alembic without its alembic.ini
         r"No 'script_location' key found in configuration", advice.alembic_config, s.unknown),
    rule("missing-path", "path doesn't exist",  # alembic: script_location names no folder
         r"Path doesn't exist: ['\"]?(?P<subject>[^\s'\"]+?)['\"]?\.?(?:\s|$)",
         advice.alembic_scripts),
    rule("missing-path", ("realpath() of", "no such file or directory"),  # uWSGI
         r"^(?:realpath\(\) of (?P<subject>\S+) failed|open\(\"(?P<open>[^\"]+)\"\)): "
         r"No such file or directory \[[\w./-]+ line \d+\]", advice.missing_path, s.first),
    rule("missing-path", "invalid value for",  # click's Path and File parameters
         r"Invalid value for ['\"][^'\"]+['\"]: (?:(?:Path|File|Directory) )?['\"]"
         r"(?P<subject>[^'\"]+)['\"](?: does not exist\b|: No such file or directory)",
         advice.missing_path),
    rule("missing-path", "can't open config file",  # redis
         r"can't open config file '(?P<subject>[^']+)'", advice.missing_path),
    rule("missing-path", ('cannot find "', "cannot find '", "cannot find `", "cannot find config",
                          "cannot find file"),  # a CLI's config (sequelize-cli): a path, quoted
         r"\b(?i:cannot find) (?:(?i:config(?:uration)?|settings) )?(?:(?i:file) )?['\"`]"
         r"(?P<subject>[^'\"`\s]*/[^'\"`\s]*|[^'\"`\s/]+\.(?:json|ya?ml|toml|ini|conf|cfg|env"
         r"|[cm]?[jt]s))['\"`]", advice.missing_path),
    rule("missing-path", "can't chdir to", r"[Cc]an't chdir to '(?P<subject>[^']+)'",
         advice.missing_dir),
    rule("missing-path", "can't change dir to",  # mariadbd's datadir
         r"Can't change dir to '(?P<subject>[^']+?)/?' \(Errcode: 2\b", advice.missing_dir),
    rule("missing-path", "no such file or directory",  # nginx
         r'open\(\) "(?P<subject>[^"]+)" failed \(2: No such file or directory\)',
         advice.missing_path, s.created_in),
    rule("missing-path", "cannot open configuration file",  # haproxy
         r"Cannot open configuration file(?:/directory)? (?P<subject>\S+) ?: "
         r"No such file or directory", advice.missing_path),
    rule("missing-path", "failed: no such file or directory",  # lighttpd
         r"\bopening \w+ '?(?P<subject>/?[^'\s]+)'? failed: No such file or directory",
         advice.missing_path, s.created_in),
    rule("missing-path", "failed to listen on unix socket",  # memcached
         r"failed to listen on UNIX socket: (?P<subject>\S+?): ", advice.missing_dir,
         s.unix_socket_dir),
    rule("missing-path", "unable to bind listening socket",  # php-fpm on a unix socket
         r"unable to bind listening socket for address '(?P<subject>/[^']+)': "
         r"No such file or directory", advice.missing_dir, s.created_in),
    # a program naming the path it could not use on one line, the OS's words alone on the
    # line before (beanstalkd's `open: No such file or directory`, then `failed to lock wal dir
    # X`) or after (mosquitto's `unable to open X for writing.`, then `Error: Permission denied.`)
    rule("missing-path", _COULD_NOT_NEEDLES, _COULD_NOT + _PATH_LAST, advice.missing_path,
         s.errno_beside("No such file or directory")),
    rule("permission-denied", _COULD_NOT_NEEDLES, _COULD_NOT + _PATH_LAST,
         advice.file_permission, s.errno_beside("Permission denied")),
    # a directory it could not create, no reason given (ZooKeeper's File.mkdirs()): one its
    # user may not write in
    rule("permission-denied", _COULD_NOT_NEEDLES,
         _COULD_NOT + r"(?i:create|make) (?:(?i:the) )?(?:\w+ )?(?i:directory|dir|folder) "
         r"['\"`]?(?P<subject>(?:\.{0,2}/|[\w.-]+/)[^\s'\"`]*?)['\"`]?\.?\s*$",
         advice.file_permission, s.no_errno_below),
    # a config file it could not open, no reason given (mosquitto's config and password files,
    # like redis's): one that is not there, most often
    rule("missing-path", _COULD_NOT_NEEDLES,
         _COULD_NOT + r"open (?:the )?(?i:config(?:uration)? file|pwfile|password file"
         r"|(?:acl|include|key|cert(?:ificate)?|ca) file) ['\"`]?(?P<subject>[^\s'\"`]+?)['\"`]?"
         r"\.?\s*$", advice.missing_path),
    # a file named as missing, with no OS error: foreman's `Procfile does not exist.`, Java's
    # `conf/zoo.cfg file is missing`, ZooKeeper's `Missing data directory X`
    rule("missing-path", ("does not exist", "doesn't exist", "is missing", "missing "),
         r"(?:^|: |\b(?i:the )?(?i:file|directory|folder|config(?:uration)? file) )['\"`]?"
         r"(?P<subject>[^\s'\"`:]*[./][^\s'\"`:]*|[A-Z][a-z]*file)['\"`]? "
         r"(?:(?i:file|directory) )?(?:does not exist|doesn't exist|is missing)\b"
         r"|\b(?i:missing) (?:\w+ )?(?i:directory|dir|file|folder) ['\"`]?"
         r"(?P<missing>[^\s'\"`,]*[./][^\s'\"`,]*?)['\"`]?[,.;]?(?:\s|$)",
         advice.missing_path, s.first),
    # perl, rust, s6, runit: the program names the file, then the OS's words
    rule("missing-path", ("no such file or directory", "file does not exist", "code: 2"),
         _COULD_NOT + r"(?i:open|read|load|stat|access|find|chdir|lock|start|run|exec)" + _A_FILE
         + _ENOENT, advice.missing_path),
    rule("missing-path", "(no such file or directory)",  # varnishd: the OS's words bracketed
         _COULD_NOT + r"(?i:open|read|load|stat|access|find) (?:\S+ ){0,3}?['\"`]"
         r"(?P<subject>[^'\"`]*[./][^'\"`]*)['\"`] \(No such file or directory\)",
         advice.missing_path),
    rule("missing-path", "no such file or directory",  # zsh, then bash and sh
         r"no such file or directory: (?P<subject>(?=\S*/)\S+)$"
         r"|(?:^|:\s)(?:\d+:\s)?(?P<script>(?=[^\s:]*/)[^\s:]+): No such file or directory\s*$",
         advice.missing_path, s.first),
    # start: ports
    rule("privileged-port", "eacces", r"listen EACCES: permission denied \S*?:(?P<port>\d+)\b",
         advice.privileged_port, s.privileged),
    rule("privileged-port", ("permission denied", "[errno 13]", "can't connect to"),
         r"bind\(\) to \S+:(?P<port>\d+) failed \(13: Permission denied\)"
         r"|\[Errno 13\] error while attempting to bind on address \('[^']*', (?P<uv>\d+)\)"
         r"|Can't connect to \('[^']*', (?P<gu>\d+)\)"
         r"|listening socket \S*?:(?P<rd>\d+): bind: Permission denied"
         r"|\(13\)Permission denied: AH00072: make_sock: could not bind to address "
         r"\S*?:(?P<ap>\d+)"  # apache
         r'|Permission denied - bind\(2\) for "?[^"\s]*"? port (?P<rb>\d+)'  # ruby
         r"|cannot bind socket \(Permission denied\) for \[\S*?:(?P<hp>\d+)\]"  # haproxy
         r"|can't bind to socket: \S*?:(?P<lt>\d+): Permission denied"  # lighttpd
         r"|Couldn't listen on \S*?:(?P<tw>\d+): \[Errno 13\] Permission denied",  # twisted
         advice.privileged_port, s.first_privileged),
    rule("privileged-port", "failed to listen on",  # php -S
         r"Failed to listen on \S+:(?P<port>\d+) \(reason: Permission denied\)",
         advice.privileged_port, s.privileged),
    rule("privileged-port", "[errno 13]", r"\[Errno 13\] Permission denied\s*$",
         advice.privileged_port, s.bind_port),
    rule("privileged-port", "bind: permission denied",  # go
         r"listen tcp\d? \S*?:(?P<port>\d+): bind: permission denied", advice.privileged_port,
         s.privileged),
    rule("privileged-port", "permission denied",  # rust's io::Error, the program naming where
         r"(?i:bind|listen)\w*\b.*?:(?P<port>\d{1,5})\b.*?(?:kind: PermissionDenied"
         r"|Permission denied \(os error 13\))", advice.privileged_port, s.privileged),
    rule("privileged-port", "bind(): permission denied",  # memcached, uWSGI, beanstalkd: no port
         r"(?:^|: )bind\(\): Permission denied(?: \[[\w./-]+ line \d+\])?\s*$",
         advice.privileged_port,
         s.bare_bind_denied),
    rule("privileged-port", "permission denied",  # bun
         r"^(?:error: )?permission denied \S*?:(?P<port>\d+)\s*$", advice.privileged_port,
         s.privileged),
    rule("privileged-port", "(os error 13)",  # deno: no address said, a frame names the listen
         r"\bPermissionDenied: Permission denied \(os error 13\)\s*$", advice.privileged_port,
         s.listen_frame_port),
    # EventMachine (thin) cannot tell which: the port it was binding can. Below 1024 root is
    # the likelier want, but another program may hold it, and the fix says so.
    rule("port-in-use", "no acceptor",
         r"\bno acceptor \(port is in use or requires root privileges\)", advice.port_in_use,
         s.unprivileged_nearby),
    rule("privileged-port", "no acceptor",
         r"\bno acceptor \(port is in use or requires root privileges\)",
         advice.privileged_or_taken, s.privileged_nearby),
    rule("privileged-port", "bindexception: permission denied",  # java
         r"BindException: Permission denied", advice.privileged_port, s.below_1024_nearby),
    rule("privileged-port", "could not bind ipv",  # postgres names the address, not the port
         r'could not bind IPv[46] (?:address "[^"]*"|socket): Permission denied',
         advice.privileged_port, s.below_1024_nearby),
    rule("privileged-port", "permission to access that port",  # django runserver
         r"You don't have permission to access that port", advice.privileged_port,
         s.unknown, nearby=s.near_privileged),
    rule("port-in-use", ("address already in use", "connection in use", "is in use by another"),
         r"listening socket \S*?:(?P<port>\d+): bind: Address already in use"
         r"|listen EADDRINUSE: address already in use (?:\S*:)?(?P<node>\d+)\s*$"
         r"|error while attempting to bind on address \('[^']*', (?P<uv>\d+)\): "
         r"(?i:address already in use)"
         r"|Connection in use: \('[^']*', (?P<gu>\d+)\)"
         r"|Port (?P<wz>\d+) is in use by another program"
         r"|bind\(\) to \S+:(?P<nx>\d+) failed \((?:98|48): Address already in use\)"
         r"|listen tcp\d? \S*?:(?P<go>\d+): bind: address already in use",
         advice.port_in_use, s.first),
    rule("port-in-use", ".s.pgsql.",  # postgres: another postmaster's socket on that port
         r'lock file "[^"]*\.s\.PGSQL\.(?P<port>\d+)\.lock" already exists', advice.port_in_use,
         s.named("port")),
    rule("port-in-use", "is already in use",  # vite, hypercorn
         r"(?:[Pp]ort |')(?:[\w.\[\]:-]*:)?(?P<port>\d+)'? is already in use", advice.port_in_use,
         s.named("port")),
    rule("port-in-use", " not free on ",  # portend (CherryPy's wait for its bind address)
         r"\bPort (?P<port>\d+) not free on ", advice.port_in_use, s.named("port")),
    rule("port-in-use", "is port ",  # bun: Bun.serve's and node:http's listen
         r"\bFailed to start server\. Is port (?P<port>\d+) in use\?", advice.port_in_use,
         s.named("port")),
    rule("port-in-use", "is not available",  # streamlit (its retry says "not available, trying")
         r"\bPort (?P<port>\d+) is not available\b", advice.port_in_use, s.named("port")),
    rule("port-in-use", "eaddrinuse",  # erlang's and elixir's {error, eaddrinuse}
         r"\{:?error,\s*:?eaddrinuse\}|(?<!\w):eaddrinuse\b", advice.port_in_use, s.unknown,
         nearby=s.near_port),
    rule("port-in-use", ("address already in use", "that port is already in use"),
         r"(?i:address already in use|that port is already in use)", advice.port_in_use,
         s.unknown, nearby=s.near_port),
    # permissions
    rule("permission-denied", "[errno 13]", r"\[Errno 13\] Permission denied: '(?P<subject>[^']+)'",
         advice.file_permission),
    rule("permission-denied", "(os error 13)",  # deno's fs ops: the op, then the path
         r"Permission denied \(os error 13\): \w+ '(?P<subject>[^']+)'", advice.file_permission),
    # deno's own permissions, refused: what it wanted, and the flag that grants it
    *(rule("permission-denied", f"--allow-{access} flag",
           rf"\bRequires {access} access(?: to \"(?P<subject>[^\"]+)\")?, run again with the "
           rf"--allow-{access} flag", advice.deno_permission(access), s.first)
      for access in ("read", "write", "net", "env", "run", "sys", "ffi", "import")),
    rule("permission-denied", "isn't writable",  # gunicorn's log files
         r"'(?P<subject>[^']+)' isn't writable \[PermissionError", advice.file_permission),
    rule("permission-denied", "permission denied",  # go's os errors
         r"\b(?:open|stat|mkdir|chdir|remove|rename) (?P<subject>[^\s:]+): permission denied",
         advice.file_permission),
    rule("permission-denied", ("filenotfoundexception", "accessdeniedexception"),  # java
         r"FileNotFoundException: (?P<subject>.+?) \((?:Permission denied|Access is denied)\)"
         r"|AccessDeniedException: (?P<nio>\S+)", advice.file_permission, s.first),
    rule("permission-denied", "failed to open stream",  # php; monolog's StreamHandler
         r"\w+\((?P<subject>[^)]+)\): Failed to open stream: Permission denied"
         r"|The stream or file \"(?P<mono>[^\"]+)\" could not be opened in \w+ mode: "
         r"Failed to open stream: Permission denied", advice.file_permission, s.first),
    rule("permission-denied", "eacces",
         r"EACCES: permission denied, \w+ '(?P<subject>[^']+)'|spawn (?P<spawn>\S+) EACCES",
         advice.file_permission, s.first),
    rule("permission-denied", "errno::eacces",  # ruby opening a file
         r"Permission denied @ \w+ - (?P<subject>.+?) \(Errno::EACCES\)",
         advice.file_permission),
    rule("permission-denied", "errno::eacces",  # ruby's exec, spawn and the like
         r"Permission denied - (?P<subject>\S+) \(Errno::EACCES\)", advice.shell_permission),
    rule("permission-denied", "failed to open",  # php-fpm's logs
         r"failed to open [\w ]+ \((?P<subject>/[^)]+)\): Permission denied",
         advice.file_permission),
    rule("permission-denied", "has invalid permissions",
         r'data directory "(?P<subject>[^"]+)" has invalid permissions', advice.data_dir_mode),
    rule("permission-denied", "has wrong ownership",
         r'data directory "(?P<subject>[^"]+)" has wrong ownership', advice.data_dir_owner),
    rule("permission-denied", "permission denied",  # redis
         r"\(in server root dir (?P<subject>[^)]+)\) for saving: Permission denied"
         r"|Can't open or create append-only dir (?P<aof>\S+): Permission denied",
         advice.file_permission, s.first),
    rule("permission-denied", "can't change dir to",  # mariadbd's datadir
         r"Can't change dir to '(?P<subject>[^']+?)/?' \(Errcode: 13\b", advice.file_permission),
    rule("permission-denied", "must be accessible by owner only",  # rabbitmq, erlang
         r"Cookie file (?P<subject>\S+) must be accessible by owner only", advice.cookie_mode),
    rule("permission-denied", ("permission denied", "operation not permitted"),  # postgres
         r'could not (?!bind )[\w ]+ "(?P<subject>[^"]+)": (?:Permission denied'
         r"|Operation not permitted)",
         advice.file_permission),
    rule("permission-denied", "permission denied",  # dash's redirects, coreutils
         r"\bcannot (?:create(?: directory| regular file)?|touch|open|remove|overwrite) "
         r"['\u2018\"]?(?P<subject>[^'\u2019\"\s]+?)['\u2019\"]?: Permission denied",
         advice.file_permission),
    rule("permission-denied", "permission denied: ",  # zsh
         r"permission denied: (?P<subject>\S+)$", advice.shell_permission),
    # a program naming the file, then the OS's words: perl, rust, skarnet's s6, djb's runit
    rule("permission-denied", ("permission denied", "access denied"),  # a script to run
         _COULD_NOT + r"(?i:start|run|exec|execute|spawn) ['\"`]?(?P<subject>[^\s'\"`:]*[./]"
         r"[^\s'\"`:]*?)['\"`]?: " + _EACCES, advice.shell_permission),
    rule("permission-denied", ("permission denied", "access denied"),
         _COULD_NOT + r"(?i:open|read|write|create|make|load|access|stat|remove|append|mkdir"
         r"|chdir|lock|rename|unlink|chown|chmod)" + _A_FILE + _EACCES, advice.file_permission),
    rule("permission-denied", "permission denied",  # bash, sh, docker's exec
         r"(?:^|:\s|exec\s)(?:\d+:\s)?(?P<subject>(?=[^\s:]*[./])[^\s:]+): "
         r"(?i:permission denied)\s*$",
         advice.shell_permission),
    # start: names, connections, credentials, databases, code
    rule("unresolvable-host", "connecting to",  # redis-py
         rf"Error -?\d+ connecting to (?P<subject>[^\s:]+):\d+\. {_UNRESOLVED}",
         advice.unresolvable),
    rule("unresolvable-host", "could not translate host name",  # libpq
         r'could not translate host name "(?P<subject>[^"]+)"', advice.unresolvable),
    rule("unresolvable-host", "getaddrinfo",
         r"getaddrinfo (?:ENOTFOUND|EAI_AGAIN) (?P<subject>[^\s:,]+)", advice.unresolvable),
    rule("unresolvable-host", "enotfound",  # node's dns.resolve*: querySrv for mongodb+srv://
         r"\bquery[A-Z]\w* ENOTFOUND (?P<subject>[^\s:,'\"]+)", advice.unresolvable,
         s.srv_host),
    # the redis gem: Ruby raises SocketError for a name getaddrinfo could not resolve
    rule("unresolvable-host", "error connecting to redis on",
         r"\bError connecting to Redis on (?P<subject>[^\s:\[\]]+):\d+ \(SocketError\)",
         advice.unresolvable),
    rule("unresolvable-host", "getaddrinfo for",  # php
         r"getaddrinfo for (?P<subject>\S+) failed", advice.unresolvable),
    rule("unresolvable-host", "failed to resolve",  # urllib3; librdkafka quotes host:port
         r"Failed to resolve '(?P<subject>[^']+)'", advice.unresolvable, s.host_only),
    rule("unresolvable-host", "cannot connect to host",  # aiohttp
         rf"Cannot connect to host (?P<subject>[^\s:]+):\d+ ssl:\S+ \[{_UNRESOLVED}",
         advice.unresolvable),
    rule("unresolvable-host", "no such host",  # go
         r"lookup (?P<subject>[^\s:]+)(?: on \S+)?: no such host", advice.unresolvable),
    rule("unresolvable-host", "unknown mysql server host",
         r"Unknown MySQL server host '(?P<subject>[^']+)'", advice.unresolvable),
    rule("unresolvable-host", ("can't connect to mysql server", "can't connect to server on"),
         rf"Can't connect to (?:MySQL )?server on '(?P<subject>[^':]+)(?::\d+)?' \(.*{_UNRESOLVED}",
         advice.unresolvable),
    rule("unresolvable-host", "failed to resolve host",  # psycopg 3
         r"failed to resolve host '(?P<subject>[^']+)'", advice.unresolvable),
    rule("unresolvable-host", "host not found in upstream",  # nginx
         r'host not found in upstream "(?P<subject>[^":/]+)', advice.unresolvable),
    rule("unresolvable-host", "unknownhostexception",  # java
         r"UnknownHostException: (?P<subject>[^\s:]+)", advice.unresolvable),
    rule("unresolvable-host", "could not resolve address",  # haproxy
         r"could not resolve address '(?P<subject>[^']+)'", advice.unresolvable),
    rule("unresolvable-host", "could not resolve host",  # curl (cargo, git), ssh
         r"Could not resolve host(?:name)?:? (?P<subject>[^\s:()'\"]+)", advice.unresolvable),
    # a client naming the host it could not resolve before the resolver's words (kazoo's
    # `Cannot resolve HOST: [Errno -2] Name or service not known`)
    rule("unresolvable-host", " resolve ",
         r"\b(?i:cannot|can't|could not|couldn't|unable to|failed to) resolve "
         r"(?!(?i:host(?:name)?|address)\b)['\"]?(?P<subject>[A-Za-z0-9][\w.-]*?)['\"]?"
         rf"(?::\d+)?: (?:.*{_UNRESOLVED}|\[Errno -[235]\])", advice.unresolvable),
    rule("unresolvable-host", "unable to connect to master",  # redis replicaof: lookup failed
         r"Unable to connect to MASTER: No such file or directory", advice.unresolvable,
         s.master_host),
    rule("unresolvable-host", "dnsresolvefailed",  # bun install: the host never said
         r"\bDNSResolveFailed\b", advice.unresolvable, s.unknown, nearby=s.near_host),
    rule("unresolvable-host",
         ("name or service not known", "nodename nor servname", "failure in name resolution"),
         _UNRESOLVED, advice.unresolvable, s.unknown, nearby=s.near_host),
    # MQTT's CONNACK refusing the login (return code 4 or 5; MQTT 5's reason codes 134, 135),
    # as libmosquitto, mqtt.js and paho word it: the broker answered, no TCP connect refused
    rule("auth-failed", "connection refused: ",
         r"(?i:connection refused): (?i:not authori[sz]ed|bad user ?name or password)\b",
         advice.auth, s.literal("mosquitto")),
    # a refused loopback while the service listens on the other one: localhost resolved to ::1
    # (node 17+, a client that tries one address), or the log says it listens on ::1
    rule("loopback-mismatch", ("econnrefused", "connection refused", "connect call failed",
                               "failed to connect to"),
         r"connect ECONNREFUSED \[?::1\]?:(\d+)|dial tcp \[::1\]:(\d+): connect: connection "
         r"refused|Connect call failed \('::1', (\d+)|Failed to connect to ::1 port (\d+)",
         advice.loopback, s.ipv6_loopback_refused),
    rule("loopback-mismatch", ("econnrefused", "connection refused", "connect call failed",
                               "failed to connect to"),
         r"connect ECONNREFUSED 127\.0\.0\.1:(\d+)|dial tcp 127\.0\.0\.1:(\d+): connect: "
         r"connection refused|Connect call failed \('127\.0\.0\.1', (\d+)"
         r"|Failed to connect to 127\.0\.0\.1 port (\d+)", advice.loopback,
         s.ipv4_loopback_refused),
    # ... in any client's words that name the address and port beside the refusal (a wait
    # loop's URL, requests' `host='127.0.0.1', port=N`)
    rule("loopback-mismatch", ("connection refused", "econnrefused", "errno 111"),
         r"^(?=.*(?i:connection refused|ECONNREFUSED|Errno 111)).*?(?:(?<![\d.])127\.0\.0\.1:"
         r"(\d+)\b|\bhost='127\.0\.0\.1', port=(\d+)\b)", advice.loopback,
         s.ipv4_loopback_refused),
    rule("connection-refused", "failed to connect to",  # curl
         r"Failed to connect to (?P<host>\S+) port (?P<port>\d+)(?: after \d+ ms)?: "
         r"(?:Connection refused|Couldn't connect to server)", advice.refused, s.target),
    rule("connection-refused", "econnrefused",
         r"connect ECONNREFUSED (?P<host>\S+):(?P<port>\d+)", advice.refused, s.target),
    rule("connection-refused", "connecting to",  # redis-py
         r"Error \d+ connecting to (?P<host>\S+?):(?P<port>\d+)\. Connection refused",
         advice.refused, s.target),
    rule("connection-refused", "connection to server at",  # libpq 14+
         r'connection to server at "(?P<host>[^"]+)"(?: \([^)]*\))?, port (?P<port>\d+) '
         r"failed: Connection refused", advice.refused, s.target),
    rule("connection-refused", "cannot connect to",  # kombu, celery
         r"Cannot connect to \w+://(?:[^@/\s]*@)?(?P<host>[^:/\s]+):(?P<port>\d+)\S*: .*"
         r"Connection refused", advice.refused, s.target),
    # a unix socket no server made (or none listens on): node's net (pg, mysql2, ioredis),
    # mysql's and mariadb's clients (errno 2 or 111), PDO's mysqlnd, which never names it
    rule("connection-refused", ("connect enoent", "econnrefused"),
         r"\bconnect (?:ENOENT|ECONNREFUSED) (?P<subject>/\S+)", advice.refused),
    rule("connection-refused", "server through socket",
         r"Can't connect to local (?:MySQL )?server through socket '(?P<subject>[^']+)' "
         r"\((?:2|111)\)", advice.refused),
    rule("connection-refused", "[2002] no such file",
         r"SQLSTATE\[HY000\] \[2002\] No such file or directory",
         advice.refused, s.unknown),
    rule("connection-refused", "connecting to",  # redis-py on a unix socket
         r"Error \d+ connecting to (?P<subject>/\S+?)\.? (?:No such file or directory"
         r"|Connection refused)", advice.refused),
    rule("connection-refused", "connection to server on socket",
         r'connection to server on socket "(?P<subject>[^"]+)" failed: '
         r"(?:No such file or directory|Connection refused)", advice.refused),
    rule("connection-refused", "could not connect to server",  # libpq before 14
         r"could not connect to server: Connection refused", advice.refused, s.libpq_target),
    rule("connection-refused", "port=",  # requests
         r"host='(?P<host>[^']+)', port=(?P<port>\d+)\).*(?:Connection refused|Errno 111|Errno 61)",
         advice.refused, s.target),
    rule("connection-refused", "error connecting to redis on",  # the redis gem
         r"\bError connecting to Redis on (?P<host>[^\s:]+):(?P<port>\d+) "
         r"\(Errno::ECONNREFUSED\)", advice.refused, s.target),
    rule("connection-refused", "connect call failed",  # asyncio
         r"Connect call failed \('(?P<host>[^']+)', (?P<port>\d+)", advice.refused, s.target),
    rule("connection-refused", "connection refused",  # go
         r"dial tcp (?P<host>\S+):(?P<port>\d+): connect: connection refused", advice.refused,
         s.target),
    # the host and the port apart: stomp.py's `could not connect to host H, port P: ...`,
    # Ruby's `Connection refused - connect(2) for "H" port P`
    rule("connection-refused", ("connection refused", "econnrefused", "errno 111"),
         r"^(?=.*(?i:connection refused|ECONNREFUSED|Errno 111)).*?(?:\bhost |\bconnect\(2\) for )"
         r"\"?(?P<host>[^\s\",]+)\"?,? port (?P<port>\d+)\b", advice.refused, s.target),
    rule("connection-refused", "- no response",  # pg_isready
         r"^(?P<host>\S+):(?P<port>\d+) - no response\s*$", advice.refused, s.pg_isready_target),
    rule("connection-refused", ("can't connect to mysql server",  # mysql's and mariadb's
                                "can't connect to server on"),
         r"Can't connect to (?:MySQL )?server on '(?P<host>[^':]+)(?::(?P<port>\d+))?'",
         advice.refused, s.mysql_target),
    rule("connection-refused", "econnrefused",  # erlang's and elixir's {error, econnrefused}
         r"\{:?error,\s*:?econnrefused\}|(?<!\w):econnrefused\b", advice.refused, s.unknown,
         nearby=s.near_target),
    rule("connection-refused", ("econnrefused", "connectionrefused"),  # bun's fetch: in a field
         r"\b(?:ECONNREFUSED|ConnectionRefused): Unable to connect\b", advice.refused, s.unknown,
         nearby=s.near_target),
    rule("connection-refused", "java.net.connectexception",  # HttpClient's, with no message
         r"^(?:Exception in thread \"[^\"]*\" |Caused by: )?java\.net\.ConnectException\s*$",
         advice.refused, s.unknown, nearby=s.near_target),
    # grpc-go's balancer (etcdctl's clientv3) finding no connection to the address it dials
    rule("connection-refused", "all subconns are in transientfailure",
         r"\ball SubConns are in TransientFailure\b", advice.refused, s.grpc_target),
    rule("connection-refused", "nobrokersavailable",  # kafka-python: no bootstrap server answered
         r"\bNoBrokersAvailable\b", advice.refused, s.unknown),
    rule("connection-refused", "connection refused", r"(?i:connection refused)", advice.refused,
         s.unknown, nearby=s.near_target),
    rule("auth-failed", ("password authentication failed", "no pg_hba.conf entry",
                         "sasl authentication failed"),  # the last, pgbouncer's
         r"password authentication failed for user|no pg_hba\.conf entry for host"
         r"|FATAL:  SASL authentication failed", advice.auth,
         _PG),
    rule("auth-failed", "role \"", r'\brole "[^"]+" does not exist', advice.auth, _PG),
    rule("auth-failed", ("noauth", "wrongpass", "authentication", "without any password"),
         r"NOAUTH (?:Authentication required|HELLO must be called with the client already "
         r"authenticated)|WRONGPASS invalid username-password pair"
         r"|AUTH <password> called without any password configured"
         r"|redis\.exceptions\.AuthenticationError", advice.auth, _REDIS),
    rule("auth-failed", "access denied for user", r"Access denied for user '[^']*'@", advice.auth,
         s.literal("mysql")),
    rule("auth-failed", "access_refused", r"ACCESS_REFUSED - Login was refused", advice.auth,
         s.literal("rabbitmq")),
    rule("auth-failed", "authentication failed", r"Mongo\w*Error: Authentication failed",
         advice.auth, s.literal("mongodb")),
    rule("database-missing", ("does not exist", "unknown database"),
         r"\bdatabase \"(?P<subject>[^\"]+)\" does not exist"
         r"|Unknown database '(?P<mysql>[^']+)'", advice.database,
         s.first),
    rule("database-missing", "not_allowed - vhost",  # rabbitmq, through any AMQP client
         r"NOT_ALLOWED - vhost (?P<subject>\S+?) not found", advice.vhost),
    rule("syntax-error", ("syntaxerror", "indentationerror", "taberror"),
         r"^\s*(?:\w+\.)*(?:SyntaxError|IndentationError|TabError)\b", advice.syntax,
         s.source_location),
    rule("syntax-error", "bad directive or wrong number of arguments",  # redis.conf
         r"^Bad directive or wrong number of arguments", advice.redis_directive, s.unknown),
    # redis 7 quotes the config line after `>>>` and says below it what is wrong with it: an
    # argument it refuses, or an OS error on the path it names (`dir` it cannot enter)
    rule("permission-denied", ">>> '",
         r"^>>> '[\w-]+ \"?(?P<subject>/[^\"']*)\"?'\s*$", advice.file_permission,
         s.redis_config_path("Permission denied")),
    rule("missing-path", ">>> '",
         r"^>>> '[\w-]+ \"?(?P<subject>/[^\"']*)\"?'\s*$", advice.missing_dir,
         s.redis_config_path("No such file or directory")),
    rule("syntax-error", ">>> '", r"^>>> '", advice.redis_directive, s.redis_config_error),
    rule("permission-denied", "can't open the log file",  # redis names no file
         r"Can't open the log file: Permission denied", advice.redis_log_file, s.unknown),
    rule("missing-path", "can't open the log file",
         r"Can't open the log file: No such file or directory", advice.redis_log_file,
         s.unknown),
    rule("syntax-error", "parse error",  # php
         r"Parse error: .* in (?P<file>\S+) on line (?P<line>\d+)", advice.syntax, s.file_line),
    rule("syntax-error", ("unknown directive", "invalid parameter", "unexpected ",  # nginx
                          "is not terminated by", "is not allowed here", "invalid number of",
                          "invalid value", "no host in upstream"),
         r"(?:^|\[emerg\] )\d+#\d+: (?:unknown directive|invalid parameter|unexpected "
         r"|directive \S+ is not terminated by|\S+ directive is not allowed here"
         r"|invalid number of arguments|invalid value|no host in upstream)"
         r".* in (?P<file>/\S+):(?P<line>\d+)\s*$",
         advice.syntax, s.file_line),
    rule("syntax-error", ("syntax error in file", "unrecognized configuration parameter"),
         r'(?:syntax error|unrecognized configuration parameter "[^"]*") in file '  # postgres
         r'"(?P<file>[^"]+)" line (?P<line>\d+)', advice.syntax, s.file_line),
    rule("syntax-error", "psql:",  # psql -f: a script's statement the server could not parse
         r"^psql:(?P<file>[^\s:]+):(?P<line>\d+): ERROR:\s+(?:syntax error|unterminated )",
         advice.syntax, s.file_line),
    rule("syntax-error", "adapting config using",  # caddy
         r"adapting config using \w+: (?P<file>[^\s:]+):(?P<line>\d+): ", advice.syntax,
         s.file_line),
    rule("syntax-error", "source: ",  # lighttpd
         r"\bsource: (?P<file>\S+) line: (?P<line>\d+) pos: \d+", advice.syntax, s.file_line),
    rule("syntax-error", "nats-server: ",
         r"^nats-server: (?P<file>[^\s:]+):(?P<line>\d+):\d+: ", advice.syntax, s.file_line),
    rule("syntax-error", ("unknown variable", "unknown option"),  # mariadbd, mysqld
         r"\b(?:mariadbd|mysqld): unknown (?:variable|option) '", advice.config_option, s.unknown),
    # a config value that does not parse, its line not said: ZooKeeper's ConfigException with a
    # NumberFormatException as its cause; Kafka's ConfigDef
    rule("syntax-error", "numberformatexception", r"NumberFormatException: For input string: ",
         advice.config_value, s.config_cause),
    rule("syntax-error", "configexception: invalid value",
         r"ConfigException: Invalid value .+ for configuration \S+", advice.config_value,
         s.unknown),
    rule("syntax-error", "syntax error on line",  # apache: the line that follows says what
         r"AH00526: Syntax error on line (?P<line>\d+) of (?P<file>[^:]+):", advice.syntax,
         s.file_line),
    rule("syntax-error", " at line ",  # dnsmasq: `bad option at line 2 of FILE`
         r"\b(?:bad|unknown|invalid|unsupported|missing|syntax error|error)\b[^:]*? at line "
         r"(?P<line>\d+) of (?P<file>[\w./-]*[./][\w./-]*)\s*$", advice.syntax, s.file_line),
    rule("syntax-error", "' line ",  # varnishd's VCC compiler: the place under its message
         r"^\('(?P<file>[^']+)' Line (?P<line>\d+) Pos \d+\)", advice.syntax, s.file_line),
    rule("syntax-error", ".go:",  # the go compiler
         r"^(?P<file>\S+\.go):(?P<line>\d+):\d+: ", advice.syntax, s.compiled_at),
    # a command that went to the background and returned: nothing is left to supervise
    rule("daemonized", "[pm2] starting", r"^\[PM2\] Starting \S+ in \w+_mode", advice.daemonized,
         s.literal("pm2")),
    # supervisord restarting a server that exits 0 at once: a daemon that forked away
    rule("daemonized", "(exit status 0; not expected)",
         r"exited: (?P<subject>\S+) \(exit status 0; not expected\)", advice.daemonized,
         s.daemon, root=True),  # its next starts fail to bind: the daemon holds it
    rule("daemonized", "parent exiting",  # mongod --fork
         r"child process started successfully, parent exiting", advice.daemonized,
         s.literal("mongod")),
    # compose's own line: a service killed by a signal (the kernel's OOM killer, a segfault, an
    # abort); its siblings' refusals after it follow from it. (SIGTERM's 143 is compose
    # stopping it.)
    rule("crashed", "exited with code 13",
         r"^[\w.-]+ exited with code (?P<subject>13[245679])\s*$", advice.crashed, ended=True),
    rule("crashed", ("execution of the postgresql server", "cannot be run as root"),
         r'"root" execution of the PostgreSQL server is not permitted'
         r"|initdb: error: cannot be run as root", advice.root_postgres, s.exit_status),
)
# fmt: on

