package io.domainoperator.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the local API server authenticates with, generated fresh for every server: a static token per
 * identity ({@code --token-auth-file}) and an RSA key pair that signs service-account tokens.
 */
public final class LocalCredentials {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<Identity, String> tokens;
    private final Path tokenFile;
    private final Path serviceAccountPrivateKey;
    private final Path serviceAccountPublicKey;

    private LocalCredentials(Map<Identity, String> tokens, Path tokenFile, Path privateKey, Path publicKey) {
        this.tokens = tokens;
        this.tokenFile = tokenFile;
        this.serviceAccountPrivateKey = privateKey;
        this.serviceAccountPublicKey = publicKey;
    }

    /** Writes the token file and key pair into {@code dir}; {@link Identity#ADMIN} is always included. */
    public static LocalCredentials generate(Path dir, List<Identity> identities) {
        Map<Identity, String> tokens = new LinkedHashMap<>();
        tokens.put(Identity.ADMIN, newToken());
        identities.forEach(identity -> tokens.putIfAbsent(identity, newToken()));
        try {
            Files.createDirectories(dir);
            // Format: token,user,uid,"group1,group2" (kube-apiserver's --token-auth-file).
            List<String> lines = new ArrayList<>();
            tokens.forEach((identity, token) -> lines.add(token + "," + identity.user() + "," + identity.user()
                    + ",\"" + String.join(",", identity.groups()) + "\""));
            Path tokenFile = Files.write(dir.resolve("tokens.csv"), lines);

            KeyPair keys = rsaKeyPair();
            Path privateKey = Files.writeString(dir.resolve("service-account.key"),
                    pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            Path publicKey = Files.writeString(dir.resolve("service-account.pub"),
                    pem("PUBLIC KEY", keys.getPublic().getEncoded()));
            return new LocalCredentials(Map.copyOf(tokens), tokenFile, privateKey, publicKey);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write API server credentials under " + dir, e);
        }
    }

    public String token(Identity identity) {
        String token = tokens.get(identity);
        if (token == null) {
            throw new IllegalArgumentException("the local API server has no token for " + identity.user()
                    + "; declare it in @KubeApiServer(serviceAccounts = ...) (known: " + tokens.keySet() + ")");
        }
        return token;
    }

    public Path tokenFile() {
        return tokenFile;
    }

    public Path serviceAccountPrivateKey() {
        return serviceAccountPrivateKey;
    }

    public Path serviceAccountPublicKey() {
        return serviceAccountPublicKey;
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has RSA", e);
        }
    }

    /** PKCS#8 and X.509 SubjectPublicKeyInfo in PEM: the forms kube-apiserver's key loader reads. */
    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
