package io.domainoperator.controller.cli;

import io.domainoperator.controller.agent.SimulatorSetup;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --sim-hang shutdown:web=60s} or {@code list:web=60s}: one call of the simulated domain {@code web} (its
 * hypervisor name) hangs that long, once. The list hang is the first list that finds the domain.
 */
public final class SimHangConverter implements ITypeConverter<SimulatorSetup.Hang> {
    private static final String FORM = "CALL:DOMAIN=DURATION with CALL list or shutdown (e.g. shutdown:web=60s)";

    @Override
    public SimulatorSetup.Hang convert(String value) {
        String v = value == null ? "" : value.strip();
        int colon = v.indexOf(':');
        int eq = v.lastIndexOf('=');
        if (colon < 1 || eq < colon + 2) {
            throw new TypeConversionException("'" + v + "' is not " + FORM);
        }
        SimulatorSetup.HangingCall call;
        try {
            call = SimulatorSetup.HangingCall.valueOf(v.substring(0, colon).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + v.substring(0, colon) + "' is no call that can hang; use " + FORM);
        }
        Duration d = SimDuration.parse(v.substring(0, eq), v.substring(eq + 1));
        if (d.isZero()) {
            throw new TypeConversionException("a hang lasts a positive time; '" + v + "' is not " + FORM);
        }
        return new SimulatorSetup.Hang(call, v.substring(colon + 1, eq), d);
    }
}
