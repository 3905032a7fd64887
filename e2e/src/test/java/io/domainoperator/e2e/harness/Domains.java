package io.domainoperator.e2e.harness;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.awaitility.core.ConditionFactory;
import io.domainoperator.testing.Manifests;

/**
 * The DomainConfigs of one namespace, read and changed with kubectl as a user would: {@code apply},
 * {@code patch}, {@code delete}, {@code get -o jsonpath} and the Events the agent records on them.
 */
public final class Domains {

    /** Generous: boots, halts and JVM starts are slow when two cores serve several helpers. */
    public static final Duration CONVERGE = Duration.ofMinutes(4);

    private final Kubectl kubectl;
    private final String namespace;

    public Domains(Kubectl kubectl, String namespace) {
        this.kubectl = kubectl;
        this.namespace = namespace;
    }

    /**
     * An await for state read through kubectl: polled every second (each poll starts a kubectl), the first look at
     * once (Awaitility otherwise waits one interval before it, a second per await whose state is already there).
     */
    public static ConditionFactory eventually(String what) {
        return await(what).atMost(CONVERGE).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1));
    }

    /**
     * A domain the simulator backend runs: no kernel, disk or NIC, so nothing on the machine is touched.
     * A null {@code nodeName} leaves placement to the cluster controller.
     */
    public static String simulated(String name, String nodeName) {
        return Manifests.domainConfig(name, "virtualizationMode: HVM", "vcpus: 1", "memoryMiB: 64", "shutdownTimeoutSeconds: 30")
                + (nodeName == null ? "" : "  nodeName: " + nodeName + "\n");
    }

    public void apply(String yaml) {
        var result = kubectl.runWithInput(yaml, "apply", "-n", namespace, "-f", "-");
        if (!result.succeeded()) {
            throw new AssertionError("kubectl apply failed: " + result.describe());
        }
    }

    /** {@code kubectl patch dom NAME --type=merge -p '{"spec": ...}'}. */
    public void patchSpec(String name, String specJson) {
        kubectl.ok("patch", "dom", name, "-n", namespace, "--type=merge", "-p", "{\"spec\": " + specJson + "}");
    }

    /** {@code kubectl delete dom NAME} without waiting: the finalizer holds it until the agent has halted the domain. */
    public void delete(String name) {
        kubectl.ok("delete", "dom", name, "-n", namespace, "--wait=false");
    }

    public boolean exists(String name) {
        var result = kubectl.run("get", "dom", name, "-n", namespace, "-o", "name");
        if (!result.succeeded() && !result.stderr().contains("NotFound")) {
            throw new AssertionError("kubectl get failed: " + result.describe());
        }
        return result.succeeded();
    }

    /** {@code kubectl get dom NAME -o jsonpath=...}; "" for an unset field. */
    public String get(String name, String jsonpath) {
        return kubectl.ok("get", "dom", name, "-n", namespace, "-o", "jsonpath=" + jsonpath).stdout().trim();
    }

    public String phase(String name) {
        return get(name, "{.status.phase}");
    }

    /** The status of condition {@code type} (True, False, Unknown) or "" when absent. */
    public String condition(String name, String type) {
        return get(name, "{.status.conditions[?(@.type==\"" + type + "\")].status}");
    }

    /** The reason of condition {@code type}, or "" when absent. */
    public String conditionReason(String name, String type) {
        return get(name, "{.status.conditions[?(@.type==\"" + type + "\")].reason}");
    }

    /** The reasons of the Events recorded on the DomainConfig, oldest first. */
    public List<String> eventReasons(String name) {
        String out = kubectl.ok("get", "events", "-n", namespace, "--field-selector",
                "involvedObject.kind=DomainConfig,involvedObject.name=" + name, "--sort-by=.metadata.creationTimestamp",
                "-o", "jsonpath={range .items[*]}{.reason}{\"\\n\"}{end}").stdout();
        return Arrays.stream(out.split("\n")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** {@code kubectl get dom -n NS}, as a table by column header. */
    public KubectlTable table() {
        return KubectlTable.parse(kubectl.ok("get", "dom", "-n", namespace).stdout());
    }

    /** Everything about one DomainConfig, for failure messages. */
    public String describe(String name) {
        return kubectl.run("get", "dom", name, "-n", namespace, "-o", "yaml").stdout()
                + kubectl.run("get", "events", "-n", namespace, "--field-selector", "involvedObject.name=" + name).stdout();
    }
}
