package io.domainoperator.controller.agent;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ForwardingHypervisor;
import io.domainoperator.hypervisor.sim.SimulatedHypervisor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The simulator with calls that can be held: {@link #hold} makes the named call for the named domain block until
 * {@link #release}, as a wedged {@code xl create} or a QEMU that ignores its monitor would. Everything else is the
 * simulator's.
 */
final class HeldHypervisor extends ForwardingHypervisor {
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> entered = new ConcurrentHashMap<>();

    HeldHypervisor(SimulatedHypervisor sim) {
        super(sim);
    }

    /** The list's "domain" for {@link #hold}: every list made after the hold blocks until the release. */
    static final String EVERY_LIST = "*";

    /** call: listDomains (domain {@link #EVERY_LIST}), createPaused, unpause, requestShutdown or destroy; domain: its hypervisor name. */
    void hold(String call, String domain) {
        held.put(call + " " + domain, new CountDownLatch(1));
        entered.put(call + " " + domain, new CountDownLatch(1));
    }

    void release(String call, String domain) {
        held.remove(call + " " + domain).countDown();
    }

    /** Releases every held call. */
    void releaseAll() {
        held.values().forEach(CountDownLatch::countDown);
        held.clear();
    }

    /** Whether the held call has been made (and is blocked now, unless released). */
    boolean entered(String call, String domain) {
        CountDownLatch e = entered.get(call + " " + domain);
        return e != null && e.getCount() == 0;
    }

    private void maybeHold(String call, String domain) {
        String key = call + " " + domain;
        CountDownLatch latch = held.get(key);
        if (latch == null) {
            return;
        }
        entered.get(key).countDown();
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while held", e);
        }
    }

    @Override
    public List<DomainInfo> listDomains() {
        maybeHold("listDomains", EVERY_LIST);
        return super.listDomains();
    }

    @Override
    public java.util.Optional<DomainInfo> look(String name) {
        maybeHold("look", name);
        return super.look(name);
    }

    @Override
    public DomainInfo createPaused(DomainDefinition definition) {
        maybeHold("createPaused", definition.name());
        return super.createPaused(definition);
    }

    @Override
    public void unpause(String name) {
        maybeHold("unpause", name);
        super.unpause(name);
    }

    @Override
    public void requestShutdown(String name) {
        maybeHold("requestShutdown", name);
        super.requestShutdown(name);
    }

    @Override
    public void destroy(String name) {
        maybeHold("destroy", name);
        super.destroy(name);
    }
}
