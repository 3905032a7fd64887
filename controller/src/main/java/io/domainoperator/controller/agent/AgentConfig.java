package io.domainoperator.controller.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything the node agent is started with, bound once (the CLI builds it from flags).
 *
 * @param nodeName       this node; only DomainConfigs with this spec.nodeName are reconciled
 * @param hypervisor     backend name (xl, qemu, sim) or null to auto-detect
 * @param stateDir       journal, QEMU runtime files, standalone status files
 * @param runDir         where xl config files go (EVE's /run/domainmgr)
 * @param imageRoot      where per-domain disk copies go (EVE's /persist/img)
 * @param sysfsRoot      /sys, or a test tree
 * @param dom0Ports      network interfaces dom0 manages; never passed through
 * @param knobs          global knobs from flags (the knobs ConfigMap may override them at run time)
 * @param knobsConfigMap ConfigMap (namespace/name) with knob overrides, or null
 * @param metricsHost    address of the /metrics, /healthz, /readyz server
 * @param metricsPort    its port (0 picks a free one)
 * @param haltOnExit     on SIGTERM, halt every domain in reverse dependency order
 * @param haltDeadline   total time the halt on exit may take
 * @param leaseNamespace namespace of the node heartbeat Lease the cluster controller watches
 * @param simSeed        seed of the simulator backend
 * @param devicePassthrough  run the device plugin over sysfs (pciback/vfio-pci), publishing this node's adapters
 * @param qemuUserNetworking QEMU vifs on user-mode networking instead of the named bridges (demos, tests)
 * @param imageSourceRoots   folders disk, kernel and ramdisk sources must resolve into (imageRoot, the copies, always is)
 * @param simulator          the simulator backend's latencies and hangs and host memory ({@code --sim-latency}, {@code --sim-hang}, {@code --sim-host-memory})
 * @param consoleLogMaxBytes cap of one generation of a QEMU domain's serial log (two generations are kept)
 */
public record AgentConfig(String nodeName, String hypervisor, Path stateDir, Path runDir, Path imageRoot, Path sysfsRoot,
                          List<String> dom0Ports, GlobalKnobs knobs, String knobsConfigMap, String metricsHost,
                          int metricsPort, boolean haltOnExit, Duration haltDeadline, String leaseNamespace, long simSeed,
                          boolean qemuUserNetworking, boolean devicePassthrough, List<Path> imageSourceRoots,
                          SimulatorSetup simulator, long consoleLogMaxBytes) {
    /** The console log cap when none is given: 1 MiB per generation. */
    public static final long DEFAULT_CONSOLE_LOG_MAX_BYTES = 1024 * 1024;

    public AgentConfig {
        dom0Ports = List.copyOf(dom0Ports);
        imageSourceRoots = List.copyOf(imageSourceRoots);
        java.util.Objects.requireNonNull(simulator, "simulator");
    }

    /**
     * With the simulator as {@code --hypervisor sim} runs it by default ({@link SimulatorSetup#REALISTIC}) and the
     * default console log cap.
     */
    public AgentConfig(String nodeName, String hypervisor, Path stateDir, Path runDir, Path imageRoot, Path sysfsRoot,
                       List<String> dom0Ports, GlobalKnobs knobs, String knobsConfigMap, String metricsHost,
                       int metricsPort, boolean haltOnExit, Duration haltDeadline, String leaseNamespace, long simSeed,
                       boolean qemuUserNetworking, boolean devicePassthrough, List<Path> imageSourceRoots) {
        this(nodeName, hypervisor, stateDir, runDir, imageRoot, sysfsRoot, dom0Ports, knobs, knobsConfigMap, metricsHost,
            metricsPort, haltOnExit, haltDeadline, leaseNamespace, simSeed, qemuUserNetworking, devicePassthrough,
            imageSourceRoots, SimulatorSetup.REALISTIC, DEFAULT_CONSOLE_LOG_MAX_BYTES);
    }

    /** Where this agent takes images from: the configured roots and its own copies. */
    public ImageRoots imageRoots() {
        List<Path> all = new java.util.ArrayList<>(imageSourceRoots);
        all.add(imageRoot);
        return new ImageRoots(all);
    }
}
