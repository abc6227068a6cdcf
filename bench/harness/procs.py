"""Processes the benchmark starts, and what it reads off them: CPU time, memory, readiness."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
LOGS = Path(os.environ.get("BENCH_LOGS", "/tmp/khub-bench-logs"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(name, argv, env=None, cwd=None):
    """Starts a server in its own process group, its output in a log file."""
    LOGS.mkdir(parents=True, exist_ok=True)
    log = open(LOGS / f"{name}.log", "ab")
    full_env = dict(os.environ, **(env or {}))
    return subprocess.Popen(argv, env=full_env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process):
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for_port(port, process=None, timeout=60.0):
    """Seconds until `port` accepts connections; fails if the process dies first."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return time.monotonic() - started
        except OSError:
            time.sleep(0.005)
    raise RuntimeError(f"nothing listened on port {port} within {timeout} s")


def _stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # After the command: state ppid ... utime(14) stime(15) cutime(16) cstime(17), 1-based.
    return int(fields[1]), [int(x) for x in fields[11:15]]


def _children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if _stat(int(entry))[0] == pid:
                    found.append(int(entry))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                pass
    return found


def cpu_seconds(pid):
    """CPU time of a process tree, including children that have exited and were reaped
    (PostgreSQL backends, cluster workers)."""
    try:
        _, (utime, stime, cutime, cstime) = _stat(pid)
    except FileNotFoundError:
        return 0.0
    total = (utime + stime + cutime + cstime) / CLOCK_TICKS
    return total + sum(_live_cpu(child) for child in _children(pid))


def _live_cpu(pid):
    try:
        _, (utime, stime, _, _) = _stat(pid)
    except FileNotFoundError:
        return 0.0
    return (utime + stime) / CLOCK_TICKS + sum(_live_cpu(c) for c in _children(pid))


def rss_mib(pid):
    """Resident memory of a process tree, in MiB."""
    try:
        with open(f"/proc/{pid}/status") as f:
            kib = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    except (FileNotFoundError, StopIteration):
        return 0.0
    return kib / 1024 + sum(rss_mib(child) for child in _children(pid))


def postmaster_pid():
    out = subprocess.run(["pgrep", "-o", "-x", "postgres"], capture_output=True, text=True)
    return int(out.stdout.split()[0])


def redis_pid():
    out = subprocess.run(["pgrep", "-o", "-x", "redis-server"], capture_output=True, text=True)
    return int(out.stdout.split()[0])


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])
