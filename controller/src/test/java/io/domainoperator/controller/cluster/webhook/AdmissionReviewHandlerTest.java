package io.domainoperator.controller.cluster.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.domainoperator.api.v1alpha1.AdapterType;
import io.domainoperator.api.v1alpha1.Disk;
import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapterSpec;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapterStatus;
import io.domainoperator.api.v1alpha1.Vif;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import io.domainoperator.testing.Specs;

/** The AdmissionReview in, the answer out: what {@code kubectl apply} is told, field by field. */
class AdmissionReviewHandlerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "vms";

    private final FakeView view = new FakeView();
    private final AdmissionReviewHandler handler = new AdmissionReviewHandler(view);

    @Test
    void validCreateIsAllowedAndRememberedUntilTheCacheShowsIt() {
        JsonNode answer = handler.review(review("CREATE", domain("web", s -> {}), null, false));

        assertThat(answer.path("apiVersion").asText()).isEqualTo("admission.k8s.io/v1");
        assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
        assertThat(answer.at("/response/uid").asText()).isEqualTo("uid-1");
        assertThat(answer.at("/response/allowed").asBoolean()).isTrue();
        assertThat(view.admitted).extracting(d -> d.getMetadata().getName()).containsExactly("web");
    }

    @Test
    void dryRunIsNotRemembered() {
        assertThat(allowed(handler.review(review("CREATE", domain("web", s -> {}), null, true)))).isTrue();
        assertThat(view.admitted).isEmpty();
    }

    @Test
    void maxVcpusBelowVcpusIsDeniedNamingTheField() {
        JsonNode answer = handler.review(review("CREATE", domain("web", s -> { s.setVcpus(4); s.setMaxVcpus(2); }), null, false));

        assertDenied(answer, "spec.maxVcpus", "must be at least vcpus (4), is 2");
        assertThat(answer.at("/response/status/code").asInt()).isEqualTo(422);
        assertThat(answer.at("/response/status/reason").asText()).isEqualTo("Invalid");
        assertThat(answer.at("/response/status/details/causes/0/field").asText()).isEqualTo("spec.maxVcpus");
        assertThat(answer.at("/response/status/details/kind").asText()).isEqualTo("DomainConfig");
        assertThat(answer.at("/response/status/details/name").asText()).isEqualTo("web");
        assertThat(view.admitted).isEmpty();
    }

    @Test
    void duplicateDiskTargetAndMacAreDeniedTogether() {
        JsonNode answer = handler.review(review("CREATE", domain("web", s -> {
            s.setDisks(new ArrayList<>(List.of(disk("/img/a.qcow2", "xvda"), disk("/img/b.qcow2", "xvda"))));
            s.setVifs(new ArrayList<>(List.of(vif("00:16:3e:00:00:01"), vif("00:16:3E:00:00:01"))));
        }), null, false));

        assertDenied(answer, "spec.disks[1].target", "already used by spec.disks[0]");
        assertDenied(answer, "spec.vifs[1].mac", "already used by spec.vifs[0]");
        assertThat(answer.at("/response/status/details/causes")).hasSize(2);
    }

    @Test
    void displayNameOrUuidUsedByAnotherDomainOfTheNamespaceIsDenied() {
        String uuid = "6f8a2c3e-1b2d-4e5f-8a9b-0c1d2e3f4a5b";
        view.domains.add(domain("first", s -> { s.setDisplayName("router"); s.setUuid(uuid); }));

        JsonNode name = handler.review(review("CREATE", domain("second", s -> s.setDisplayName("router")), null, false));
        JsonNode id = handler.review(review("CREATE", domain("third", s -> s.setUuid(uuid.toUpperCase())), null, false));

        assertDenied(name, "spec.displayName", "'router' is also used by DomainConfig first in namespace vms");
        assertDenied(id, "spec.uuid", "is also used by DomainConfig first");
    }

    @Test
    void sameDisplayNameInAnotherNamespaceAndTheObjectsOwnStoredVersionAreNoClash() {
        DomainConfig elsewhere = domain("first", s -> s.setDisplayName("router"));
        elsewhere.getMetadata().setNamespace("other");
        view.domains.add(elsewhere);
        view.domains.add(domain("second", s -> s.setDisplayName("router")));

        DomainConfig edited = domain("second", s -> { s.setDisplayName("router"); s.setMemoryMiB(256); });
        assertThat(allowed(handler.review(review("UPDATE", edited, domain("second", s -> s.setDisplayName("router")), false)))).isTrue();
    }

    @Test
    void startAfterItselfIsDenied() {
        JsonNode answer = handler.review(review("CREATE", domain("loop", s -> s.setStartAfter(new ArrayList<>(List.of("db", "loop")))), null, false));

        assertDenied(answer, "spec.startAfter[1]", "cannot start after itself");
    }

    @Test
    void startAfterClosingACycleIsDeniedWithThePath() {
        view.domains.add(domain("db", s -> s.setStartAfter(new ArrayList<>(List.of("cache")))));
        view.domains.add(domain("cache", s -> s.setStartAfter(new ArrayList<>(List.of("web")))));

        JsonNode answer = handler.review(review("CREATE", domain("web", s -> s.setStartAfter(new ArrayList<>(List.of("db")))), null, false));

        assertDenied(answer, "spec.startAfter[0]", "closes a startAfter cycle web -> db -> cache -> web");
    }

    @Test
    void aCycleAmongOtherDomainsThatThisOneOnlyReachesIsTheirsNotItsOwn() {
        view.domains.add(domain("a", s -> s.setStartAfter(new ArrayList<>(List.of("b")))));
        view.domains.add(domain("b", s -> s.setStartAfter(new ArrayList<>(List.of("a")))));

        assertThat(allowed(handler.review(review("CREATE", domain("web", s -> s.setStartAfter(new ArrayList<>(List.of("a")))), null, false))))
            .isTrue();
    }

    @Test
    void adapterHeldByAnotherDomainIsDeniedButOneItHoldsItselfIsNot() {
        view.adapters.add(adapter("node-1-eth1", "node-1", "vms/router"));
        view.adapters.add(adapter("node-1-eth2", "node-1", "vms/web"));

        JsonNode answer = handler.review(review("CREATE", domain("web", s -> s.setAdapters(new ArrayList<>(List.of("node-1-eth2", "node-1-eth1")))),
            null, false));

        assertDenied(answer, "spec.adapters[1]", "adapter 'node-1-eth1' (node node-1) is held by DomainConfig vms/router");
        assertThat(answer.at("/response/status/details/causes")).hasSize(1);
    }

    @Test
    void adapterClaimedByADomainPlacedOnItsNodeIsHeld() {
        view.adapters.add(adapter("node-1-eth1", "node-1", null));
        view.domains.add(domain("router", s -> { s.setNodeName("node-1"); s.setAdapters(new ArrayList<>(List.of("node-1-eth1"))); }));

        assertDenied(handler.review(review("CREATE", domain("web", s -> s.setAdapters(new ArrayList<>(List.of("node-1-eth1")))), null, false)),
            "spec.adapters[0]", "held by DomainConfig vms/router");
    }

    @Test
    void updatesThatLeaveTheSpecAloneOrFinishADeletionAreAllowedEvenIfTheSpecIsInvalid() {
        DomainConfig invalid = domain("web", s -> { s.setVcpus(4); s.setMaxVcpus(1); });
        DomainConfig withFinalizer = domain("web", s -> { s.setVcpus(4); s.setMaxVcpus(1); });
        withFinalizer.getMetadata().setFinalizers(List.of("domainoperator.io/halt"));
        DomainConfig deleting = domain("web", s -> { s.setVcpus(4); s.setMaxVcpus(2); });
        deleting.getMetadata().setDeletionTimestamp("2026-11-30T12:00:00Z");

        assertThat(allowed(handler.review(review("UPDATE", invalid, withFinalizer, false)))).as("finalizer removed").isTrue();
        assertThat(allowed(handler.review(review("UPDATE", deleting, invalid, false)))).as("being deleted").isTrue();
        assertThat(allowed(handler.review(review("DELETE", invalid, invalid, false)))).as("delete").isTrue();
        assertDenied(handler.review(review("UPDATE", domain("web", s -> { s.setVcpus(4); s.setMaxVcpus(3); }), invalid, false)),
            "spec.maxVcpus", "is 3");
    }

    @Test
    void aFieldOfTheWrongTypeIsNamed() {
        ObjectNode review = review("CREATE", domain("web", s -> {}), null, false);
        ((ObjectNode) review.at("/request/object/spec")).put("vcpus", "many");

        assertDenied(handler.review(review), "spec.vcpus", "cannot be read");
    }

    @Test
    void beforeTheCachesSyncTheHandlerSaysItIsNotReady() {
        view.synced = false;

        assertThatThrownBy(() -> handler.review(review("CREATE", domain("web", s -> {}), null, false)))
            .isInstanceOf(AdmissionReviewHandler.NotReady.class);
    }

    @Test
    void aBodyWithoutARequestIsRefused() {
        assertThatThrownBy(() -> handler.review(JSON.createObjectNode())).isInstanceOf(IllegalArgumentException.class);
    }

    private static void assertDenied(JsonNode answer, String field, String text) {
        assertThat(answer.at("/response/allowed").asBoolean()).as(answer.toString()).isFalse();
        assertThat(answer.at("/response/status/message").asText()).as(answer.toString()).contains(field + ": ").contains(text);
        List<String> fields = new ArrayList<>();
        answer.at("/response/status/details/causes").forEach(c -> fields.add(c.path("field").asText()));
        assertThat(fields).contains(field);
    }

    private static boolean allowed(JsonNode answer) {
        return answer.at("/response/allowed").asBoolean();
    }

    private static ObjectNode review(String operation, DomainConfig object, DomainConfig oldObject, boolean dryRun) {
        ObjectNode review = JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", "uid-1").put("operation", operation)
            .put("namespace", NS).put("name", object.getMetadata().getName()).put("dryRun", dryRun);
        request.putObject("kind").put("group", "domainoperator.io").put("version", "v1alpha1").put("kind", "DomainConfig");
        request.set("object", JSON.valueToTree(object));
        if (oldObject != null) {
            request.set("oldObject", JSON.valueToTree(oldObject));
        }
        return review;
    }

    private static DomainConfig domain(String name, Consumer<DomainConfigSpec> edit) {
        DomainConfigSpec spec = Specs.minimal(name, 1, 128, s -> s.setKernel("/img/vmlinuz"));
        edit.accept(spec);
        return Specs.domainConfig(NS, name, spec);
    }

    private static Disk disk(String source, String target) {
        Disk disk = new Disk();
        disk.setSource(source);
        disk.setTarget(target);
        return disk;
    }

    private static Vif vif(String mac) {
        Vif vif = new Vif();
        vif.setBridge("br0");
        vif.setMac(mac);
        return vif;
    }

    private static PhysicalIOAdapter adapter(String name, String node, String assignedTo) {
        PhysicalIOAdapterSpec spec = new PhysicalIOAdapterSpec();
        spec.setNodeName(node);
        spec.setType(AdapterType.NetEth);
        PhysicalIOAdapter adapter = new PhysicalIOAdapter();
        adapter.setMetadata(new ObjectMetaBuilder().withName(name).build());
        adapter.setSpec(spec);
        if (assignedTo != null) {
            PhysicalIOAdapterStatus status = new PhysicalIOAdapterStatus();
            status.setAssignedTo(assignedTo);
            adapter.setStatus(status);
        }
        return adapter;
    }

    private static final class FakeView implements ClusterView {
        final List<DomainConfig> domains = new ArrayList<>();
        final List<PhysicalIOAdapter> adapters = new ArrayList<>();
        final List<DomainConfig> admitted = new ArrayList<>();
        boolean synced = true;

        @Override public boolean synced() { return synced; }
        @Override public List<DomainConfig> domains() { return domains; }
        @Override public List<PhysicalIOAdapter> adapters() { return adapters; }
        @Override public void admitted(DomainConfig domain) { admitted.add(domain); }
    }
}
