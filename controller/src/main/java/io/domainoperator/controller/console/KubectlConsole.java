package io.domainoperator.controller.console;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code domain-operator console --kubectl NAME} on a workstation, as {@code virtctl console} is for KubeVirt:
 * kubectl finds the DomainConfig's node and hypervisor name, then the agent pod on that node, and runs
 * {@code domain-operator console} inside it through {@code kubectl exec -it}, with the agent's own --state-dir.
 * Only kubectl and the user's kubeconfig are needed: what the user may see is what RBAC lets them exec into.
 */
public final class KubectlConsole {
    /** The image's entrypoint, which has no wrapper on PATH. */
    static final List<String> IN_POD_COMMAND = List.of("/opt/java/bin/java", "-jar", "/opt/domain-operator/domain-operator.jar");
    private static final Pattern STATE_DIR = Pattern.compile("--state-dir=([^\",\\]]+)");

    private final String kubectl;
    private final String namespace;
    private final String agentNamespace;

    public KubectlConsole(String kubectl, String namespace, String agentNamespace) {
        this.kubectl = kubectl;
        this.namespace = namespace;
        this.agentNamespace = agentNamespace;
    }

    /** The {@code kubectl exec} argv that attaches to the DomainConfig's console in its agent pod. */
    public List<String> execArgv(String domainConfig, boolean terminal) throws IOException {
        List<String> get = new ArrayList<>(List.of(kubectl, "get", "domainconfig", domainConfig));
        if (namespace != null) {
            get.addAll(List.of("-n", namespace));
        }
        get.addAll(List.of("-o", "jsonpath={.status.node}{\"\\t\"}{.status.domainName}"));
        String[] nodeAndDomain = run(get).split("\t", -1);
        if (nodeAndDomain.length != 2 || nodeAndDomain[0].isBlank() || nodeAndDomain[1].isBlank()) {
            throw new IllegalStateException("DomainConfig " + domainConfig + " has no running domain (status.node and"
                + " status.domainName are empty); see `kubectl describe domainconfig " + domainConfig + "`");
        }
        String node = nodeAndDomain[0].strip();
        String domain = nodeAndDomain[1].strip();
        String pods = run(List.of(kubectl, "get", "pods", "-n", agentNamespace, "-l", "app.kubernetes.io/component=agent",
            "--field-selector", "spec.nodeName=" + node, "-o",
            "jsonpath={range .items[*]}{.metadata.name}{\"\\t\"}{.spec.containers[0].args}{\"\\n\"}{end}")).strip();
        if (pods.isEmpty()) {
            throw new IllegalStateException("no agent pod on node " + node + " in namespace " + agentNamespace
                + " (label app.kubernetes.io/component=agent); give the chart's namespace with --agent-namespace");
        }
        String[] pod = pods.lines().findFirst().orElseThrow().split("\t", 2);
        List<String> argv = new ArrayList<>(List.of(kubectl, "exec", terminal ? "-it" : "-i", "-n", agentNamespace,
            pod[0], "-c", "agent", "--"));
        argv.addAll(IN_POD_COMMAND);
        argv.addAll(List.of("console", domain));
        Matcher stateDir = STATE_DIR.matcher(pod.length > 1 ? pod[1] : "");
        if (stateDir.find()) {
            argv.add("--state-dir=" + stateDir.group(1));
        }
        return argv;
    }

    private static String run(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IllegalStateException("`" + String.join(" ", argv) + "` failed: " + err.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }
}
