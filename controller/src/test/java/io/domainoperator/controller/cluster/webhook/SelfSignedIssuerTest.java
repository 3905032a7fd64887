package io.domainoperator.controller.cluster.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The serving certificate: what it names, who signed it, when it is renewed, how it survives the Secret. */
class SelfSignedIssuerTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final List<String> HOSTS = List.of("ctl-webhook.system.svc", "127.0.0.1");

    private final SelfSignedIssuer issuer = new SelfSignedIssuer(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void servingCertificateNamesEveryHostAndIsSignedByTheBundlesFirstCa() throws Exception {
        ServingCertificate issued = issuer.issue(HOSTS, Duration.ofDays(90), null);

        assertThat(issued.names()).containsExactlyInAnyOrderElementsOf(HOSTS);
        issued.certificate().verify(issued.caBundle().getFirst().getPublicKey());
        assertThat(issued.caBundle()).hasSize(1);
        assertThat(issued.caBundle().getFirst().getBasicConstraints()).isZero();
        assertThat(issued.certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(issued.certificate().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(issued.notAfter()).isEqualTo(NOW.plus(Duration.ofDays(90)));
    }

    @Test
    void renewedAtTwoThirdsOfItsLifetimeOrWhenAHostIsMissing() {
        ServingCertificate issued = issuer.issue(HOSTS, Duration.ofDays(90), null);
        Instant from = issued.certificate().getNotBefore().toInstant();
        Instant twoThirds = from.plus(Duration.between(from, issued.notAfter()).multipliedBy(2).dividedBy(3));

        assertThat(issued.dueForRenewal(NOW, HOSTS)).isFalse();
        assertThat(issued.dueForRenewal(twoThirds.minusSeconds(1), HOSTS)).isFalse();
        assertThat(issued.dueForRenewal(twoThirds, HOSTS)).isTrue();
        assertThat(issued.dueForRenewal(NOW, List.of("ctl-webhook.system.svc", "ctl-webhook.system.svc.cluster.local"))).isTrue();
    }

    @Test
    void rotationKeepsThePreviousCaTrustedSoReplicasStillServingTheOldCertificateAreAccepted() throws Exception {
        ServingCertificate first = issuer.issue(HOSTS, Duration.ofDays(90), null);
        ServingCertificate second = issuer.issue(HOSTS, Duration.ofDays(90), first);
        ServingCertificate third = issuer.issue(HOSTS, Duration.ofDays(90), second);

        assertThat(second.caBundle()).hasSize(2);
        second.certificate().verify(second.caBundle().get(0).getPublicKey());
        first.certificate().verify(second.caBundle().get(1).getPublicKey());
        assertThat(third.caBundle()).as("only the CA being replaced is kept").hasSize(2)
            .doesNotContain(first.caBundle().getFirst());
    }

    @Test
    void survivesTheSecretRoundTripAndAnIncompleteSecretReadsAsNone() {
        ServingCertificate issued = issuer.issue(HOSTS, Duration.ofDays(90), issuer.issue(HOSTS, Duration.ofDays(90), null));
        Map<String, String> data = new LinkedHashMap<>();
        issued.toSecretData().forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes())));

        ServingCertificate read = ServingCertificate.fromSecretData(data);

        assertThat(read.certificate()).isEqualTo(issued.certificate());
        assertThat(read.key()).isEqualTo(issued.key());
        assertThat(read.caBundle()).isEqualTo(issued.caBundle());
        data.remove(ServingCertificate.KEY);
        assertThat(ServingCertificate.fromSecretData(data)).isNull();
        assertThat(ServingCertificate.fromSecretData(Map.of(ServingCertificate.CERT, "bm90IGEgY2VydA==",
            ServingCertificate.KEY, "eA==", ServingCertificate.CA, "eA=="))).isNull();
    }
}
