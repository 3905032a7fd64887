/**
 * PCI/USB device assignment over sysfs, after EVE's domainmgr, built so that it cannot take the host's network
 * away.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.domainoperator.device.Sysfs} is the only way to the kernel; {@link io.domainoperator.device.RootedSysfs}
 *       reads and writes plain files below a root ({@code /sys} on a node, a temp dir in tests).</li>
 *   <li>{@link io.domainoperator.device.SysfsDiscovery} scans PCI functions and USB devices into
 *       {@link io.domainoperator.device.HostDevices}.</li>
 *   <li>{@link io.domainoperator.device.AdapterPublisher} turns a scan into PhysicalIOAdapter objects (pure).</li>
 *   <li>{@link io.domainoperator.device.AssignmentRules} says what may never leave the host and where a free
 *       device waits (pure).</li>
 *   <li>{@link io.domainoperator.device.DevicePlugin} moves groups of devices between host drivers and the
 *       {@link io.domainoperator.device.PassthroughDriver}, journaled in a {@link io.domainoperator.device.DeviceJournal}.</li>
 * </ul>
 *
 * <h2>Wiring (controller)</h2>
 * <pre>{@code
 * var plugin = new DevicePlugin(new RootedSysfs(Path.of("/sys")), new ProcessCommandRunner(),
 *     new FileDeviceJournal(Path.of("/run/domain-operator/devices.json")),
 *     PassthroughDriver.forBackend(hypervisor.backendName()));
 * var policy = new HostPolicy(managementPortsFromDeviceNetworkStatus, config.debugEnableUsb());
 * // at start, and whenever ports, the knob, or the set of active domains change:
 * var adapters = AdapterPublisher.publish(node, plugin.snapshot(), informerCache, policy, plugin.driver(),
 *     clock.instant());                                    // apply these objects
 * plugin.start(new NodeView(adapters, policy, activeDomains)); // then plugin.converge(...) later
 * // before createPaused:
 * switch (plugin.assign("ns/name", spec.getAdapters(), view)) {
 *     case AssignmentOutcome.Assigned a -> DefinitionFromSpec.of(..., a.pciAddresses());
 *     case AssignmentOutcome.Refused r -> condition AdaptersAssigned=False, r.reason(), r.message();
 *     case AssignmentOutcome.Failed f -> condition AdaptersAssigned=False, f.reason(), f.message();
 * }
 * // after destroy: plugin.release("ns/name", view)
 * }</pre>
 */
package io.domainoperator.device;
