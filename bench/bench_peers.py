"""bringup next to the process managers people would pick instead (supervisord, circus, PM2,
honcho), on the same generated stacks in the same script, run by run in turn.

    python bench/bench_peers.py [--runs N] [--window S] [--only FIGURE ...]

Every service is one small Python program (`svc.py`, written into each stack) that listens on
127.0.0.3 after a delay; the bench connects from 127.0.0.4, so no client's ephemeral port can
take a service's port. Each tool has a port block of its own, so the stacks of all tools can
run at once and be measured in the same window. The peers are installed on first use into
`bench/.peers/` (gitignored): a venv with supervisor, honcho and circus, and pm2 from npm with a
PM2_HOME of its own. The figures, each with min/median/max and the ratio to bringup:

  dag        `up` until every port answers: 20 services in 4 levels, ready delays 100-800 ms,
             against the critical path (goal: + 10% + 20 ms a level)
  dag-gated  the same, where a service exits at once when a service it needs does not answer
             yet (the peers restart it until it happens to start late enough)
  wide       40 independent services, 500 ms each, against one service alone, and against
             `bare`: the bench spawning all forty itself at once, no manager (the floor forty
             interpreters starting on this machine's cores allow)
  kill       kill -9 of a service until its port answers again, under each supervisor
             (goal: 50 ms + the service's own start time)
  idle       CPU-seconds, writes and RSS per 60 s supervising 20 healthy services
             (bringup watch checks every second; goal under 0.3 CPU-s and no writes)
  status     the status of 50 running services (goal: at or under supervisorctl status), and
             what each added service costs `report --no-check` (goal under 1 ms)
  down       stopping 20 services, against one (goal under 2x)
  help       `--help` of each CLI
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from common import ENV, ROOT, machine

from bringup.state.model import ServiceState, State
from bringup.state.store import Store

PEERS = ROOT / "bench" / ".peers"
HOST, CLIENT = "127.0.0.3", "127.0.0.4"
BLOCKS = {"bringup": 21000, "supervisord": 22000, "circus": 23000, "pm2": 24000,
          "honcho": 25000, "bare": 26000}
PYTHON = sys.executable
SERVICE = """\
import socket, sys, time
port, delay, needs = int(sys.argv[1]), int(sys.argv[2]), [int(p) for p in sys.argv[3:]]
for need in needs:  # a service that gives up when what it needs does not answer yet
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.3", need)) != 0:
            sys.exit(f"cannot reach 127.0.0.3:{need}")
time.sleep(delay / 1000)
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.3", port))
server.listen(64)
while True:
    server.accept()[0].close()
