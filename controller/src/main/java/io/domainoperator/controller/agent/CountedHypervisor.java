package io.domainoperator.controller.agent;

import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.DomainInfo;
import io.domainoperator.hypervisor.ForwardingHypervisor;
import io.domainoperator.hypervisor.HostInfo;
import io.domainoperator.hypervisor.Hypervisor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backend with every call counted, as {@code domainoperator_hypervisor_calls_total{call}}: how often a node
 * lists its hypervisor under load is the figure that tells a coalescing poller from one list per operation.
 * Calls that change nothing (consoles, config file) go straight through. Counting starts with the first call; {@link #register} publishes the counts once the agent's registry exists.
 */
public final class CountedHypervisor extends ForwardingHypervisor {
    /** The port's calls, named as on /metrics. */
    enum Call { LIST, LOOK, CREATE, UNPAUSE, PAUSE, SHUTDOWN, DESTROY, HOST_INFO, RESIZE, SAVE, RESTORE }

    private final Map<Call, AtomicLong> counts = new EnumMap<>(Call.class);

    public CountedHypervisor(Hypervisor backend) {
        super(backend);
        for (Call c : Call.values()) {
            counts.put(c, new AtomicLong());
        }
    }

    /** Publishes the counters in {@code registry}, tagged with this node. */
    public void register(MeterRegistry registry, String node) {
        counts.forEach((call, n) -> FunctionCounter.builder("domainoperator.hypervisor.calls", n, AtomicLong::get)
            .description("Calls to the hypervisor backend, by call (list is one poll of every domain)")
            .tags("call", call.name().toLowerCase(Locale.ROOT), "node", node).register(registry));
    }

    long count(Call call) {
        return counts.get(call).get();
    }

    @Override
    public List<DomainInfo> listDomains() {
        counts.get(Call.LIST).incrementAndGet();
        return backend().listDomains();
    }

    @Override
    public Optional<DomainInfo> look(String name) {
        counts.get(Call.LOOK).incrementAndGet();
        return backend().look(name);
    }

    @Override
    public DomainInfo createPaused(DomainDefinition definition) {
        counts.get(Call.CREATE).incrementAndGet();
        return backend().createPaused(definition);
    }

    @Override
    public void unpause(String name) {
        counts.get(Call.UNPAUSE).incrementAndGet();
        backend().unpause(name);
    }

    @Override
    public void pause(String name) {
        counts.get(Call.PAUSE).incrementAndGet();
        backend().pause(name);
    }

    @Override
    public void requestShutdown(String name) {
        counts.get(Call.SHUTDOWN).incrementAndGet();
        backend().requestShutdown(name);
    }

    @Override
    public void destroy(String name) {
        counts.get(Call.DESTROY).incrementAndGet();
        backend().destroy(name);
    }

    @Override
    public HostInfo hostInfo() {
        counts.get(Call.HOST_INFO).incrementAndGet();
        return backend().hostInfo();
    }

    @Override
    public void resizeLive(String name, int vcpus, int memoryMiB) {
        counts.get(Call.RESIZE).incrementAndGet();
        backend().resizeLive(name, vcpus, memoryMiB);
    }

    @Override
    public void saveToFile(String name, String imagePath) {
        counts.get(Call.SAVE).incrementAndGet();
        backend().saveToFile(name, imagePath);
    }

    @Override
    public DomainInfo restorePaused(DomainDefinition definition, String imagePath) {
        counts.get(Call.RESTORE).incrementAndGet();
        return backend().restorePaused(definition, imagePath);
    }
}
