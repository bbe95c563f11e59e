#!/usr/bin/env python3
"""A delay line for one node's link, for kernels without netem (./cluster slow I MS).

Moves Ethernet frames between two interfaces with raw packet sockets: frames from NODE_SIDE (the node's
veth, taken off the bridge) go to NET_SIDE (a veth whose peer is on the bridge) after DELAY_MS plus a normal
jitter of DELAY_MS/4, in order (a link delays, it does not reorder); frames from NET_SIDE go to NODE_SIDE at
once. So node I's outgoing packets wait DELAY_MS, as netem on its interface would make them.
Runs until it is killed (./cluster heal or stop kills it by its PID); it starts nothing else.
Usage: delay-line.py NODE_SIDE NET_SIDE DELAY_MS
"""
import heapq
import random
import select
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def open_raw(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((ifname, 0))
    s.setblocking(False)
    return s


def main():
    node_if, net_if, delay_ms = sys.argv[1], sys.argv[2], float(sys.argv[3])
    node, net = open_raw(node_if), open_raw(net_if)
    jitter = delay_ms / 4.0
    queue = []  # (due, seq, frame): frames from the node waiting for their time
    seq = 0
    last_due = 0.0
    while True:
        timeout = max(0.0, queue[0][0] - time.monotonic()) if queue else 1.0
        readable, _, _ = select.select([node, net], [], [], timeout)
        for s in readable:
            while True:
                try:
                    frame, addr = s.recvfrom(65535)
                except BlockingIOError:
                    break
                if addr[2] == PACKET_OUTGOING:
                    continue  # our own writes, seen again on the way out
                if s is node:
                    due = time.monotonic() + max(0.0, random.gauss(delay_ms, jitter)) / 1000.0
                    due = max(due, last_due)  # in order, as on a real link
                    last_due = due
                    heapq.heappush(queue, (due, seq, frame))
                    seq += 1
                else:
                    try:
                        node.send(frame)
                    except OSError:
                        pass  # a full queue drops the frame, as a link would
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, frame = heapq.heappop(queue)
            try:
                net.send(frame)
            except OSError:
                pass


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