"""


# --- the stacks --------------------------------------------------------------------------

@dataclass
class Spec:
    name: str
    delay: int  # ms before it listens
    after: list[str] = field(default_factory=list)


@dataclass
class Stack:
    """One generated stack, written for one tool in a folder of its own."""

    tool: str
    folder: Path
    specs: list[Spec]
    gated: bool = False  # services exit when what they need does not answer

    def port(self, name: str) -> int:
        return BLOCKS[self.tool] + [s.name for s in self.specs].index(name)

    @property
    def ports(self) -> list[int]:
        return [self.port(spec.name) for spec in self.specs]

    def argv(self, spec: Spec) -> list[str]:
        needs = [str(self.port(name)) for name in spec.after] if self.gated else []
        return [PYTHON, "svc.py", str(self.port(spec.name)), str(spec.delay), *needs]


def dag(seed: int = 11) -> list[Spec]:
    """20 services in 4 levels of 5; each after one or two of the level above."""
    rng = random.Random(seed)
    levels: list[list[Spec]] = []
    for level in range(4):
        row = []
        for index in range(5):
            above = [s.name for s in levels[-1]] if levels else []
            after = sorted(rng.sample(above, rng.choice((1, 2)))) if above else []
            row.append(Spec(f"l{level}s{index}", rng.randrange(100, 801, 10), after))
        levels.append(row)
    return [spec for row in levels for spec in row]


def critical_path(specs: list[Spec]) -> int:
    done: dict[str, int] = {}
    for spec in specs:  # written in dependency order
        done[spec.name] = spec.delay + max((done[name] for name in spec.after), default=0)
    return max(done.values())


def flat(count: int, delay: int) -> list[Spec]:
    return [Spec(f"s{index:02d}", delay) for index in range(count)]


def write(stack: Stack) -> Stack:
    folder = stack.folder
    folder.mkdir(parents=True)
    (folder / "svc.py").write_text(SERVICE)
    writer = {"bringup": _bringup, "supervisord": _supervisord, "circus": _circus,
              "pm2": _pm2, "honcho": _honcho, "bare": lambda stack: None}[stack.tool]
    writer(stack)
    return stack


def _bringup(stack: Stack) -> None:
    """Recipes, and a state in which every service was proven and then stopped by `down`
    (what `up` starts again), so that each run times `up` itself and not the wizard."""
    (stack.folder / "recipes").mkdir()
    state = State()
    for spec in stack.specs:
        port = stack.port(spec.name)
        after = f"after = {json.dumps(spec.after)}\n" if spec.after else ""
        (stack.folder / "recipes" / f"{spec.name}.toml").write_text(
            f"command = {json.dumps(stack.argv(spec))}\nport = {port}\n{after}"
            'restart = "always"\nmax_restarts = 100\nstop_grace = 5\n'
            f'[verify]\ntcp = "{HOST}:{port}"\nstartup_timeout = 30\ninterval = 1.0\n')
        state.services[spec.name] = ServiceState(
            stage="stable", status="stopped", port=port, proven_at="2026-12-06T00:00:00+00:00",
            reason="stopped by `bringup down`")
    Store(stack.folder / "state").save(state)


def _supervisord(stack: Stack) -> None:
    d = stack.folder
    lines = [f"[unix_http_server]\nfile={d}/supervisor.sock\n",
             f"[supervisord]\nlogfile={d}/supervisord.log\npidfile={d}/supervisord.pid\n"
             f"childlogdir={d}\n",
             "[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = "
             "supervisor.rpcinterface:make_main_rpcinterface\n",
             f"[supervisorctl]\nserverurl=unix://{d}/supervisor.sock\n"]
    for spec in stack.specs:  # its defaults, but for enough retries to outlast a gated start
        lines.append(f"[program:{spec.name}]\ncommand={' '.join(stack.argv(spec))}\n"
                     f"directory={d}\nstartretries=1000\nstopsignal=TERM\n")
    (d / "supervisord.conf").write_text("\n".join(lines))


def _circus(stack: Stack) -> None:
    d = stack.folder
    lines = [f"[circus]\nendpoint = ipc://{d}/circus.sock\npubsub_endpoint = ipc://{d}/pub.sock\n"
             f"statsd = false\npidfile = {d}/circusd.pid\nlogoutput = {d}/circusd.log\n"]
    for spec in stack.specs:
        argv = stack.argv(spec)
        lines.append(f"[watcher:{spec.name}]\ncmd = {argv[0]}\nargs = {' '.join(argv[1:])}\n"
                     f"working_dir = {d}\nmax_retry = -1\n")
    (d / "circus.ini").write_text("\n".join(lines))


def _pm2(stack: Stack) -> None:
    apps = [{"name": spec.name, "script": stack.argv(spec)[0], "args": stack.argv(spec)[1:],
             "interpreter": "none", "cwd": str(stack.folder), "autorestart": True}
            for spec in stack.specs]
    (stack.folder / "ecosystem.config.js").write_text(
        f"module.exports = {json.dumps({'apps': apps}, indent=1)};\n")


def _honcho(stack: Stack) -> None:
    (stack.folder / "Procfile").write_text("".join(
        f"{spec.name}: {' '.join(stack.argv(spec))}\n" for spec in stack.specs))


# --- driving each tool -------------------------------------------------------------------

def peer(name: str) -> str:
    return str(PEERS / ("node_modules/.bin" if name == "pm2" else "venv/bin") / name)


def install_peers() -> None:
    if not (PEERS / "venv/bin/circusd").exists():
        subprocess.run([sys.executable, "-m", "venv", PEERS / "venv"], check=True)
        subprocess.run([PEERS / "venv/bin/pip", "install", "-q", "supervisor", "honcho",
                        "circus"], check=True)
    if not Path(peer("pm2")).exists():
        subprocess.run(["npm", "install", "--silent", "--prefix", PEERS, "pm2"], check=True)


def pm2_env(stack: Stack) -> dict[str, str]:
    return {**ENV, "PM2_HOME": str(stack.folder / "pm2home")}


def run(argv: Sequence[str | Path], stack: Stack, *, check: bool = True) -> None:
    env = pm2_env(stack) if stack.tool == "pm2" else ENV
    done = subprocess.run([str(a) for a in argv], cwd=stack.folder, env=env, check=False,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if check and done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, argv))} failed: {done.stderr[-500:]}")


def bringup(*args: str | Path) -> list[str]:
    return [PYTHON, "-m", "bringup", *map(str, args)]


class Running:
    """A tool supervising its stack: started by `start`, ended by `stop`."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.foreground: subprocess.Popen[bytes] | None = None
        self.watch: subprocess.Popen[bytes] | None = None
        self.children: list[subprocess.Popen[bytes]] = []  # bare: the services themselves

    def start(self) -> None:
        s, d = self.stack, self.stack.folder
        if s.tool == "bringup":  # up returns once every service is verified
            self.foreground = popen(bringup("up", "--workspace", d), s)
        elif s.tool == "supervisord":
            run([peer("supervisord"), "-c", d / "supervisord.conf"], s)
        elif s.tool == "circus":
            run([peer("circusd"), "--daemon", d / "circus.ini"], s)
        elif s.tool == "pm2":
            run([peer("pm2"), "start", d / "ecosystem.config.js"], s)
        elif s.tool == "bare":  # no manager: every service spawned at once, the floor
            self.children = [popen(s.argv(spec), s) for spec in s.specs]
        else:
            self.foreground = popen([peer("honcho"), "start", "-f", d / "Procfile", "-d", d], s)

    def stop_command(self) -> list[str | Path]:
        d = self.stack.folder
        return {"bringup": bringup("down", "--workspace", d),
                "supervisord": [peer("supervisorctl"), "-c", d / "supervisord.conf", "stop",
                                "all"],
                "circus": [peer("circusctl"), "--endpoint", f"ipc://{d}/circus.sock", "stop"],
                "pm2": [peer("pm2"), "stop", "all"]}[self.stack.tool]

    def stop(self) -> None:
        """Everything it started ends, its daemon too; returns once every port is free."""
        s, d = self.stack, self.stack.folder
        if self.foreground is not None:
            self.foreground.wait(timeout=120)  # up has finished (honcho never does)
        if s.tool == "bringup":
            if self.watch is not None:  # it holds the workspace while it runs
                self.watch.send_signal(signal.SIGINT)
                self.watch.wait(timeout=30)
                self.watch = None
            run(bringup("down", "--workspace", d), s, check=False)
        elif s.tool == "supervisord":
            run([peer("supervisorctl"), "-c", d / "supervisord.conf", "shutdown"], s,
                check=False)
        elif s.tool == "circus":
            run([peer("circusctl"), "--endpoint", f"ipc://{d}/circus.sock", "quit"], s,
                check=False)
        elif s.tool == "pm2":
            run([peer("pm2"), "kill"], s, check=False)
        for child in self.children:
            child.kill()
            child.wait()
        self.children = []
        deadline = time.monotonic() + 30
        while any(answers(port) for port in s.ports):
            if time.monotonic() > deadline:
                raise SystemExit(f"{s.tool}: its services still answer 30 s after stopping")
            time.sleep(0.05)


