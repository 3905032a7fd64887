package io.domainoperator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/**
 * When the guest counts as up, as Kubernetes readiness probes and KubeVirt's say it for pods and VMs. The node
 * agent runs it while the domain is Running and reports the result as the GuestReady condition; Ready follows it,
 * and domains naming this one in startAfter wait for it. Every check given must pass.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReadinessProbe {
    public static final int DEFAULT_PERIOD_SECONDS = 5;
    public static final int DEFAULT_TIMEOUT_SECONDS = 1;
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;

    @JsonPropertyDescription("Ready while a TCP connection to host:port succeeds (from the node).")
    private TcpProbe tcp;

    @JsonPropertyDescription("Ready once the guest has printed text matching a regular expression on its serial console since it booted (e.g. its login prompt).")
    private SerialProbe serial;

    @JsonPropertyDescription("Ready while the QEMU guest agent (qemu-ga) in the guest answers guest-sync and guest-ping, as KubeVirt's guestAgentPing."
        + " The domain gets the agent's virtio-serial channel org.qemu.guest_agent.0 when it boots with this set. QEMU backend only:"
        + " on xl GuestReady stays False saying so; use tcp or serial there.")
    private GuestAgentProbe guestAgent;

    @Min(0)
    @Max(3600)
    @JsonPropertyDescription("Seconds after the domain starts running before the first probe. Default 0.")
    private Integer initialDelaySeconds;

    @Min(1)
    @Max(3600)
    @JsonPropertyDescription("Seconds between probes. Default " + DEFAULT_PERIOD_SECONDS + ".")
    private Integer periodSeconds;

    @Min(1)
    @Max(3600)
    @JsonPropertyDescription("Seconds a TCP or guest agent probe may take before it counts as failed. Default " + DEFAULT_TIMEOUT_SECONDS + ".")
    private Integer timeoutSeconds;

    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Consecutive failed TCP or guest agent probes after which a ready guest is not ready any more. Default " + DEFAULT_FAILURE_THRESHOLD + ".")
    private Integer failureThreshold;

    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Consecutive successful TCP or guest agent probes after which the guest is ready. Default " + DEFAULT_SUCCESS_THRESHOLD + ".")
    private Integer successThreshold;

    public TcpProbe getTcp() { return tcp; }
    public void setTcp(TcpProbe tcp) { this.tcp = tcp; }
    public SerialProbe getSerial() { return serial; }
    public void setSerial(SerialProbe serial) { this.serial = serial; }
    public GuestAgentProbe getGuestAgent() { return guestAgent; }
    public void setGuestAgent(GuestAgentProbe guestAgent) { this.guestAgent = guestAgent; }
    public Integer getInitialDelaySeconds() { return initialDelaySeconds; }
    public void setInitialDelaySeconds(Integer initialDelaySeconds) { this.initialDelaySeconds = initialDelaySeconds; }
    public Integer getPeriodSeconds() { return periodSeconds; }
    public void setPeriodSeconds(Integer periodSeconds) { this.periodSeconds = periodSeconds; }
    public Integer getTimeoutSeconds() { return timeoutSeconds; }
    public void setTimeoutSeconds(Integer timeoutSeconds) { this.timeoutSeconds = timeoutSeconds; }
    public Integer getFailureThreshold() { return failureThreshold; }
    public void setFailureThreshold(Integer failureThreshold) { this.failureThreshold = failureThreshold; }
    public Integer getSuccessThreshold() { return successThreshold; }
    public void setSuccessThreshold(Integer successThreshold) { this.successThreshold = successThreshold; }

    @JsonIgnore public int initialDelayOrDefault() { return initialDelaySeconds == null ? 0 : initialDelaySeconds; }
    @JsonIgnore public int periodOrDefault() { return periodSeconds == null ? DEFAULT_PERIOD_SECONDS : periodSeconds; }
    @JsonIgnore public int timeoutOrDefault() { return timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds; }
    @JsonIgnore public int failureThresholdOrDefault() { return failureThreshold == null ? DEFAULT_FAILURE_THRESHOLD : failureThreshold; }
    @JsonIgnore public int successThresholdOrDefault() { return successThreshold == null ? DEFAULT_SUCCESS_THRESHOLD : successThreshold; }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReadinessProbe p && Objects.equals(tcp, p.tcp) && Objects.equals(serial, p.serial)
            && Objects.equals(guestAgent, p.guestAgent)
            && Objects.equals(initialDelaySeconds, p.initialDelaySeconds) && Objects.equals(periodSeconds, p.periodSeconds)
            && Objects.equals(timeoutSeconds, p.timeoutSeconds) && Objects.equals(failureThreshold, p.failureThreshold)
            && Objects.equals(successThreshold, p.successThreshold);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tcp, serial, periodSeconds);
    }

    /** A TCP connect check. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class TcpProbe {
        @io.fabric8.generator.annotation.Required
        @Min(1)
        @Max(65535)
        @JsonPropertyDescription("TCP port, 1 to 65535.")
        private Integer port;

        @io.fabric8.generator.annotation.Required
        @io.fabric8.generator.annotation.Pattern(Patterns.LISTEN_ADDRESS)
        @JsonPropertyDescription("The guest's address as the node reaches it (an IP address or host name), e.g. 10.0.0.5.")
        private String host;

        public TcpProbe() {
        }

        public TcpProbe(String host, Integer port) {
            this.host = host;
            this.port = port;
        }

        public Integer getPort() { return port; }
        public void setPort(Integer port) { this.port = port; }
        public String getHost() { return host; }
        public void setHost(String host) { this.host = host; }

        @Override
        public boolean equals(Object o) {
            return o instanceof TcpProbe t && Objects.equals(port, t.port) && Objects.equals(host, t.host);
        }

        @Override
        public int hashCode() {
            return Objects.hash(port, host);
        }
    }

    /** A serial console check. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class SerialProbe {
        @io.fabric8.generator.annotation.Required
        @io.fabric8.generator.annotation.Size(min = 1, max = 256)
        @JsonPropertyDescription("Java regular expression searched for in the serial output since boot, e.g. 'login: ' or '# $'. At most 256 characters.")
        private String expect;

        public SerialProbe() {
        }

        public SerialProbe(String expect) {
            this.expect = expect;
        }

        public String getExpect() { return expect; }
        public void setExpect(String expect) { this.expect = expect; }

        @Override
        public boolean equals(Object o) {
            return o instanceof SerialProbe s && Objects.equals(expect, s.expect);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(expect);
        }
    }

    /** A QEMU guest agent check: no settings yet (timeouts and thresholds are the probe's). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class GuestAgentProbe {
        @Override
        public boolean equals(Object o) {
            return o instanceof GuestAgentProbe;
        }

        @Override
        public int hashCode() {
            return GuestAgentProbe.class.hashCode();
        }
    }
}
