package io.domainoperator.controller.crash;

import java.util.OptionalLong;

/**
 * TEST ONLY. Caps the bandwidth of this agent's outgoing live migrations (QEMU's {@code max-bandwidth}), so that a
 * copy of the tiny test guest lasts long enough for a fault to land in the middle of it for sure (on an idle loopback
 * it completes in well under a second). Armed by the environment variable {@value #ENV} = bytes per second; inert
 * unless it is set, and nothing in the chart, the image or the launcher sets it.
 */
public final class MigrationBandwidthSwitch {
    public static final String ENV = "DOMAIN_OPERATOR_TEST_MIGRATION_BANDWIDTH";

    private MigrationBandwidthSwitch() {
    }

    /** The cap the environment asks for; empty when the variable is unset. */
    public static OptionalLong fromEnvironment() {
        return parse(System.getenv(ENV));
    }

    /** A value that is not a positive number of bytes per second stops the agent: a typo must not pass as a clean run. */
    static OptionalLong parse(String value) {
        if (value == null || value.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            long bytesPerSecond = Long.parseLong(value.strip());
            if (bytesPerSecond > 0) {
                org.slf4j.LoggerFactory.getLogger(MigrationBandwidthSwitch.class).warn(
                    "{} is set: outgoing live migrations copy at most {} bytes/s; a test-only switch", ENV, bytesPerSecond);
                return OptionalLong.of(bytesPerSecond);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(ENV + "='" + value + "' is not a positive number of bytes per second "
            + "(a test-only switch; unset it)");
    }
}