def popen(argv: Sequence[str | Path], stack: Stack) -> subprocess.Popen[bytes]:
    return subprocess.Popen([str(a) for a in argv], cwd=stack.folder, env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def end_honcho(running: Running) -> None:
    process = running.foreground
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    running.foreground = None


def answers(port: int) -> bool:
    with socket.socket() as client:
        client.bind((CLIENT, 0))
        client.settimeout(0.2)
        return client.connect_ex((HOST, port)) == 0


def until_all_answer(ports: Sequence[int], limit: float) -> float | None:
    """Seconds until every port answers, from now; None at the limit."""
    started = time.perf_counter()
    left = set(ports)
    while left:
        left = {port for port in left if not answers(port)}
        if time.perf_counter() - started > limit:
            return None
        if left:
            time.sleep(0.002)
    return time.perf_counter() - started


@contextmanager
def supervising(stacks: list[Stack]) -> Iterator[list[Running]]:
    runnings = [Running(stack) for stack in stacks]
    try:
        for running in runnings:
            running.start()
            if until_all_answer(running.stack.ports, 60) is None:
                raise SystemExit(f"{running.stack.tool}: its services did not all answer")
            if running.foreground is not None and running.stack.tool == "bringup":
                running.foreground.wait(timeout=60)
                running.foreground = None
        yield runnings
    finally:
        for running in runnings:
            if running.stack.tool == "honcho":
                end_honcho(running)
            else:
                running.stop()


# --- the figures -------------------------------------------------------------------------

Times = dict[str, list[float | None]]


def show(title: str, times: Times, *, unit: str = "ms", mark: str = "") -> None:
    print(f"\n{title}{f' ({mark})' if mark else ''}")
    base = _median(times.get("bringup", []))
    for tool, taken in times.items():
        known = [t for t in taken if t is not None]
        never = len(taken) - len(known)
        if not known:
            print(f"  {tool:28s} never (within the limit, {never} of {len(taken)} runs)")
            continue
        median = statistics.median(known)
        ratio = f"  {median / base:5.2f}x bringup" if base and tool != "bringup" else ""
        missed = f"  ({never} of {len(taken)} runs never)" if never else ""
        print(f"  {tool:28s} {min(known):8.1f} {median:8.1f} {max(known):8.1f} {unit}"
              f"{ratio}{missed}")


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if known else None


def fig_up(label: str, specs: list[Spec], tools: list[str], runs: int, base: Path, *,
           gated: bool, limit: float) -> Times:
    """Each run starts each tool's stack from nothing and times until every port answers."""
    stacks = {tool: write(Stack(tool, base / f"{tool}-{label}", specs, gated)) for tool in tools}
    times: Times = {tool: [] for tool in tools}
    for _ in range(runs):
        for tool in tools:
            running = Running(stacks[tool])
            started = time.perf_counter()
            running.start()
            took = until_all_answer(stacks[tool].ports, limit)
            times[tool].append(None if took is None else (time.perf_counter() - started) * 1000)
            if tool == "honcho":
                end_honcho(running)
                running.stop()
            else:
                running.stop()
    return times


def fig_kill(stacks: list[Stack], runs: int) -> Times:
    """Each run kills one service of each stack in turn, a different one each run (so no
    backoff of any tool comes into it), and times until its port answers again."""
    times: Times = {stack.tool: [] for stack in stacks}
    for index in range(runs):
        for stack in stacks:
            spec = stack.specs[index % len(stack.specs)]
            port = stack.port(spec.name)
            pid = listener(port)
            started = time.perf_counter()
            os.kill(pid, signal.SIGKILL)
            while answers(port) and time.perf_counter() - started < 1:
                time.sleep(0.0005)  # until the kernel has closed the killed one's socket
            took = until_all_answer([port], 10)
            times[stack.tool].append(None if took is None else
                                     (time.perf_counter() - started) * 1000)
            time.sleep(0.3)
    return times


def listener(port: int) -> int:
    import psutil

    for conn in psutil.net_connections("tcp4"):
        if conn.status == "LISTEN" and conn.laddr.port == port and conn.pid:
            return conn.pid
    raise SystemExit(f"nothing listens on {port}")


def daemon(stack: Stack) -> int:
    d = stack.folder
    file = {"bringup": d / "watch.pid", "supervisord": d / "supervisord.pid",
            "circus": d / "circusd.pid", "pm2": d / "pm2home/pm2.pid"}[stack.tool]
    return int(file.read_text().strip())


def fig_idle(stacks: list[Stack], window: float) -> dict[str, tuple[float, int, int, float]]:
    """CPU-seconds, write calls, bytes written (all scaled to 60 s) and RSS of each
    supervisor over the same window, all supervising at once."""
    import psutil

    processes = {stack.tool: psutil.Process(daemon(stack)) for stack in stacks}
    time.sleep(3)  # past the first rounds of each
    before = {tool: (sum(p.cpu_times()[:2]), p.io_counters()) for tool, p in processes.items()}
    time.sleep(window)
    scale = 60 / window
    figures = {}
    for tool, process in processes.items():
        cpu, io = before[tool]
        now = process.io_counters()
        figures[tool] = ((sum(process.cpu_times()[:2]) - cpu) * scale,
                         round((now.write_count - io.write_count) * scale),
                         round((now.write_chars - io.write_chars) * scale),
                         process.memory_info().rss / 2**20)
    return figures


def start_watch(running: Running) -> None:
    stack = running.stack
    running.watch = popen(bringup("watch", "--workspace", stack.folder), stack)
    (stack.folder / "watch.pid").write_text(f"{running.watch.pid}\n")
    time.sleep(1)
    if running.watch.poll() is not None:
        raise SystemExit("bringup watch ended at once")


def timed(argv: Sequence[str | Path], stack: Stack) -> Callable[[], float]:
    env = pm2_env(stack) if stack.tool == "pm2" else ENV

    def once() -> float:
        started = time.perf_counter()
        subprocess.run([str(a) for a in argv], cwd=stack.folder, env=env, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return (time.perf_counter() - started) * 1000

    return once


def interleaved(actions: dict[str, Callable[[], float]], runs: int) -> Times:
    for action in actions.values():
        action()  # writes the bytecode caches, warms the file cache
    times: Times = {label: [] for label in actions}
    for _ in range(runs):
        for label, action in actions.items():
            times[label].append(action())
    return times


def status_commands(stack: Stack) -> dict[str, list[str | Path]]:
    d = stack.folder
    return {"bringup": {"bringup report --no-check": bringup("report", "--no-check",
                                                             "--workspace", d),
                        "bringup report --json": bringup("report", "--json", "--workspace", d)},
            "supervisord": {"supervisorctl status": [peer("supervisorctl"), "-c",
                                                     d / "supervisord.conf", "status"]},
            "circus": {"circusctl status": [peer("circusctl"), "--endpoint",
                                            f"ipc://{d}/circus.sock", "status"]},
            "pm2": {"pm2 jlist": [peer("pm2"), "jlist"]}}[stack.tool]


def one_alone(runs: int, base: Path) -> float:
    """ms from spawning one service with no delay until it answers: a service's start time."""
    stack = write(Stack("bringup", base / "alone", flat(1, 0)))
    taken = []
    for _ in range(runs):
        process = subprocess.Popen(stack.argv(stack.specs[0]), cwd=stack.folder)
        started = time.perf_counter()
        until_all_answer(stack.ports, 10)
        taken.append((time.perf_counter() - started) * 1000)
        process.kill()
        process.wait()
        while answers(stack.ports[0]):
            time.sleep(0.01)
    return statistics.median(taken)


@contextmanager
def leaving_nothing(base: Path) -> Iterator[Path]:
    """Whatever way the bench ends, no process it started from `base` outlives it (a failed
    figure would leave its daemons and services holding the ports of the next run)."""
    import psutil

    try:
        yield base
    finally:
        for process in psutil.process_iter(["cmdline", "cwd"]):
            text = " ".join(process.info["cmdline"] or []) + " " + (process.info["cwd"] or "")
            if str(base) in text and process.pid != os.getpid():
                with contextlib.suppress(psutil.Error):
                    process.kill()


FIGURES = ("dag", "dag-gated", "wide", "kill", "idle", "status", "down", "help")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--window", type=float, default=60.0,
                        help="seconds of idle supervision measured (figures scaled to 60 s)")
    parser.add_argument("--only", nargs="+", choices=FIGURES, default=FIGURES)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    install_peers()
    peers = ["supervisord", "circus", "pm2"]
    runs, only = args.runs, set(args.only)
    print(f"machine: {machine()}; min / median / max of {runs} runs, the tools in turn each run")
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as folder, leaving_nothing(
            Path(folder)) as base:
        start_ms = one_alone(9, base)
        print(f"one service alone, spawn to answering: {start_ms:.1f} ms (its start time)")
        if "dag" in only:
            specs = dag()
            path = critical_path(specs)
            goal = path * 1.1 + 20 * 4
            times = fig_up("dag", specs, ["bringup", *peers, "honcho"], runs, base,
                           gated=False, limit=60)
            show(f"up, 20 services in 4 levels: critical path {path} ms", times,
                 mark=f"goal {goal:.0f} ms; only bringup waits for readiness")
        if "dag-gated" in only:
            specs = dag()
            times = fig_up("gated", specs, ["bringup", *peers, "honcho"], max(runs // 2, 2),
                           base, gated=True, limit=30)
            show("up, the same 20 where a service exits when a dependency is not up yet",
                 times, mark="limit 30 s")
        if "wide" in only:
            times = fig_up("wide", flat(40, 500), ["bringup", *peers, "honcho", "bare"],
                           runs, base, gated=False, limit=60)
            show("up, 40 independent services of 500 ms", times,
                 mark=f"ideal {500 + start_ms:.0f} ms")
        if "down" in only:
            figure_down(runs, base)
        if "status" in only:
            stacks = [write(Stack(tool, base / f"{tool}-50", flat(50, 0)))
                      for tool in ["bringup", *peers]]
            with supervising(stacks):
                actions = {label: timed(argv, stack) for stack in stacks
                           for label, argv in status_commands(stack).items()}
                show("status of 50 running services", interleaved(actions, runs))
            figure_growth(runs, base)
        if only & {"kill", "idle"}:
            stacks = [write(Stack(tool, base / f"{tool}-20", flat(20, 0)))
                      for tool in ["bringup", *peers]]
            with supervising(stacks) as runnings:
                start_watch(runnings[0])
                if "idle" in only:
                    idle = fig_idle(stacks, args.window)
                    print(f"\nsupervising 20 healthy services, per 60 s (measured over "
                          f"{args.window:.0f} s at once; bringup watch checks every 1 s)")
                    print("  tool           CPU-s   writes     bytes     RSS")
                    for tool, (cpu, writes, written, rss) in idle.items():
                        print(f"  {tool:12s} {cpu:7.3f} {writes:8d} {written:9d} "
                              f"{rss:5.1f} MB")
                if "kill" in only:
                    show("kill -9, until the port answers again", fig_kill(stacks, runs * 2),
                         mark=f"goal {50 + start_ms:.0f} ms = 50 ms + its start time")
        if "help" in only:
            stack = Stack("bringup", base, [])
            actions = {"bringup --help": timed(bringup("--help"), stack),
                       "honcho --help": timed([peer("honcho"), "--help"], stack),
                       "supervisorctl --help": timed([peer("supervisorctl"), "--help"], stack),
                       "circusctl --help": timed([peer("circusctl"), "--help"], stack),
                       "pm2 --help": timed([peer("pm2"), "--help"], stack)}
            show("--help", interleaved(actions, runs * 3))


def figure_down(runs: int, base: Path) -> None:
    """Stopping 20 services against stopping one, each tool's own stop command, services up."""
    many = {tool: write(Stack(tool, base / f"{tool}-down20", dag()))
            for tool in ["bringup", "supervisord", "circus", "pm2"]}
    single = write(Stack("bringup", base / "bringup-down1", flat(1, 0)))
    times: Times = {"bringup down, 1 service": []}
    times.update({f"{tool} stop, 20 services": [] for tool in many})
    for _ in range(runs):
        for label, stack in [("bringup down, 1 service", single),
                             *((f"{tool} stop, 20 services", stack)
                               for tool, stack in many.items())]:
            running = Running(stack)
            running.start()
            until_all_answer(stack.ports, 60)
            if running.foreground is not None:
                running.foreground.wait(timeout=60)
                running.foreground = None
            times[label].append(timed(running.stop_command(), stack)())
            if any(answers(port) for port in stack.ports):
                raise SystemExit(f"{label}: a service still answers after its stop")
            running.stop()
    times = {"bringup": times.pop("bringup stop, 20 services"), **times}
    single_ms = _median(times["bringup down, 1 service"]) or 0
    show("stopping the stack (each tool's stop of all)", times,
         mark=f"goal under {2 * single_ms:.0f} ms = 2x one service")


def figure_growth(runs: int, base: Path) -> None:
    """What each added service costs `report --no-check`: 10 against 50 stored services."""
    stacks = {count: write(Stack("bringup", base / f"growth-{count}", flat(count, 0)))
              for count in (10, 50)}
    times = interleaved({f"{count}": timed(bringup("report", "--no-check", "--workspace",
                                                   stack.folder), stack)
                         for count, stack in stacks.items()}, runs * 2)
    ten, fifty = (_median(times[key]) or 0 for key in ("10", "50"))
    print(f"  report --no-check: 10 services {ten:.1f} ms, 50 services {fifty:.1f} ms: "
          f"{(fifty - ten) / 40:.2f} ms per added service (goal under 1 ms)")


if __name__ == "__main__":
    main()
