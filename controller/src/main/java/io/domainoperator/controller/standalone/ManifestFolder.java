package io.domainoperator.controller.standalone;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigValidator;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of manifests (like /etc/xen/auto) kept in sync with the embedded API server: files added or changed
 * create or update objects, files removed delete them (the agent's finalizer then halts the domain). A file
 * that does not parse or validate is reported with its name, document and field, and changes nothing: the
 * objects it declared before stay as they were, so a typo never halts a running VM.
 */
public final class ManifestFolder {
    private static final Logger LOG = LoggerFactory.getLogger(ManifestFolder.class);
    private static final ObjectMapper YAML = new YAMLMapper()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** The problem last reported per file, so a broken file is reported once, not at every scan. */
    private final Map<Path, String> reported = new HashMap<>();
    private final Path dir;
    private final KubernetesClient client;
    /** Objects this folder created, by "Kind/ns/name", with the file that declared them. */
    private final Map<String, String> owned = new HashMap<>();
    private final Map<Path, List<HasMetadata>> lastGood = new HashMap<>();

    private final String node;

    /** node: the node every DomainConfig of the folder runs on (standalone: this machine). */
    public ManifestFolder(Path dir, KubernetesClient client, String node) {
        this.dir = dir;
        this.client = client;
        this.node = node;
    }

    /** One reading of the folder, applied. Returns the problems found (empty when all files are good). */
    public synchronized List<String> sync() {
        List<String> problems = new ArrayList<>();
        Map<String, HasMetadata> declared = new HashMap<>();
        Map<String, String> declaredIn = new HashMap<>();
        for (Path file : manifestFiles()) {
            List<HasMetadata> objects;
            try {
                objects = read(file);
                objects.forEach(o -> {
                    if (o instanceof DomainConfig dc) {
                        dc.getSpec().setNodeName(node);
                    }
                });
                lastGood.put(file, objects);
                if (reported.remove(file) != null) {
                    LOG.info("{}: fixed, applied", file);
                }
            } catch (ManifestException e) {
                problems.add(e.getMessage());
                if (!e.getMessage().equals(reported.put(file, e.getMessage()))) {
                    LOG.error("{} (the objects it declared before are kept as they were)", e.getMessage());
                }
                objects = lastGood.getOrDefault(file, List.of());
            }
            for (HasMetadata o : objects) {
                String key = key(o);
                String other = declaredIn.putIfAbsent(key, file.getFileName().toString());
                if (other != null) {
                    problems.add(file + ": " + key + " is also declared in " + other + "; the first one wins");
                    continue;
                }
                declared.put(key, o);
            }
        }
        lastGood.keySet().removeIf(f -> !Files.exists(f));
        declared.forEach((key, o) -> apply(key, o));
        for (String key : List.copyOf(owned.keySet())) {
            if (!declared.containsKey(key)) {
                delete(key);
            }
        }
        return problems;
    }

    private List<Path> manifestFiles() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                .sorted().toList();
        } catch (IOException e) {
            LOG.error("cannot list manifest folder {}: {}", dir, e.getMessage());
            return List.copyOf(lastGood.keySet());
        }
    }

    static List<HasMetadata> read(Path file) {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> docs;
        try {
            docs = splitDocuments(Files.readString(file));
        } catch (IOException e) {
            throw new ManifestException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        for (int i = 0; i < docs.size(); i++) {
            String doc = docs.get(i);
            String where = file + " (document " + (i + 1) + ")";
            HasMetadata o;
            try {
                JsonNode tree = YAML.readTree(doc);
                if (tree == null || tree.isNull() || tree.isMissingNode()) {
                    continue;
                }
                String apiVersion = tree.path("apiVersion").asText();
                Class<? extends HasMetadata> type = switch (tree.path("kind").asText()) {
                    case "DomainConfig" -> DomainConfig.class;
                    case "PhysicalIOAdapter" -> PhysicalIOAdapter.class;
                    default -> throw new ManifestException(where + ": kind '" + tree.path("kind").asText()
                        + "' is not DomainConfig or PhysicalIOAdapter", null);
                };
                if (!apiVersion.equals(DomainConfig.GROUP + "/" + DomainConfig.VERSION)) {
                    throw new ManifestException(where + ": apiVersion '" + apiVersion + "' must be "
                        + DomainConfig.GROUP + "/" + DomainConfig.VERSION, null);
                }
                o = YAML.treeToValue(tree, type);
            } catch (ManifestException e) {
                throw e;
            } catch (Exception e) {
                throw new ManifestException(where + ": " + rootMessage(e), e);
            }
            if (o.getMetadata() == null || o.getMetadata().getName() == null) {
                throw new ManifestException(where + ": metadata.name is required", null);
            }
            if (o instanceof DomainConfig dc) {
                if (dc.getMetadata().getNamespace() == null) {
                    dc.getMetadata().setNamespace("default");
                }
                List<FieldError> errors = DomainConfigValidator.validate(dc.getSpec());
                if (!errors.isEmpty()) {
                    throw new ManifestException(where + ": DomainConfig " + dc.getMetadata().getName() + ": "
                        + String.join("; ", errors.stream().map(FieldError::toString).toList()), null);
                }
            }
            objects.add(o);
        }
        return objects;
    }

    private static List<String> splitDocuments(String text) {
        List<String> docs = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("---")) {
                docs.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(line).append('\n');
            }
        }
        docs.add(cur.toString());
        return docs.stream().filter(d -> d.lines().anyMatch(l -> !l.isBlank() && !l.stripLeading().startsWith("#"))).toList();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return Objects.requireNonNullElse(t.getMessage(), t.toString()).lines().findFirst().orElse("");
    }

    private void apply(String key, HasMetadata desired) {
        try {
            HasMetadata current = client.resource(desired).get();
            if (current == null) {
                client.resource(desired).create();
                LOG.info("{}: created from the manifest folder", key);
            } else if (!Objects.equals(spec(current), spec(desired))
                || !Objects.equals(current.getMetadata().getLabels(), desired.getMetadata().getLabels())) {
                current.getMetadata().setLabels(desired.getMetadata().getLabels());
                setSpec(current, desired);
                client.resource(current).update();
                LOG.info("{}: updated from the manifest folder", key);
            }
            owned.put(key, key);
        } catch (RuntimeException e) {
            LOG.error("{}: cannot apply: {}", key, e.getMessage());
        }
    }

    private void delete(String key) {
        String[] parts = key.split("/", 3);
        try {
            if (parts[0].equals("DomainConfig")) {
                client.resources(DomainConfig.class).inNamespace(parts[1]).withName(parts[2]).delete();
            } else {
                client.resources(PhysicalIOAdapter.class).withName(parts[2]).delete();
            }
            owned.remove(key);
            LOG.info("{}: its manifest is gone, deleted", key);
        } catch (RuntimeException e) {
            LOG.error("{}: cannot delete: {}", key, e.getMessage());
        }
    }

    private static Object spec(HasMetadata o) {
        return o instanceof DomainConfig dc ? dc.getSpec() : ((PhysicalIOAdapter) o).getSpec();
    }

    private static void setSpec(HasMetadata target, HasMetadata source) {
        if (target instanceof DomainConfig dc) {
            dc.setSpec(((DomainConfig) source).getSpec());
        } else {
            ((PhysicalIOAdapter) target).setSpec(((PhysicalIOAdapter) source).getSpec());
        }
    }

    static String key(HasMetadata o) {
        String ns = o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace();
        return o.getKind() + "/" + ns + "/" + o.getMetadata().getName();
    }

    /** A manifest that cannot be used; the message names the file, document and field. */
    public static final class ManifestException extends RuntimeException {
        ManifestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
