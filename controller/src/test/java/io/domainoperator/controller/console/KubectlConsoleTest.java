package io.domainoperator.controller.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubectl calls behind {@code console --kubectl}, against a fake kubectl that answers like a cluster would. */
class KubectlConsoleTest {
    @TempDir
    Path dir;

    private String fakeKubectl(String pods) throws Exception {
        Path kubectl = dir.resolve("kubectl");
        Files.writeString(kubectl, """
            #!/bin/sh
            echo "$*" >> "%s"
            case "$1 $2" in
              "get domainconfig") printf 'node-7\\tweb.1' ;;
              "get pods") printf '%s' ;;
            esac
            """.formatted(dir.resolve("calls"), pods));
        Files.setPosixFilePermissions(kubectl, PosixFilePermissions.fromString("rwxr-xr-x"));
        return kubectl.toString();
    }

    @Test
    void execsTheConsoleInTheAgentPodOfTheDomainsNodeWithItsStateDir() throws Exception {
        String kubectl = fakeKubectl("agent-x7k2\\t[\"agent\",\"--state-dir=/srv/do\",\"--run-dir=/run/domainmgr\"]\\n");

        List<String> argv = new KubectlConsole(kubectl, "apps", "ops").execArgv("web", true);

        assertThat(argv).containsExactly(kubectl, "exec", "-it", "-n", "ops", "agent-x7k2", "-c", "agent", "--",
            "/opt/java/bin/java", "-jar", "/opt/domain-operator/domain-operator.jar", "console", "web.1",
            "--state-dir=/srv/do");
        assertThat(Files.readAllLines(dir.resolve("calls"))).first().asString()
            .startsWith("get domainconfig web -n apps -o jsonpath=");
        assertThat(Files.readAllLines(dir.resolve("calls")).get(1))
            .contains("-n ops -l app.kubernetes.io/component=agent --field-selector spec.nodeName=node-7");
    }

    @Test
    void noAgentPodOnTheNodeIsNamed() throws Exception {
        String kubectl = fakeKubectl("");
        assertThatThrownBy(() -> new KubectlConsole(kubectl, null, "domain-operator-system").execArgv("web", false))
            .hasMessageContaining("no agent pod on node node-7 in namespace domain-operator-system")
            .hasMessageContaining("--agent-namespace");
    }
}
