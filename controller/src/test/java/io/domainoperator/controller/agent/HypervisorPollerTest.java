package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.DomainState;
import io.domainoperator.hypervisor.HostInfo;
import io.domainoperator.hypervisor.Hypervisor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The poller owns listing: follow-up looks are coalesced, never waited for, and every request is answered. */
class HypervisorPollerTest {

    /** Lists one domain per name asked about; counts lists, and the most ever in flight at once. */
    static final class CountingHypervisor implements Hypervisor {
        final AtomicInteger lists = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);
        final Set<String> names = ConcurrentHashMap.newKeySet();

        @Override
        public List<DomainInfo> listDomains() {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                gate.await();
                lists.incrementAndGet();
                return names.stream().map(n -> new DomainInfo(1, n, UUID.nameUUIDFromBytes(n.getBytes()),
                    DomainState.RUNNING, 1, 1, 1, 1, true)).toList();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            } finally {
                inFlight.decrementAndGet();
            }
        }

        @Override
        public String backendName() {
            return "counting";
        }

        @Override
        public DomainInfo createPaused(DomainDefinition definition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void unpause(String name) {
        }

        @Override
        public void pause(String name) {
        }

        @Override
        public void requestShutdown(String name) {
        }

        @Override
        public void destroy(String name) {
        }

        @Override
        public HostInfo hostInfo() {
            return new HostInfo(2, 1L << 30, 1L << 29, 0);
        }
    }

    @Test
    void manyConcurrentFollowUpLooksShareListsWithAtMostOneInFlightAndAllAreAnswered() throws Exception {
        CountingHypervisor hv = new CountingHypervisor();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        int requesters = 200;
        try (HypervisorPoller poller = new HypervisorPoller(hv, answered::addAll, s -> { }, Duration.ofMillis(20),
            Clock.systemUTC()); var pool = Executors.newFixedThreadPool(16)) {
            poller.start(Duration.ofHours(1));
            int listsAtStart = hv.lists.get();
            for (int i = 0; i < requesters; i++) {
                String name = "vm-" + i;
                pool.execute(() -> {
                    for (int round = 0; round < 5; round++) {
                        poller.requestLook(name);
                    }
                });
            }
            await("every requester told its look is done").atMost(Duration.ofSeconds(30))
                .until(() -> answered.size() == requesters);
            int lists = hv.lists.get() - listsAtStart;
            System.out.printf("POLLER: %d look requests answered by %d lists%n", requesters * 5, lists);
            assertThat(hv.maxInFlight.get()).as("lists in flight at once").isEqualTo(1);
            assertThat(lists).as("lists for %d requests", requesters * 5).isLessThan(requesters * 5);
        }
    }

    @Test
    void aRequestDoesNotWaitForAHungListAndIsAnsweredOnlyByAListStartedAfterIt() throws Exception {
        CountingHypervisor hv = new CountingHypervisor();
        Set<String> answered = ConcurrentHashMap.newKeySet();
        try (HypervisorPoller poller = new HypervisorPoller(hv, answered::addAll, s -> { }, Duration.ofMillis(1),
            Clock.systemUTC())) {
            poller.start(Duration.ofHours(1));
            hv.gate = new CountDownLatch(1);
            poller.requestLook("first");
            await("the list hangs").until(() -> hv.inFlight.get() == 1);
            assertThat(poller.listingSince()).as("what a waiting domain waits for").isPresent();

            long ticket = poller.requestLook("second"); // returns at once although a list hangs
            assertThat(poller.snapshot().sequence()).isLessThan(ticket);

            hv.gate.countDown();
            await("both answered").until(() -> answered.containsAll(Set.of("first", "second")));
            await("the answer to the second is a snapshot started after it").until(() -> poller.snapshot().sequence() >= ticket);
            assertThat(hv.maxInFlight.get()).isEqualTo(1);
        }
    }
}
