package io.domainoperator.hypervisor.xl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class XlConfigParserTest {

    @Test
    void readsStringsNumbersListsCommentsAndListsOverSeveralLines() throws XlConfigException {
        XlConfig config = XlConfigParser.parse("""
            # a comment
            name = "web" # trailing comment
            memory = 0x200; vcpus = 2
            kernel = '/boot/it\\'s'
            extra = "tab\\there \\x41\\101"
            disk = [ '/a.img,raw,xvda,rw',
                     # comment inside the list
                     "/b.img,raw,xvdb,ro",
                   ]
            empty = []
            """);
        assertThat(config.get("name")).contains(XlValue.str("web"));
        assertThat(config.get("memory")).contains(new XlValue.Num(512, "0x200"));
        assertThat(config.get("vcpus")).contains(XlValue.num(2));
        assertThat(config.get("kernel")).contains(XlValue.str("/boot/it's"));
        assertThat(config.get("extra")).contains(XlValue.str("tab\there AA"));
        assertThat(config.get("disk")).contains(XlValue.Lst.ofStrings(List.of("/a.img,raw,xvda,rw", "/b.img,raw,xvdb,ro")));
        assertThat(config.get("empty")).contains(new XlValue.Lst(List.of()));
        assertThat(config.setting("disk").orElseThrow().line()).isEqualTo(6);
    }

    /** What libxlutil accepts and the parser used to refuse: repeats (last wins), +=, nested lists, number-like atoms. */
    @Test
    void readsWhatLibxlutilReads() throws XlConfigException {
        XlConfigParser.Parsed parsed = XlConfigParser.parseWithWarnings("""
            name = "a"
            name = "b"
            extra = "root=/dev/xvda1"
            extra += " quiet"
            pci += ['07:00.0']
            pci += ['08:00.0']
            vnuma = [ ["pnode=0", "size=512"], ["pnode=1", "size=512"] ]
            big = 99999999999999999999
            """);
        XlConfig config = parsed.config();
        assertThat(config.get("name")).contains(XlValue.str("b"));
        assertThat(parsed.warnings()).singleElement().satisfies(w -> assertThat(w.getMessage())
            .isEqualTo("line 1: 'name' is set again on line 2; xl uses only the last value, so this one is dropped"));
        assertThat(config.get("extra")).contains(XlValue.str("root=/dev/xvda1 quiet"));
        assertThat(config.get("pci")).contains(XlValue.Lst.ofStrings(List.of("07:00.0", "08:00.0")));
        assertThat(((XlValue.Lst) config.get("vnuma").orElseThrow()).items()).containsExactly(
            XlValue.Lst.ofStrings(List.of("pnode=0", "size=512")), XlValue.Lst.ofStrings(List.of("pnode=1", "size=512")));
        assertThat(config.get("big")).contains(XlValue.str("99999999999999999999"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "name = \"x\"\\nmemory = 12 34          | 2 | 13 | unexpected '3'",
        "name = \"unterminated\\nvcpus = 1     | 1 | 8  | not closed",
        "name = \"x\"\\ndisk = ['a', 'b'\\n     | 3 | 1  | not closed; add ']'",
        "name = \"x\"\\n\\nmemory = = 3          | 3 | 10 | expected a value",
        "memory = 512MB                        | 1 | 10 | not a number",
        "name = hvm                            | 1 | 8  | quote strings",
        "1name = 3                             | 1 | 1  | expected a key",
        "Name = 3                              | 1 | 1  | keys are lower case",
        "extra = \"\\q\"                        | 1 | 10 | not an escape",
        "pci = ['a']\\npci += 'b'              | 2 | 1  | cannot add a [list] to a string",
        "memory = 1.5                          | 1 | 10 | not a number",
    })
    void namesTheLineAndColumnOfEachError(String text, int line, int column, String message) {
        String input = text.strip().replace("\\n", "\n");
        assertThatThrownBy(() -> XlConfigParser.parse(input))
            .isInstanceOfSatisfying(XlConfigException.class, e -> {
                assertThat(e.line()).isEqualTo(line);
                assertThat(e.column()).isEqualTo(column);
                assertThat(e.getMessage()).startsWith("line " + line + ", column " + column + ": ").contains(message);
            });
    }
}
