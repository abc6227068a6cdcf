"""The tools a run needs, installed when missing, and the release binaries built."""

import shutil
import subprocess

from .servers import BENCH, ROOT


def ensure(release=True):
    _apt("wrk", "wrk")
    _apt("nginx", "nginx-light")
    if not shutil.which("oha"):
        subprocess.run(["cargo", "install", "oha", "--locked"], check=True)
    for peer in ("pg5", "pg4"):
        if not (BENCH / "peer" / peer / "node_modules").exists():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"],
                           cwd=BENCH / "peer" / peer, check=True)
    profile = ["--release"] if release else []
    subprocess.run(["cargo", "build", *profile, "-q", "-p", "khub-api", "-p", "khub-bench-fanout"],
                   cwd=ROOT, check=True)


def _apt(command, package):
    if not shutil.which(command) and not shutil.which(f"/usr/sbin/{command}"):
        subprocess.run(["apt-get", "install", "-y", "-q", package], check=True)
