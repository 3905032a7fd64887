package io.domainoperator.controller.cli;

import io.domainoperator.hypervisor.sim.SimulatorLatencies;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --sim-latency create=800ms,unpause=50ms,list=20ms}: the simulator's latencies, each operation named
 * overriding the realistic defaults ({@link SimulatorLatencies#realistic()}); {@code none} makes every call instant.
 */
public final class SimLatencyConverter implements ITypeConverter<SimulatorLatencies> {
    static final String KEYS = "create, unpause, pause, shutdown, destroy, list, host-info, guest-shutdown";

    @Override
    public SimulatorLatencies convert(String value) {
        String v = value == null ? "" : value.strip();
        if (v.equals("none")) {
            return SimulatorLatencies.NONE;
        }
        SimulatorLatencies r = SimulatorLatencies.realistic();
        Map<String, Duration> set = new LinkedHashMap<>(Map.of("create", r.create(), "unpause", r.unpause(),
            "pause", r.pause(), "shutdown", r.shutdownRequest(), "destroy", r.destroy(), "list", r.list(),
            "host-info", r.hostInfo(), "guest-shutdown", r.guestShutdown()));
        for (String pair : v.split(",", -1)) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair.strip() : pair.substring(0, eq).strip();
            if (eq < 0 || !set.containsKey(key)) {
                throw new TypeConversionException("'" + pair.strip() + "' is not OPERATION=DURATION with OPERATION one of "
                    + KEYS + " (e.g. create=800ms,unpause=50ms,list=20ms), nor 'none'");
            }
            set.put(key, SimDuration.parse(key, pair.substring(eq + 1)));
        }
        return new SimulatorLatencies(set.get("create"), set.get("unpause"), set.get("pause"), set.get("shutdown"),
            set.get("destroy"), set.get("list"), set.get("host-info"), set.get("guest-shutdown"));
    }
}
