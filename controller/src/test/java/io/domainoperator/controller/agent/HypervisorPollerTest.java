package io.domainoperator.controller.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ForwardingHypervisor;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The poller owns listing: follow-up looks are coalesced, never waited for, and every request is answered. */
class HypervisorPollerTest {

    /** The simulator (no domains), counting its lists and the most ever in flight at once; a gate holds lists. */
    static final class CountingHypervisor extends ForwardingHypervisor {
        final AtomicInteger lists = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        volatile CountDownLatch gate = new CountDownLatch(0);

        CountingHypervisor() {
            super(SimulatedHypervisor.builder().build());
        }

        @Override
        public List<DomainInfo> listDomains() {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                gate.await();
                lists.incrementAndGet();
                return super.listDomains();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            } finally {
                inFlight.decrementAndGet();
            }
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
