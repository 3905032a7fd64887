package io.domainoperator.hypervisor.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import io.domainoperator.hypervisor.CpuMemory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A running QEMU's vCPUs and memory changed without a restart: CPUs are hotplugged into the free slots of
 * {@code -smp maxcpus} ({@code device_add} of the slot's CPU type, {@code device_del} of one we added), memory moves
 * with the virtio balloon ({@code balloon}) between 0 and the RAM the guest was started with (its maxMemoryMiB).
 * The guest sees a hotplugged CPU once it onlines it and a balloon change once its virtio_balloon driver runs;
 * QMP ({@code query-cpus-fast}, {@code query-balloon}) shows both from QEMU's side.
 */
final class QemuLiveResize {
    static final String BALLOON_DEVICE = "virtio-balloon-pci,id=balloon0";
    /** Our hotplugged CPUs' device ids start so; only those are unplugged (the boot CPUs cannot be). */
    static final String CPU_ID_PREFIX = "hotcpu-";
    private static final long MIB = 1024L * 1024L;

    private QemuLiveResize() {
    }

    /** Whether the command line gave this domain a balloon: its maximum memory is above its memory. */
    static boolean hasBalloon(CpuMemory cpuMemory) {
        return cpuMemory.effectiveMaxMemory().bytes() > cpuMemory.memory().bytes();
    }

    /** Inflates the balloon to memoryMiB while the guest is still paused, so that it runs with what it asked for. */
    static void setInitialTarget(QmpClient qmp, CpuMemory cpuMemory) {
        if (hasBalloon(cpuMemory)) {
            qmp.execute("balloon", Map.of("value", cpuMemory.memory().bytes()));
        }
    }

    /**
     * Moves the domain to {@code vcpus} and {@code memoryMiB}. Checks the bounds first and changes nothing when they
     * do not hold, so that a refusal leaves the domain as it was.
     *
     * @throws IllegalArgumentException a value outside what the domain was started with (says which and why)
     */
    static void resize(QmpClient qmp, CpuMemory started, int vcpus, int memoryMiB) {
        int maxVcpus = started.effectiveMaxVcpus();
        if (vcpus < 1 || vcpus > maxVcpus) {
            throw new IllegalArgumentException("vcpus " + vcpus + " is outside 1.." + maxVcpus
                + " (the maxVcpus the domain was started with)");
        }
        long maxMiB = started.effectiveMaxMemory().bytes() / MIB;
        if (memoryMiB < 1 || memoryMiB > maxMiB) {
            throw new IllegalArgumentException("memoryMiB " + memoryMiB + " is outside 1.." + maxMiB
                + " (the maxMemoryMiB the domain was started with)");
        }
        if (!hasBalloon(started) && memoryMiB != maxMiB) {
            throw new IllegalArgumentException("the domain was started with memoryMiB equal to maxMemoryMiB, so it "
                + "has no balloon to change memory with; the change applies at its next boot");
        }
        setVcpus(qmp, vcpus);
        if (hasBalloon(started)) {
            qmp.execute("balloon", Map.of("value", memoryMiB * MIB));
        }
    }

    private static void setVcpus(QmpClient qmp, int wanted) {
        List<JsonNode> plugged = new ArrayList<>();
        List<JsonNode> free = new ArrayList<>();
        for (JsonNode slot : qmp.execute("query-hotpluggable-cpus")) {
            (slot.has("qom-path") ? plugged : free).add(slot);
        }
        // QEMU lists slots highest first; plug the lowest free ones and unplug the highest of ours.
        List<String> ours = new ArrayList<>();
        for (JsonNode slot : plugged) {
            String path = slot.path("qom-path").asText();
            String id = path.substring(path.lastIndexOf('/') + 1);
            if (id.startsWith(CPU_ID_PREFIX)) {
                ours.add(id);
            }
        }
        int count = plugged.size();
        if (count - wanted > ours.size()) {
            throw new IllegalArgumentException("vcpus " + wanted + " is below the " + (count - ours.size())
                + " CPUs the domain booted with; boot CPUs are removed at its next boot only");
        }
        // QEMU lists slots highest first; plug the lowest free ones and unplug the highest of ours.
        free.sort(Comparator.comparing(s -> slotId(s.path("props"))));
        for (int i = 0; count < wanted && i < free.size(); i++, count++) {
            JsonNode slot = free.get(i);
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("driver", slot.path("type").asText());
            args.put("id", CPU_ID_PREFIX + slotId(slot.path("props")));
            slot.path("props").fields().forEachRemaining(p -> args.put(p.getKey(), p.getValue().asInt()));
            qmp.execute("device_add", args);
        }
        ours.sort(Comparator.reverseOrder());
        for (int i = 0; count > wanted; i++, count--) {
            // The guest ejects the CPU (ACPI); QEMU drops it from query-cpus-fast once it has.
            qmp.execute("device_del", Map.of("id", ours.get(i)));
        }
    }

    /** {@code socket-core-thread}, zero-padded so that ids sort as the slots do. */
    private static String slotId(JsonNode props) {
        return String.format("%03d-%03d-%03d", props.path("socket-id").asInt(), props.path("core-id").asInt(),
            props.path("thread-id").asInt());
    }
}
