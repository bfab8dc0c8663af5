#!/usr/bin/env python3
"""Runs a command and prints its wall time, its own CPU (user + system) and the CPU of
the PostgreSQL backends that served database DB meanwhile (read from /proc every 0.2 s;
a backend's last reading counts, so up to 0.2 s of each is missed), with the command's
last line of output. The server must run on this machine.

    scripts/pg_backend_cpu.py DB linimasa ingest --database-url postgres://…/DB articles.jsonl

BENCHMARKS.md §5 (session 12) separates the client's and the server's share of a bulk
ingest with it."""
import os, subprocess, sys, time
if len(sys.argv) < 3:
    sys.exit(__doc__)
db = sys.argv[1]; cmd = sys.argv[2:]
tick = os.sysconf('SC_CLK_TCK')
seen = {}
def sample():
    for pid in os.listdir('/proc'):
        if not pid.isdigit(): continue
        try:
            cl = open(f'/proc/{pid}/cmdline','rb').read()
            if not cl.startswith(b'postgres: ') or (b' ' + db.encode() + b' ') not in cl: continue
            f = open(f'/proc/{pid}/stat').read().rsplit(')',1)[1].split()
            seen[pid] = (int(f[11]) + int(f[12])) / tick
        except OSError: pass
t0 = time.time()
ru0 = os.times()
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
import threading
out = []
th = threading.Thread(target=lambda: out.append(p.stdout.read())); th.start()
while p.poll() is None:
    sample(); time.sleep(0.2)
th.join()
t1 = time.time(); ru1 = os.times()
client = (ru1.children_user - ru0.children_user) + (ru1.children_system - ru0.children_system)
last = out[0].decode().strip().splitlines()[-1] if out and out[0] else ''
load = open('/proc/loadavg').read().split()[0]
print(f"wall {t1-t0:.1f} s  client cpu {client:.1f} s  server cpu {sum(seen.values()):.1f} s ({len(seen)} backends)  load {load}  | {last}")
