package io.domainoperator.controller.cluster.webhook;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The webhook's TLS material as the Secret holds it ({@code kubernetes.io/tls}: {@code tls.crt},
 * {@code tls.key}, plus {@code ca.crt}): the serving certificate and key, and the CA bundle the API server
 * must trust, the CA that signed it first, then the previous CA while it is still valid, so a replica that
 * still serves the previous certificate stays trusted during a rotation.
 */
public record ServingCertificate(X509Certificate certificate, PrivateKey key, List<X509Certificate> caBundle) {
    public static final String CERT = "tls.crt";
    public static final String KEY = "tls.key";
    public static final String CA = "ca.crt";

    public ServingCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        caBundle = List.copyOf(caBundle);
    }

    /**
     * Whether to issue a new one: when two thirds of its lifetime have passed (as cert-manager renews), when it
     * does not name every host the API server may dial, or when it is not signed by the bundle's first CA.
     */
    public boolean dueForRenewal(Instant now, Collection<String> hosts) {
        Instant from = certificate.getNotBefore().toInstant();
        Instant until = certificate.getNotAfter().toInstant();
        Instant renewAt = from.plus(Duration.between(from, until).multipliedBy(2).dividedBy(3));
        return !now.isBefore(renewAt) || !names().containsAll(hosts) || caBundle.isEmpty() || !signedByFirstCa();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    private boolean signedByFirstCa() {
        try {
            certificate.verify(caBundle.getFirst().getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** DNS names and IP addresses in the subject alternative names. */
    Set<String> names() {
        Set<String> names = new HashSet<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            if (sans != null) {
                sans.forEach(san -> names.add(String.valueOf(san.get(1))));
            }
        } catch (CertificateParsingException e) {
            // No readable SANs: it names nothing, so it is renewed.
        }
        return names;
    }

    /** The bundle as PEM, what {@code clientConfig.caBundle} carries (base64 of this). */
    public String caBundlePem() {
        StringBuilder pem = new StringBuilder();
        caBundle.forEach(ca -> pem.append(pem(ca)));
        return pem.toString();
    }

    /** The Secret's data (values not yet base64-encoded for the API). */
    public Map<String, String> toSecretData() {
        return Map.of(CERT, pem(certificate), KEY, pem("PRIVATE KEY", key.getEncoded()), CA, caBundlePem());
    }

    /** Reads a Secret's base64 data; null when a key is missing or does not parse. */
    public static ServingCertificate fromSecretData(Map<String, String> base64Data) {
        if (base64Data == null || !base64Data.keySet().containsAll(List.of(CERT, KEY, CA))) {
            return null;
        }
        try {
            List<X509Certificate> chain = certificates(decode(base64Data.get(CERT)));
            List<X509Certificate> bundle = certificates(decode(base64Data.get(CA)));
            if (chain.isEmpty()) {
                return null;
            }
            return new ServingCertificate(chain.getFirst(), privateKey(decode(base64Data.get(KEY)), chain.getFirst()), bundle);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    static List<X509Certificate> certificates(String pem) throws GeneralSecurityException {
        List<X509Certificate> out = new ArrayList<>();
        for (var certificate : CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            out.add((X509Certificate) certificate);
        }
        return out;
    }

    private static PrivateKey privateKey(String pem, X509Certificate certificate) throws GeneralSecurityException {
        String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.US_ASCII);
    }

    static String pem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
            + "\n-----END " + type + "-----\n";
    }
}
