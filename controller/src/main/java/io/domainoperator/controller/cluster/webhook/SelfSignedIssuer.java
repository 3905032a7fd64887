package io.domainoperator.controller.cluster.webhook;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues a fresh CA and a serving certificate it signs, both ECDSA P-256 (the JDK's own provider signs;
 * BouncyCastle only builds the X.509 structures, which the JDK has no public API for). A new CA per rotation
 * keeps no CA key around: the Secret holds only what serving needs.
 */
public final class SelfSignedIssuer {
    /**
     * Accepted clock skew between this process and the API server: certificates start this much in the past,
     * a tenth of the validity at most, so the renewal point (two thirds of the lifetime) stays well after issue.
     */
    static final Duration MAX_BACKDATE = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;

    public SelfSignedIssuer(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param hosts     DNS names and IP addresses the API server dials the webhook by (e.g. the Service's
     *                  {@code name.namespace.svc}); an entry of digits and dots or with ':' is an IP address
     * @param validity  lifetime of both certificates
     * @param previous  the bundle being replaced (its first CA stays trusted while valid), or null
     */
    public ServingCertificate issue(List<String> hosts, Duration validity, ServingCertificate previous) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("the serving certificate needs at least one host name");
        }
        try {
            Instant now = clock.instant();
            Duration backdate = validity.dividedBy(10).compareTo(MAX_BACKDATE) < 0 ? validity.dividedBy(10) : MAX_BACKDATE;
            Date from = Date.from(now.minus(backdate));
            Date until = Date.from(now.plus(validity));
            KeyPair caKeys = keyPair();
            X500Name caName = new X500Name("CN=domain-operator-webhook-ca-" + now.getEpochSecond());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder ca = new JcaX509v3CertificateBuilder(caName, serial(), from, until, caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate caCert = sign(ca, caKeys);

            KeyPair servingKeys = keyPair();
            X509v3CertificateBuilder serving = new JcaX509v3CertificateBuilder(caCert, serial(), from, until,
                new X500Name("CN=" + hosts.getFirst()), servingKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(caCert))
                .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                    hosts.stream().map(SelfSignedIssuer::generalName).toArray(GeneralName[]::new)));
            X509Certificate servingCert = sign(serving, caKeys);

            List<X509Certificate> bundle = new ArrayList<>(List.of(caCert));
            if (previous != null && !previous.caBundle().isEmpty() && previous.caBundle().getFirst().getNotAfter().after(Date.from(now))) {
                bundle.add(previous.caBundle().getFirst());
            }
            return new ServingCertificate(servingCert, servingKeys.getPrivate(), bundle);
        } catch (GeneralSecurityException | OperatorCreationException | org.bouncycastle.cert.CertIOException e) {
            throw new IllegalStateException("cannot issue the webhook's serving certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralName generalName(String host) {
        boolean ip = host.matches("[0-9.]+") || host.contains(":");
        return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host);
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(128, RANDOM);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
        throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(
            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
    }
}
