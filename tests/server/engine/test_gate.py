"""The decode gate serves waiting sessions in the order they came and never over-commits the CPU."""

from __future__ import annotations

import threading
import time

import pytest

from dictation_daemon.server.engine.gate import FairGate

pytestmark = pytest.mark.engine


def test_waiters_are_served_in_arrival_order() -> None:
    gate = FairGate(1)
    gate.acquire()
    served: list[int] = []
    threads = []
    for number in range(5):
        thread = threading.Thread(target=lambda n=number: (gate.acquire(), served.append(n), gate.release()))
        thread.start()
        threads.append(thread)
        while len(gate._waiters) < number + 1:  # wait until this one is queued before starting the next
            time.sleep(0.001)
    gate.release()
    for thread in threads:
        thread.join(timeout=5)
    assert served == [0, 1, 2, 3, 4]


def test_try_acquire_skips_when_busy_or_someone_waits() -> None:
    gate = FairGate(2)
    assert gate.try_acquire()
    assert gate.try_acquire()
    assert not gate.try_acquire()
    gate.release()
    assert gate.try_acquire()


def test_no_more_holders_than_slots() -> None:
    gate = FairGate(2)
    holding = 0
    most = 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal holding, most
        with gate.held():
            with lock:
                holding += 1
                most = max(most, holding)
            time.sleep(0.01)
            with lock:
                holding -= 1

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=5)
    assert most == 2
