package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * For any file libxlutil accepts, built from the key table (every carried key with random values, every mapped
 * key with values its field can hold): import, export, and read both files back with libxlutil; xl must read
 * the same value for every key that was mapped or carried ({@link XlRoundTrip}).
 */
class XlKeyRoundTripIT {
    /** Values a mapped key's field can hold, in xl syntax; keys left out here are covered by their own tests. */
    private static final Map<String, List<String>> MAPPED = Map.ofEntries(
        Map.entry("maxvcpus", List.of("4", "8")), Map.entry("maxmem", List.of("1024", "2048")),
        Map.entry("extra", List.of("\"console=hvc0\"", "'root=/dev/xvda1 ro'")), Map.entry("boot", List.of("\"dc\"", "'c'")),
        Map.entry("vnc", List.of("0", "1")), Map.entry("vnclisten", List.of("\"0.0.0.0\"", "\"127.0.0.1\"")),
        Map.entry("vncdisplay", List.of("0", "7")), Map.entry("vncunused", List.of("0", "1")), Map.entry("keymap", List.of("\"de\"", "'en-us'")),
        Map.entry("serial", List.of("\"pty\"", "['pty']")), Map.entry("on_poweroff", List.of("\"destroy\"", "'preserve'")),
        Map.entry("on_reboot", List.of("\"restart\"")), Map.entry("on_crash", List.of("'restart'", "\"preserve\"")),
        Map.entry("acpi", List.of("0", "1")), Map.entry("localtime", List.of("0", "1")), Map.entry("pae", List.of("0", "1")),
        Map.entry("apic", List.of("1")), Map.entry("hap", List.of("0", "1")), Map.entry("nestedhvm", List.of("1")),
        Map.entry("viridian", List.of("1", "0", "['base', 'freq']")), Map.entry("vga", List.of("\"stdvga\"", "'cirrus'", "\"qxl\"", "\"none\"")),
        Map.entry("disk", List.of("['/img/a.qcow2,qcow2,xvda,rw', 'phy:/dev/vg/b,xvdb,r', '/iso/x.iso,raw,hdc,ro,devtype=cdrom']",
            "['format=raw, vdev=xvda, access=rw, target=/img/x=y.img']")),
        Map.entry("vif", List.of("['']", "['bridge=br0,mac=00:16:3e:00:00:01,model=e1000', 'bridge=br1']")),
        Map.entry("pci", List.of("['07:00.0']", "['0000:08:00.1', '09:1f.7']",
            "['07:00.0@3,permissive=1,msitranslate=0', '0000:08:00.1,seize=1,power_mgmt=1,rdm_policy=relaxed']")));

    private static final List<String> CARRIED = XlKeys.all().values().stream()
        .filter(k -> k.treatment() == XlKeys.Treatment.CARRIED).map(XlKeys.Key::name).toList();

    @Property(tries = 200)
    @AddLifecycleHook(XenLibs.Required.class)
    void everyMappedOrCarriedKeyReadsBackTheSame(@ForAll("files") String file) {
        LibXlUtil lib = XenLibs.libxlutil();
        lib.parse(file, "generated.cfg").close(); // the premise: libxlutil accepts it
        XlImport result = XlConfigImporter.importText(file);
        assertThat(result).as(file).isInstanceOf(XlImport.Imported.class);
        String exported = XlConfigExporter.export(((XlImport.Imported) result).config());
        assertThat(XlRoundTrip.differences(lib, file, exported)).as(file + "\n--- exported:\n" + exported).isEmpty();
    }

    @Provide
    Arbitrary<String> files() {
        Arbitrary<List<String>> mapped = Arbitraries.subsetOf(MAPPED.keySet()).flatMap(keys -> {
            List<Arbitrary<String>> lines = keys.stream().sorted().map(k -> valueOf(k).map(v -> k + " = " + v)).toList();
            return Combinators.combine(lines).as(ArrayList::new);
        });
        Arbitrary<List<String>> carried = Combinators.combine(Arbitraries.of(CARRIED), value()).as((k, v) -> k + " = " + v)
            .list().ofMaxSize(12).uniqueElements(line -> line.substring(0, line.indexOf(' ')));
        Arbitrary<String> type = Arbitraries.of("type = \"hvm\"", "builder = 'hvm'", "type = 'pvh'\nkernel = '/boot/vmlinuz'");
        return Combinators.combine(type, mapped, carried).as((t, m, c) -> {
            List<String> lines = new ArrayList<>(List.of("name = \"generated\"", "memory = 512", "vcpus = 2", t));
            lines.addAll(m);
            lines.addAll(c);
            return String.join("\n", lines) + "\n";
        }).filter(f -> !f.contains("pvh") || !f.contains("vga =") && !f.contains("boot ="));
    }

    /** Any xl value: quoted strings with escapes, decimal and hex numbers, lists, lists of lists. */
    /** A mapped key's value; disks and vifs sometimes with parameters that have no field (carried in xenOptions). */
    private static Arbitrary<String> valueOf(String key) {
        Arbitrary<String> fixed = Arbitraries.of(MAPPED.get(key));
        return switch (key) {
            case "disk" -> Arbitraries.oneOf(fixed, Combinators.combine(
                Arbitraries.subsetOf("backendtype=qdisk", "script=block-iscsi", "discard", "direct-io-safe"),
                Arbitraries.subsetOf("no-discard", "backendtype=phy", "specification=xen"))
                .as((a, b) -> "['/img/a.qcow2,qcow2,xvda,rw" + options(a, ",") + "', 'format=raw, vdev=xvdb, access=rw"
                    + options(b, ", ") + ", target=/img/x=y.img']"));
            case "vif" -> Arbitraries.oneOf(fixed, Arbitraries.subsetOf("rate=10Mb/s", "rate=1Gb/s@20ms", "script=vif-route",
                    "ip=10.0.0.2 10.0.0.3", "type=ioemu", "gatewaydev=eth0", "backend=0", "mtu=9000", "forwarddev=eth1")
                .map(o -> "['bridge=br0,mac=00:16:3e:00:00:01" + options(o, ",") + "']"));
            default -> fixed;
        };
    }

    private static String options(java.util.Set<String> options, String separator) {
        return options.stream().sorted().map(o -> separator + o).reduce("", String::concat);
    }

    private static Arbitrary<String> value() {
        Arbitrary<String> text = Arbitraries.strings().withChars("abz09 ,=:/._-\"'\\#[]").ofMaxLength(12);
        Arbitrary<String> string = text.map(s -> XlSyntax.quote("k", s, '"'));
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.longs().between(0, 1L << 40).map(l -> Long.toString(l)),
            Arbitraries.integers().between(0, 0xffff).map(i -> "0x" + Integer.toHexString(i)));
        Arbitrary<String> atom = Arbitraries.oneOf(string, number);
        Arbitrary<String> list = atom.list().ofMaxSize(4).map(items -> "[" + String.join(", ", items) + "]");
        Arbitrary<String> nested = list.list().ofMinSize(1).ofMaxSize(3).map(items -> "[ " + String.join(",\n  ", items) + " ]");
        return Arbitraries.oneOf(atom, atom, list, nested);
    }
}
