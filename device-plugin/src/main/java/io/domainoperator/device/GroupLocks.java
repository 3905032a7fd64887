package io.domainoperator.device;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The device plugin's locks: one per IOMMU group (a device outside any group is a group of its own), so that moves of
 * unrelated devices run at once and a slow bind of one NIC holds up no GPU. A move takes the locks of every group it
 * touches, in key order (two moves wanting the same two groups never wait for each other crosswise), under the node
 * lock's shared side. Whole-node work (recovery of what a crash left, converge, release) takes the node lock's
 * exclusive side: no group moves meanwhile.
 */
final class GroupLocks {
    private final ReentrantReadWriteLock node = new ReentrantReadWriteLock();
    private final Map<String, ReentrantLock> groups = new ConcurrentHashMap<>();

    /** A set of locks held; closing releases them in reverse order. */
    interface Held extends AutoCloseable {
        /** The group keys held (empty for the whole node, which covers every group). */
        SortedSet<String> keys();

        @Override
        void close();
    }

    /** The lock key of a device: its IOMMU group, or the device itself when it has none. */
    static String key(HostDevices devices, String address) {
        return devices.pci(address).map(PciDevice::iommuGroup).map(g -> "iommu-group " + g).orElse("pci " + address);
    }

    static SortedSet<String> keys(HostDevices devices, Collection<String> addresses) {
        SortedSet<String> keys = new TreeSet<>();
        addresses.forEach(a -> keys.add(key(devices, a)));
        return keys;
    }

    /** These groups, in key order, under the node lock's shared side. */
    Held groups(SortedSet<String> keys) {
        node.readLock().lock();
        List<ReentrantLock> taken = new ArrayList<>();
        try {
            for (String k : keys) {
                ReentrantLock l = groups.computeIfAbsent(k, x -> new ReentrantLock());
                l.lock();
                taken.add(l);
            }
        } catch (RuntimeException e) {
            release(taken);
            throw e;
        }
        SortedSet<String> held = new TreeSet<>(keys);
        return new Held() {
            @Override
            public SortedSet<String> keys() {
                return held;
            }

            @Override
            public void close() {
                release(taken);
            }
        };
    }

    private void release(List<ReentrantLock> taken) {
        for (int i = taken.size() - 1; i >= 0; i--) {
            taken.get(i).unlock();
        }
        node.readLock().unlock();
    }

    /** The whole node: no group moves while it is held. Reentrant. */
    Held node() {
        node.writeLock().lock();
        return new Held() {
            @Override
            public SortedSet<String> keys() {
                return new TreeSet<>();
            }

            @Override
            public void close() {
                node.writeLock().unlock();
            }
        };
    }

    /** Whether this thread holds the whole node (a group move must not start a whole-node one: no upgrade). */
    boolean holdsNode() {
        return node.isWriteLockedByCurrentThread();
    }
}
