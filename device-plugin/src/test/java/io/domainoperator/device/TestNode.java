package io.domainoperator.device;

import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapterSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@link Machine} with a plugin on it and a map standing in for the API server, wired the way the
 * controller wires it: scan, publish, then act with a {@link NodeView}.
 */
final class TestNode {
    static final String NODE = "node1";
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    final FakeSysfs kernel;
    final FakeCommandRunner commands;
    final DeviceJournal journal;
    final PassthroughDriver driver;
    DevicePlugin plugin;
    final Map<String, PhysicalIOAdapter> objects = new LinkedHashMap<>();
    HostPolicy policy = new HostPolicy(Machine.MANAGEMENT_PORTS, false);
    final Set<String> active = new HashSet<>();

    TestNode(Path dir, PassthroughDriver driver) {
        this(dir, driver, new FileDeviceJournal(dir.resolve("run/devices.json")));
    }

    /** With a journal object that outlives {@link #restart()}, as the file would. */
    TestNode(Path dir, PassthroughDriver driver, DeviceJournal journal) {
        this.kernel = Machine.boot(dir.resolve("sys"));
        this.commands = new FakeCommandRunner(kernel);
        this.journal = journal;
        this.driver = driver;
        this.plugin = new DevicePlugin(kernel, commands, journal, driver);
        publish();
    }

    TestNode(Path dir) {
        this(dir, PassthroughDriver.PCIBACK);
    }

    /** The agent process restarts: a new plugin on the same kernel and journal file. */
    DevicePlugin restart() {
        kernel.healthy();
        plugin = new DevicePlugin(kernel, commands, journal, driver);
        return plugin;
    }

    List<PhysicalIOAdapter> publish() {
        List<PhysicalIOAdapter> out = AdapterPublisher.publish(NODE, plugin.snapshot(), objects.values(),
            policy, driver, NOW);
        objects.clear();
        out.forEach(a -> objects.put(a.getMetadata().getName(), a));
        return out;
    }

    /** What an administrator does with kubectl edit. */
    void admin(String pciAddress, Consumer<PhysicalIOAdapterSpec> edit) {
        edit.accept(objects.get(name(pciAddress)).getSpec());
    }

    NodeView view() {
        publish();
        return new NodeView(List.copyOf(objects.values()), policy, active);
    }

    String name(String pciAddress) {
        return objects.values().stream().filter(a -> pciAddress.equals(a.getSpec().getPciAddress()))
            .map(a -> a.getMetadata().getName()).findFirst()
            .orElseThrow(() -> new AssertionError("no adapter for " + pciAddress));
    }

    PhysicalIOAdapter adapter(String pciAddress) {
        return objects.get(name(pciAddress));
    }

    AssignmentOutcome assign(String domain, String... pciAddresses) {
        active.add(domain);
        return plugin.assign(domain, java.util.Arrays.stream(pciAddresses).map(this::name).toList(), view());
    }

    ConvergeReport release(String domain) {
        active.remove(domain);
        return plugin.release(domain, view());
    }

    ConvergeReport start() {
        return plugin.start(view());
    }
}
