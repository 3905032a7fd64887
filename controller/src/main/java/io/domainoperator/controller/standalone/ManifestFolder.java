package io.domainoperator.controller.standalone;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigValidator;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.api.v1alpha1.JsonFieldErrors;
import io.domainoperator.api.v1alpha1.Patterns;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapter;
import io.domainoperator.api.v1alpha1.PhysicalIOAdapterValidator;
import io.domainoperator.api.v1alpha1.Untrusted;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
    private static final java.util.regex.Pattern OBJECT_NAME = java.util.regex.Pattern.compile(Patterns.OBJECT_NAME);
    private static final ObjectMapper YAML = new YAMLMapper()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** The problem last reported per file, so a broken file is reported once, not at every scan. */
    private final Map<Path, String> reported = new HashMap<>();
    private final Path dir;
    private final KubernetesClient client;
    /** Objects this folder created, by "Kind/ns/name", with the file that declared them. */
    private final Map<String, String> owned = new HashMap<>();
    private final Map<Path, List<HasMetadata>> lastGood = new HashMap<>();
    /** The file each object was taken from at the last reading, so a duplicate never takes it over. */
    private final Map<String, Path> declaredIn = new HashMap<>();
    /** Objects declared by several files, reported once until resolved. */
    private final Set<String> reportedConflicts = new HashSet<>();

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
        Map<String, List<Declaration>> byKey = new LinkedHashMap<>();
        for (Path file : manifestFiles()) {
            for (HasMetadata o : objectsOf(file, problems)) {
                byKey.computeIfAbsent(key(o), k -> new ArrayList<>()).add(new Declaration(file, o));
            }
        }
        Map<String, HasMetadata> declared = new HashMap<>();
        Map<String, Path> nowDeclaredIn = new HashMap<>();
        Set<String> held = new HashSet<>();
        Set<String> conflicts = new HashSet<>();
        byKey.forEach((key, declarations) -> {
            Declaration chosen = declarations.size() == 1 ? declarations.getFirst() : resolveDuplicate(key, declarations, problems);
            if (declarations.size() > 1) {
                conflicts.add(key);
            }
            if (chosen == null) {
                held.add(key);
            } else {
                declared.put(key, chosen.object());
                nowDeclaredIn.put(key, chosen.file());
            }
        });
        reportedConflicts.retainAll(conflicts);
        declaredIn.clear();
        declaredIn.putAll(nowDeclaredIn);
        lastGood.keySet().removeIf(f -> !Files.exists(f));
        declared.forEach((key, o) -> apply(key, o));
        for (String key : List.copyOf(owned.keySet())) {
            if (!declared.containsKey(key) && !held.contains(key)) {
                delete(key);
            }
        }
        return problems;
    }

    /**
     * The objects a file declares now. A file that does not parse, or is empty (an editor saving in place
     * truncates it first), keeps declaring what it declared before: only a file that is gone deletes.
     */
    private List<HasMetadata> objectsOf(Path file, List<String> problems) {
        try {
            if (isBlank(file)) {
                throw new ManifestException(file + ": is empty; taken as being edited, so the objects it declared before"
                    + " are kept as they were (delete the file to delete them)", null);
            }
            List<HasMetadata> objects = read(file);
            objects.forEach(o -> {
                if (o instanceof DomainConfig dc) {
                    dc.getSpec().setNodeName(node);
                }
            });
            lastGood.put(file, objects);
            if (reported.remove(file) != null) {
                LOG.info("{}: fixed, applied", file);
            }
            return objects;
        } catch (ManifestException e) {
            problems.add(e.getMessage());
            if (!e.getMessage().equals(reported.put(file, e.getMessage()))) {
                // One log line per problem; the messages carry user values only escaped.
                e.getMessage().lines().forEach(line -> LOG.error("{} (the objects the file declared before are kept as they were)", line));
            }
            return lastGood.getOrDefault(file, List.of());
        }
    }

    private static boolean isBlank(Path file) {
        try {
            return Files.readString(file).isBlank();
        } catch (IOException e) {
            return false; // read() reports it
        }
    }

    /**
     * Two files declare one object. Never resolved by file order: the file that declared it before keeps it;
     * when none did, neither is applied (and an object already there is neither changed nor deleted).
     */
    private Declaration resolveDuplicate(String key, List<Declaration> declarations, List<String> problems) {
        Path before = declaredIn.get(key);
        Declaration kept = declarations.stream().filter(d -> d.file().equals(before)).findFirst().orElse(null);
        String files = String.join(" and ", declarations.stream().map(d -> d.file().toString()).toList());
        String message = key + " is declared in both " + files + "; "
            + (kept != null ? "kept as " + kept.file().getFileName() + " declared it before" : "neither is applied")
            + " until only one file declares it (remove or rename the other)";
        problems.add(message);
        if (reportedConflicts.add(key)) {
            LOG.error("{}", message);
        }
        return kept;
    }

    /** One object as one file declares it. */
    private record Declaration(Path file, HasMetadata object) {
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

    /**
     * The objects of one manifest file, each parsed and validated. Problems name the file, line, document and
     * field, and any value shown is escaped: a manifest is untrusted text on its way to a log.
     */
    public static List<HasMetadata> read(Path file) {
        List<HasMetadata> objects = new ArrayList<>();
        List<Document> docs;
        try {
            docs = splitDocuments(Files.readString(file));
        } catch (IOException e) {
            throw new ManifestException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        for (int i = 0; i < docs.size(); i++) {
            Document doc = docs.get(i);
            int number = i + 1;
            HasMetadata o;
            try {
                JsonNode tree = YAML.readTree(doc.text());
                if (tree == null || tree.isNull() || tree.isMissingNode()) {
                    continue;
                }
                String kind = tree.path("kind").asText();
                Class<? extends HasMetadata> type = switch (kind) {
                    case "DomainConfig" -> DomainConfig.class;
                    case "PhysicalIOAdapter" -> PhysicalIOAdapter.class;
                    default -> throw new ManifestException(at(file, number, doc.line(YamlLines.of(doc.text()).lineOf("kind")))
                        + ": kind " + Untrusted.quote(kind) + " is not DomainConfig or PhysicalIOAdapter", null);
                };
                String apiVersion = tree.path("apiVersion").asText();
                if (!apiVersion.equals(DomainConfig.GROUP + "/" + DomainConfig.VERSION)) {
                    throw new ManifestException(at(file, number, doc.line(YamlLines.of(doc.text()).lineOf("apiVersion")))
                        + ": apiVersion " + Untrusted.quote(apiVersion) + " must be " + DomainConfig.GROUP + "/" + DomainConfig.VERSION, null);
                }
                o = YAML.readValue(doc.text(), type);
            } catch (ManifestException e) {
                throw e;
            } catch (JsonMappingException e) {
                int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
                throw new ManifestException(at(file, number, doc.line(line)) + ": " + JsonFieldErrors.of(e), e);
            } catch (JsonProcessingException e) {
                int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
                int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
                throw new ManifestException(at(file, number, doc.line(line)) + (column > 0 ? ", column " + column : "") + ": not valid YAML: "
                    + Untrusted.quote(String.join("; ", e.getOriginalMessage().lines().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("in ") && !l.startsWith("^")).toList())), e);
            }
            List<FieldError> errors = new ArrayList<>();
            String name = o.getMetadata() == null ? null : o.getMetadata().getName();
            if (name == null) {
                errors.add(new FieldError("metadata.name", "is required"));
            } else if (!OBJECT_NAME.matcher(name).matches()) {
                errors.add(new FieldError("metadata.name", Untrusted.quote(name) + " is not an object name (lower-case RFC 1123)"));
            }
            if (o instanceof DomainConfig dc) {
                if (dc.getMetadata().getNamespace() == null) {
                    dc.getMetadata().setNamespace("default");
                }
                errors.addAll(DomainConfigValidator.validateObject(dc));
            } else if (o instanceof PhysicalIOAdapter adapter) {
                errors.addAll(PhysicalIOAdapterValidator.validate(adapter.getSpec()));
            }
            if (!errors.isEmpty()) {
                YamlLines lines = YamlLines.of(doc.text());
                String what = o.getKind() + " " + Untrusted.quote(name);
                throw new ManifestException(String.join("\n", errors.stream()
                    .map(e -> at(file, number, doc.line(lines.lineOf(e.field()))) + ": " + what + ": " + e).toList()), null);
            }
            objects.add(o);
        }
        return objects;
    }

    /** Where a problem is: {@code vm.yaml (document 2), line 14}. */
    private static String at(Path file, int document, int line) {
        return file + " (document " + document + "), line " + line;
    }

    /** One YAML document and the file line it starts on. */
    private record Document(String text, int firstLine) {
        /** The file line of a line within the document (1-based); the document's start when unknown. */
        int line(int lineInDocument) {
            return firstLine + Math.max(lineInDocument, 1) - 1;
        }
    }

    private static List<Document> splitDocuments(String text) {
        List<Document> docs = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int lineNo = 0;
        int first = 1;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.startsWith("---")) {
                docs.add(new Document(cur.toString(), first));
                cur.setLength(0);
                first = lineNo + 1;
            } else {
                cur.append(line).append('\n');
            }
        }
        docs.add(new Document(cur.toString(), first));
        return docs.stream().filter(d -> d.text().lines().anyMatch(l -> !l.isBlank() && !l.stripLeading().startsWith("#"))).toList();
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
