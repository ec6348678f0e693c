#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs a program with the signal dispositions a terminal would give it.

  exec_dfl.py PROGRAM ARGS...

A background job of a script starts with SIGINT and SIGQUIT ignored, and
an ignored signal never reaches a signalfd: ecmpd started that way would
not stop on SIGINT. This restores the defaults, unblocks every signal and
execs PROGRAM (same pid).
"""
import os
import signal
import sys

if len(sys.argv) < 2:
    print(__doc__, file=sys.stderr)
    sys.exit(2)
for s in (signal.SIGINT, signal.SIGQUIT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(s, signal.SIG_DFL)
signal.pthread_sigmask(signal.SIG_SETMASK, [])
os.execv(sys.argv[1], sys.argv[1:])
