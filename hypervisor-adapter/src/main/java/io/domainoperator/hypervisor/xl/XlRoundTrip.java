package io.domainoperator.hypervisor.xl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares what Xen's own parser reads from an original xl file and from its import exported again: for every
 * key of the original that {@code xl-keys.tsv} maps or carries, the value xl would use must be the same. Disks
 * and pci devices are compared as libxlutil parses them; vifs by the parameters the original gave (the export
 * adds a MAC and xl's default bridge where the original left them to chance).
 */
public final class XlRoundTrip {
    /** Keys an export writes under another name: the value xl reads must survive the rename. */
    private static final Map<String, String> ALIASES = Map.of("cmdline", "extra", "maxcpus", "maxvcpus");

    private XlRoundTrip() {
    }

    /** Every difference, as "key: original X, exported Y"; empty when xl reads both files alike. */
    public static List<String> differences(LibXlUtil lib, String original, String exported) {
        List<String> problems = new ArrayList<>();
        XlConfig mine;
        XlConfig theirs;
        try {
            mine = XlConfigParser.parse(original);
            theirs = XlConfigParser.parse(exported);
        } catch (XlConfigException e) {
            return List.of("not an xl file: " + e.getMessage());
        }
        try (LibXlUtil.Parsed before = lib.parse(original, "original.cfg"); LibXlUtil.Parsed after = lib.parse(exported, "exported.cfg")) {
            for (XlConfig.Setting setting : mine.settings()) {
                var key = XlKeys.find(setting.key());
                if (key.isEmpty() || key.get().treatment() == XlKeys.Treatment.DROPPED) {
                    continue;
                }
                String name = setting.key();
                String written = ALIASES.getOrDefault(name, name);
                try {
                    compare(problems, name, key.get().kind(), before, written, after, mine, theirs);
                } catch (IllegalArgumentException e) {
                    problems.add(name + ": " + e.getMessage());
                }
            }
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        return problems;
    }

    private static void compare(List<String> problems, String key, XlKeys.Kind kind, LibXlUtil.Parsed before,
                                String written, LibXlUtil.Parsed after, XlConfig mine, XlConfig theirs) {
        switch (key) {
            case "disk" -> {
                expect(problems, key, before.getList(key).stream().map(before::parseDisk).toList(),
                    after.getList(key).stream().map(after::parseDisk).toList());
                // libxlutil has accepted them; the parameters without a field are compared as the text carried
                expect(problems, key + " parameters", before.getList(key).stream().map(spec -> XlDeviceSpecs.parseDisk(spec).options()).toList(),
                    after.getList(key).stream().map(spec -> XlDeviceSpecs.parseDisk(spec).options()).toList());
            }
            case "pci" -> expect(problems, key, before.getList(key).stream().map(before::parsePci).toList(),
                after.getList(key).stream().map(after::parsePci).toList());
            case "vif" -> vifs(problems, before.getList(key), after.getList(key));
            case "builder" -> expect(problems, key, "generic".equals(before.getString(key)) ? "pv" : before.getString(key), after.getString("type"));
            case "stdvga" -> expect(problems, key, before.getLong(key) == 1 ? "stdvga" : "cirrus", after.getString("vga"));
            case "usb" -> {
                if (mine.setting("usbdevice").isPresent()) {
                    expect(problems, key, before.getLong(key), after.getLong(key));
                }
            }
            default -> {
                // a carried value is opaque: compared as the text xl holds, whatever it looks like
                if ((kind == XlKeys.Kind.NUM || kind == XlKeys.Kind.BOOL) && !XlKeys.isCarried(key)) {
                    expect(problems, key, before.getLong(key), after.getLong(written));
                } else {
                    expect(problems, key, atoms(before, key), atoms(after, written));
                    // libxlutil's lists hide nested lists (vnuma, vsnd); compare those as our parser reads them
                    if (mine.get(key).orElseThrow() instanceof XlValue.Lst list && list.items().stream().anyMatch(XlValue.Lst.class::isInstance)) {
                        expect(problems, key, list, theirs.get(written).orElse(null));
                    }
                }
            }
        }
    }

    /** A string or a list, as a list of atoms: xl reads serial = "pty" and serial = ["pty"] alike. */
    private static List<String> atoms(LibXlUtil.Parsed parsed, String key) {
        try {
            String value = parsed.getString(key);
            return value == null ? null : List.of(value);
        } catch (IllegalArgumentException notAString) {
            return parsed.getList(key);
        }
    }

    private static void vifs(List<String> problems, List<String> before, List<String> after) {
        if (before.size() != after.size()) {
            problems.add("vif: original has " + before.size() + " interfaces, exported " + after.size());
            return;
        }
        for (int i = 0; i < before.size(); i++) {
            Map<String, String> original = vifParameters(before.get(i));
            Map<String, String> exported = vifParameters(after.get(i));
            for (var parameter : original.entrySet()) {
                String value = exported.get(parameter.getKey());
                if (!parameter.getValue().equalsIgnoreCase(Objects.toString(value))) {
                    problems.add("vif[" + i + "] " + parameter.getKey() + ": original " + parameter.getValue() + ", exported " + value);
                }
            }
        }
    }

    private static Map<String, String> vifParameters(String spec) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String raw : spec.split(",")) {
            int eq = raw.indexOf('=');
            if (eq > 0) {
                parameters.put(raw.substring(0, eq).strip(), raw.substring(eq + 1).strip());
            }
        }
        return parameters;
    }

    private static void expect(List<String> problems, String key, Object original, Object exported) {
        if (!Objects.equals(original, exported)) {
            problems.add(key + ": xl reads " + original + " from the original, " + exported + " from the export");
        }
    }
}
