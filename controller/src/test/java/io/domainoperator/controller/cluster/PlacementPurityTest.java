package io.domainoperator.controller.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The placement core stays a pure function of records: no client, no model classes, no clock. That is what
 * lets the scale test run it on 10,000 domains in milliseconds and a reader check it without a cluster.
 */
class PlacementPurityTest {
    private static final Path SOURCES = Path.of("src/main/java/io/domainoperator/controller/cluster");

    @Test
    void placementImportsNothingButTheJdk() throws IOException {
        for (String file : List.of("Placement.java", "NodeCapacity.java", "AdapterView.java", "DomainRequest.java", "NoFit.java")) {
            List<String> imports = Files.readAllLines(SOURCES.resolve(file)).stream().filter(l -> l.startsWith("import ")).toList();
            assertThat(imports).as(file).allSatisfy(line -> assertThat(line).startsWith("import java."));
        }
    }

    @Test
    void theDeciderUsesTheModelButNeverTheClient() throws IOException {
        for (String file : List.of("ClusterDecider.java", "SpecProblems.java", "OwnedStatus.java", "NodeLease.java", "DomainDecision.java")) {
            assertThat(Files.readString(SOURCES.resolve(file))).as(file)
                .doesNotContain("io.fabric8.kubernetes.client").doesNotContain("Clock");
        }
    }
}
