"""Prints N TCP ports free on 127.0.0.1, below Linux's ephemeral range (32768-60999).

A port from the ephemeral range (what binding port 0 gives) can be taken by an outgoing connection
in the seconds before the server binds it; ports from 20000-31999 are not handed out that way.
Usage: python3 scripts/free-ports.py N
"""
import random
import socket
import sys

n = int(sys.argv[1])
held, ports = [], []
tries = 0
while len(ports) < n:
    tries += 1
    if tries > 5000:
        sys.exit("no free port in 20000-31999 on 127.0.0.1")
    port = random.randrange(20000, 32000)
    if port in ports:
        continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        s.close()
        continue
    held.append(s)
    ports.append(port)
print(" ".join(str(p) for p in ports))
for s in held:
    s.close()
