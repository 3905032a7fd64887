package io.domainoperator.controller.cluster.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigStatus;
import io.domainoperator.api.v1alpha1.DomainMigration;
import io.domainoperator.api.v1alpha1.DomainMigrationSpec;
import io.domainoperator.api.v1alpha1.DomainMigrationStatus;
import io.domainoperator.api.v1alpha1.DomainPhase;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.testing.Specs;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Editing spec.nodeName of a running domain is refused naming the field and both ways to move it (a DomainMigration,
 * or a halt first); the cluster controller's own edit after a live migration's hand-over goes through.
 */
class NodeNameChangeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "vms";
    private final List<DomainMigration> migrations = new ArrayList<>();
    private final AdmissionReviewHandler handler = new AdmissionReviewHandler(new ClusterView() {
        @Override public boolean synced() { return true; }
        @Override public List<DomainConfig> domains() { return List.of(); }
        @Override public List<PhysicalIOAdapter> adapters() { return List.of(); }
        @Override public List<DomainMigration> migrations() { return migrations; }
    });

    @ParameterizedTest(name = "{0} on node-a, spec.nodeName -> {1}: allowed {2}")
    @CsvSource({
        "Running, node-b, false",
        "Booting, node-b, false",
        "Paused, node-b, false",
        "Halting, node-b, false",
        "Unknown, node-b, false",
        "Running, '', false",
        "Halted, node-b, true",
        "Broken, node-b, true",
        "Scheduled, node-b, true",
        "Running, node-a, true",
    })
    void aDomainThatMayRunOnItsNodeKeepsIt(DomainPhase phase, String to, boolean allowed) {
        JsonNode answer = handler.review(update(web("node-a", phase, "node-a"), web(to, phase, "node-a")));

        assertThat(answer.at("/response/allowed").asBoolean()).as(answer.toString()).isEqualTo(allowed);
        if (!allowed) {
            String message = answer.at("/response/status/message").asText();
            assertThat(message).startsWith("spec.nodeName: DomainConfig web runs on node node-a (phase " + phase + ")")
                .contains("DomainMigration", "spec {domainConfig: web", "halt it first (spec.activate: false)");
            assertThat(answer.at("/response/status/details/causes/0/field").asText()).isEqualTo("spec.nodeName");
        }
    }

    @Test
    void aStatusFromAnotherNodeOrNoneAtAllDoesNotBlockTheEdit() {
        assertThat(allowed(update(web("node-a", DomainPhase.Running, "node-c"), web("node-b", DomainPhase.Running, "node-c")))).isTrue();
        assertThat(allowed(update(web("node-a", null, null), web("node-b", null, null)))).isTrue();
    }

    @Test
    void theControllersEditAfterALiveMigrationsHandOverGoesThrough() {
        DomainConfig before = web("node-a", DomainPhase.Running, "node-a");
        DomainConfig after = web("node-b", DomainPhase.Running, "node-a");
        migrations.add(migration("node-b", null));
        assertThat(allowed(update(before, after))).as("before the hand-over the guest is still node-a's").isFalse();

        migrations.set(0, migration("node-b", "2026-11-30T21:00:00Z"));
        assertThat(allowed(update(before, after))).isTrue();
        assertThat(allowed(update(before, web("node-c", DomainPhase.Running, "node-a")))).as("only to the target").isFalse();
    }

    private boolean allowed(ObjectNode review) {
        return handler.review(review).at("/response/allowed").asBoolean();
    }

    private static DomainConfig web(String nodeName, DomainPhase phase, String statusNode) {
        DomainConfig dc = Specs.domainConfig(NS, "web", Specs.minimal("web", 1, 128, s -> {
            s.setKernel("/img/vmlinuz");
            s.setNodeName(nodeName == null || nodeName.isEmpty() ? null : nodeName);
        }));
        if (phase != null) {
            DomainConfigStatus st = new DomainConfigStatus();
            st.setPhase(phase);
            st.setNode(statusNode);
            dc.setStatus(st);
        }
        return dc;
    }

    private static DomainMigration migration(String target, String handover) {
        DomainMigration m = new DomainMigration();
        m.setMetadata(new ObjectMetaBuilder().withNamespace(NS).withName("move-web").build());
        DomainMigrationSpec spec = new DomainMigrationSpec();
        spec.setDomainConfig("web");
        m.setSpec(spec);
        DomainMigrationStatus st = new DomainMigrationStatus();
        st.setSourceNode("node-a");
        st.setTargetNode(target);
        st.setHandoverTime(handover);
        m.setStatus(st);
        return m;
    }

    private static ObjectNode update(DomainConfig old, DomainConfig object) {
        ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", "uid-1").put("operation", "UPDATE")
            .put("namespace", NS).put("name", "web");
        request.putObject("kind").put("group", "domainoperator.io").put("version", "v1alpha1").put("kind", "DomainConfig");
        request.set("object", JSON.valueToTree(object));
        request.set("oldObject", JSON.valueToTree(old));
        return review;
    }
}
