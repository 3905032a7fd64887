package io.domainoperator.controller.agent;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Guests a live migration resumed on this node, until the hypervisor poller has listed them since. Until then the
 * DomainConfig loop's snapshot still shows the arrived guest paused with no CPU time spent here, which rule 2 reads as
 * a half-created domain: it destroyed and rebooted the guest that had just arrived (LiveMigrationE2E under load, stop
 * 14). The migration keeps holding such a DomainConfig ({@link MigrationAgent#holds}) until a poll answered.
 */
final class ArrivalsAwaitingPoll {
    /** DomainConfig key to the sequence number of the first poll that sees the guest resumed. */
    private final Map<String, Long> tickets = new ConcurrentHashMap<>();

    /** The guest of {@code key} was resumed here; {@code ticket}: the first poll that started after. */
    void resumed(String key, long ticket) {
        tickets.put(key, ticket);
    }

    /** Whether the DomainConfig loop must still wait, given the sequence number of the poller's latest snapshot. */
    boolean awaiting(String key, long latestSnapshot) {
        Long ticket = tickets.get(key);
        if (ticket == null) {
            return false;
        }
        if (latestSnapshot >= ticket) {
            tickets.remove(key, ticket);
            return false;
        }
        return true;
    }
}
