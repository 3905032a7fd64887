package io.domainoperator.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * kube-apiserver's audit log of write requests, for least-privilege checks that RBAC cannot make: RBAC grants
 * "update physicalioadapters" for all of them or none, while the audit log shows which ones a process did write.
 * The policy records every create, update, patch and delete at level Metadata (who, verb, object, answer), once
 * the response is complete; reads are not logged.
 */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: ["RequestReceived", "ResponseStarted"]
            rules:
            - level: Metadata
              verbs: ["create", "update", "patch", "delete", "deletecollection"]
            - level: None
            """;

    private AuditLog() {
    }

    /** One write as the server recorded it; {@code name} is null for a create whose name the server chose. */
    public record Write(String user, String verb, String resource, String subresource, String namespace, String name,
                        int code, String requestUri) {
        public boolean succeeded() {
            return code >= 200 && code < 300;
        }

        @Override
        public String toString() {
            return verb + " " + requestUri + " -> " + code;
        }
    }

    /** The kube-apiserver flags: the policy above written into {@code workDir}, the log at {@code log}. */
    static List<String> flags(Path workDir, Path log) {
        try {
            Path policy = Files.writeString(workDir.resolve("audit-policy.yaml"), POLICY);
            Files.createDirectories(log.getParent());
            return List.of("--audit-policy-file", policy.toString(), "--audit-log-path", log.toString(),
                    "--audit-log-format", "json",
                    // Written before the answer goes out, so a test that saw the answer finds the line.
                    "--audit-log-mode", "blocking");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every write {@code user} made so far. */
    public static List<Write> writesBy(Path log, String user) {
        List<Write> writes = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(log)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode e = JSON.readTree(line);
                if (!user.equals(e.path("user").path("username").asText())) {
                    continue;
                }
                JsonNode ref = e.path("objectRef");
                writes.add(new Write(user, e.path("verb").asText(), ref.path("resource").asText(),
                        text(ref, "subresource"), text(ref, "namespace"), text(ref, "name"),
                        e.path("responseStatus").path("code").asInt(), e.path("requestURI").asText()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + log, e);
        }
        return writes;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
