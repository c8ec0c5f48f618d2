package io.virtfleet.agent.storage;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per volume name, shared by what changes a volume's content or existence (a population starting, a
 * deletion) and by a domain start on it: a domain never starts on a volume that is being repopulated, and a
 * population never begins while a domain start on the volume is under way. Always taken before the volume service's
 * own monitor, never the other way round.
 */
final class VolumeLocks {
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    <T> T with(String name, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
