"""Helpers shared by the peer scripts: timing, peak memory, versions, JSON out."""

import importlib.metadata
import json
import resource
import sys
import time


def version(dist):
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return None


def peak_rss_bytes():
    # VmHWM is this process's own peak (ru_maxrss would carry the parent's peak across fork + exec on Linux).
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class Clock:
    def __init__(self):
        self.start = time.perf_counter()

    def lap(self):
        now = time.perf_counter()
        elapsed = now - self.start
        self.start = now
        return elapsed


def emit(obj):
    json.dump(obj, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()
