package io.domainoperator.controller.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.domainoperator.testing.Manifests;

/**
 * The manifest folder against the embedded API server (fabric8's CRUD-mode emulation: standalone mode has
 * no real API server by design).
 */
class ManifestFolderIT {
    private static final String DOMAIN = Manifests.domainConfig("%s", "vcpus: %d", "memoryMiB: 64");

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

    /** Every change the API server saw to DomainConfigs after the first sync: what the agent would act on. */
    private List<String> changesAfterFirstSync(Runnable firstSync, Runnable edits) throws Exception {
        firstSync.run();
        assertThat(folder.sync()).isEmpty();
        List<String> changes = new CopyOnWriteArrayList<>();
        try (Watch watch = server.client().resources(DomainConfig.class).inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, DomainConfig dc) {
                // The watch starts by listing what exists as ADDED; a delete and re-create shows as DELETED.
                if (action != Action.ADDED || dc.getMetadata().getName().equals("marker")) {
                    changes.add(action + " " + dc.getMetadata().getName());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            edits.run();
            // A marker object, created last: once its ADDED event is seen, every earlier change has been too.
            Files.writeString(dir.resolve("zz-marker.yaml"), DOMAIN.formatted("marker", "marker", 1));
            folder.sync();
            org.awaitility.Awaitility.await("marker seen").untilAsserted(() -> assertThat(changes).contains("ADDED marker"));
        }
        return changes.stream().filter(c -> !c.endsWith(" marker")).toList();
    }

    @Test
    void aManifestEmptiedWhileBeingSavedChangesNothing() throws Exception {
        Path a = dir.resolve("a.yaml");
        List<String> changes = changesAfterFirstSync(() -> write(a, DOMAIN.formatted("a", "a", 1)), () -> {
            write(a, "");
            assertThat(folder.sync()).singleElement().asString().contains("a.yaml: is empty; taken as being edited");
            assertThat(folder.sync()).as("reported at every reading, logged once").hasSize(1);
            write(a, "  \n\t\n");
            assertThat(folder.sync()).singleElement().asString().contains("is empty");
            write(a, DOMAIN.formatted("a", "a", 1));
            assertThat(folder.sync()).isEmpty();
        });

        assertThat(changes).as("no delete, no update: the agent never halts the domain nor removes its disk copies").isEmpty();
        assertThat(get("a").getSpec().getVcpus()).isEqualTo(1);
    }

    @Test
    void anEmptyManifestForAnObjectThatNeverExistedCreatesNothing() {
        write(dir.resolve("new.yaml"), "");

        assertThat(folder.sync()).singleElement().asString().contains("new.yaml: is empty");
        assertThat(server.client().resources(DomainConfig.class).inAnyNamespace().list().getItems()).isEmpty();
    }

    @Test
    void aDuplicateNeverTakesOverAnObjectAnotherFileDeclares() throws Exception {
        // "0-copy.yaml" sorts before "b.yaml": file order must not decide which one wins.
        List<String> changes = changesAfterFirstSync(() -> write(dir.resolve("b.yaml"), DOMAIN.formatted("vm", "vm", 1)), () -> {
            write(dir.resolve("0-copy.yaml"), DOMAIN.formatted("vm", "vm", 4));
            assertThat(folder.sync()).singleElement().asString()
                .contains("DomainConfig/default/vm is declared in both").contains("0-copy.yaml").contains("b.yaml")
                .contains("kept as b.yaml declared it before").contains("remove or rename the other");
        });

        assertThat(changes).isEmpty();
        assertThat(get("vm").getSpec().getVcpus()).isEqualTo(1);

        Files.delete(dir.resolve("b.yaml"));
        assertThat(folder.sync()).as("one file left: it declares the object now").isEmpty();
        assertThat(get("vm").getSpec().getVcpus()).isEqualTo(4);
    }

    @Test
    void twoNewFilesDeclaringOneObjectApplyNeither() {
        write(dir.resolve("a.yaml"), DOMAIN.formatted("vm", "vm", 1));
        write(dir.resolve("b.yaml"), DOMAIN.formatted("vm", "vm", 2));

        assertThat(folder.sync()).singleElement().asString().contains("a.yaml and ").contains("b.yaml; neither is applied");
        assertThat(get("vm")).isNull();
    }

    @Test
    void whenTheKnownFileGoesAndTwoOthersRemainTheObjectIsKeptAsItWas() throws Exception {
        write(dir.resolve("a.yaml"), DOMAIN.formatted("vm", "vm", 1));
        folder.sync();
        write(dir.resolve("b.yaml"), DOMAIN.formatted("vm", "vm", 2));
        write(dir.resolve("c.yaml"), DOMAIN.formatted("vm", "vm", 3));
        folder.sync();

        Files.delete(dir.resolve("a.yaml"));
        assertThat(folder.sync()).singleElement().asString().contains("neither is applied");
        assertThat(get("vm")).as("not deleted: two files still declare it").isNotNull();
        assertThat(get("vm").getSpec().getVcpus()).isEqualTo(1);
    }

    @Test
    void aYamlSyntaxErrorNamesItsLineAndColumn() {
        write(dir.resolve("c.yaml"), DOMAIN.formatted("a", "a", 1) + "  bad: [1, 2\n");

        assertThat(folder.sync()).singleElement().asString()
            .matches("(?s).*c\\.yaml \\(document 1\\), line \\d+, column \\d+: not valid YAML: .*");
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
