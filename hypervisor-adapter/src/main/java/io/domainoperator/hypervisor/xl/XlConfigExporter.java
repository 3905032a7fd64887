package io.domainoperator.hypervisor.xl;

import io.domainoperator.api.v1alpha1.DomainConfig;
import io.domainoperator.api.v1alpha1.DomainConfigSpec;
import io.domainoperator.api.v1alpha1.DomainConfigValidator;
import io.domainoperator.api.v1alpha1.FieldError;
import io.domainoperator.hypervisor.DomainDefinition;
import io.domainoperator.hypervisor.spec.DefinitionFromSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Writes a DomainConfig as an xl file for use outside the operator ({@code xl create} by hand, or a round trip
 * through {@link XlConfigImporter}): disks at their source paths, the spec's own lifecycle policies, and pci
 * entries for the adapters.
 */
public final class XlConfigExporter {
    private XlConfigExporter() {
    }

    /** Exports with adapters named by {@link XlConfigImporter#conventionalAdapterName(String)}. */
    public static String export(DomainConfig config) {
        return export(config, XlConfigExporter::conventionalPciAddress);
    }

    /**
     * @param pciAddressForAdapter the long-form PCI address of a PhysicalIOAdapter, or null when unknown
     * @throws XlRenderException naming every field that cannot be exported
     */
    public static String export(DomainConfig config, Function<String, String> pciAddressForAdapter) {
        return export(config, pciAddressForAdapter, XlUtilRuntime.installed());
    }

    /**
     * @param xenParser Xen's own parser, to check that xl reads the file as meant (nothing is checked without it)
     */
    public static String export(DomainConfig config, Function<String, String> pciAddressForAdapter, java.util.Optional<LibXlUtil> xenParser) {
        DomainConfigSpec spec = config.getSpec();
        if (spec == null) {
            throw new XlRenderException(List.of(new FieldError("spec", "is missing")));
        }
        List<FieldError> errors = new ArrayList<>(DomainConfigValidator.validate(spec));
        if (spec.getDisplayName() == null) {
            errors.add(new FieldError("spec.displayName", "is required: the domain's name in the xl file"));
        }
        List<String> pci = new ArrayList<>();
        for (int i = 0; i < spec.getAdapters().size(); i++) {
            String address = spec.getAdapters().get(i) == null ? null : pciAddressForAdapter.apply(spec.getAdapters().get(i));
            if (address == null) {
                errors.add(new FieldError("spec.adapters[" + i + "]", "'" + spec.getAdapters().get(i) + "' has no known PCI address"));
            }
            pci.add(address);
        }
        if (!errors.isEmpty()) {
            throw new XlRenderException(errors);
        }
        UUID uuid;
        try {
            // Without a uuid in the spec the file gets none either (EXPORT leaves it out) and xl picks one; the
            // generated MACs still need a seed of their own per domain, or every exported domain would share them.
            uuid = spec.getUuid() == null ? macSeed(config) : UUID.fromString(spec.getUuid());
        } catch (IllegalArgumentException e) {
            throw new XlRenderException(List.of(new FieldError("spec.uuid", "'" + spec.getUuid() + "' is not a uuid")));
        }
        List<String> diskPaths = spec.getDisks().stream().map(d -> d == null ? null : d.getSource()).toList();
        DomainDefinition definition = DefinitionFromSpec.of(spec.getDisplayName(), uuid, spec,
            diskPaths.stream().map(p -> p == null ? "" : p).toList(), pci.stream().toList());
        XlConfig rendered = XlConfigRenderer.render(definition, XlConfigRenderer.Mode.EXPORT);
        String text = XlSyntax.write(rendered);
        XlXenCheck.checkExport(xenParser, rendered, text);
        return text;
    }

    /** A name-based uuid from namespace/name (displayName when there is no metadata): stable across exports. */
    static UUID macSeed(DomainConfig config) {
        var meta = config.getMetadata();
        String namespace = meta == null || meta.getNamespace() == null ? "default" : meta.getNamespace();
        String name = meta == null || meta.getName() == null ? config.getSpec().getDisplayName() : meta.getName();
        return UUID.nameUUIDFromBytes(("domainoperator.io/" + namespace + "/" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The inverse of {@link XlConfigImporter#conventionalAdapterName(String)}; null for other names. */
    public static String conventionalPciAddress(String adapterName) {
        var m = java.util.regex.Pattern.compile("^pci-([0-9a-f]{4})-([0-9a-f]{2})-([0-9a-f]{2})-([0-7])$").matcher(adapterName);
        return m.matches() ? m.group(1) + ":" + m.group(2) + ":" + m.group(3) + "." + m.group(4) : null;
    }

}
