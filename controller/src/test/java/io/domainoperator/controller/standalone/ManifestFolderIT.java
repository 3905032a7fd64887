package io.domainoperator.controller.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest folder against the embedded API server (fabric8's CRUD-mode emulation: standalone mode has
 * no real API server by design).
 */
class ManifestFolderIT {
    private static final String DOMAIN = """
        apiVersion: domainoperator.io/v1alpha1
        kind: DomainConfig
        metadata:
          name: %s
        spec:
          displayName: %s
          vcpus: %d
          memoryMiB: 64
        """;

    @TempDir
    Path dir;
    EmbeddedApiServer server;
    ManifestFolder folder;

    @BeforeEach
    void start() {
        server = new EmbeddedApiServer();
        folder = new ManifestFolder(dir, server.client(), "node-a");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private DomainConfig get(String name) {
        return server.client().resources(DomainConfig.class).inNamespace("default").withName(name).get();
    }

    @Test
    void filesBecomeObjectsOnThisNodeAndFollowEdits() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), DOMAIN.formatted("a", "a", 1));

        assertThat(folder.sync()).isEmpty();
        assertThat(get("a").getSpec().getVcpus()).isEqualTo(1);
        assertThat(get("a").getSpec().getNodeName()).isEqualTo("node-a");

        Files.writeString(dir.resolve("a.yaml"), DOMAIN.formatted("a", "a", 2));
        folder.sync();
        assertThat(get("a").getSpec().getVcpus()).isEqualTo(2);

        Files.delete(dir.resolve("a.yaml"));
        folder.sync();
        assertThat(get("a")).isNull();
    }

    @Test
    void aBrokenEditIsReportedAndChangesNothing() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), DOMAIN.formatted("a", "a", 1));
        folder.sync();

        Files.writeString(dir.resolve("a.yaml"), DOMAIN.formatted("a", "a", 1).replace("vcpus: 1", "vcpus: 1\n  maxVcpus: 0"));
        var problems = folder.sync();

        assertThat(problems).singleElement().asString().contains("a.yaml").contains("spec.maxVcpus");
        assertThat(get("a")).as("the running domain's object is kept").isNotNull();
        assertThat(get("a").getSpec().getMaxVcpus()).isNull();
    }

    @Test
    void unparsableYamlNamesTheFileAndDocument() throws Exception {
        Files.writeString(dir.resolve("b.yaml"), "apiVersion: domainoperator.io/v1alpha1\nkind: DomainConfig\nspec: [unclosed\n");

        assertThat(folder.sync()).singleElement().asString().contains("b.yaml (document 1)");
    }

    @Test
    void adaptersAreClusterScopedAndKeepTheirNode() throws Exception {
        Files.writeString(dir.resolve("pioa.yaml"), """
            apiVersion: domainoperator.io/v1alpha1
            kind: PhysicalIOAdapter
            metadata:
              name: eth1
            spec:
              nodeName: edge-1
              type: NetEth
              pciAddress: "0000:07:00.0"
            """);

        assertThat(folder.sync()).isEmpty();
        PhysicalIOAdapter a = server.client().resources(PhysicalIOAdapter.class).withName("eth1").get();
        assertThat(a.getSpec().getNodeName()).isEqualTo("edge-1");
    }
}
