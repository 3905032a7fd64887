package io.domainoperator.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UntrustedTest {
    @Test
    void quotedValuesCannotStartALineOrDriveATerminal() {
        assertThat(Untrusted.quote("vm\n12:00 INFO forged\u001b[2J")).isEqualTo("'vm\\n12:00 INFO forged\\u001b[2J'");
        assertThat(Untrusted.quote("it's \\")).isEqualTo("'it\\'s \\\\'");
        assertThat(Untrusted.quote(null)).isEqualTo("null");
    }

    @Test
    void bidiOverridesAndLineSeparatorsCountAsControls() {
        assertThat(Untrusted.firstControl("ok\u202Egnp.exe")).isEqualTo(2);
        assertThat(Untrusted.firstControl("a\u2028b")).isEqualTo(1);
        assertThat(Untrusted.firstControl("plain ascii, ümlaut")).isEqualTo(-1);
    }

    @Test
    void longValuesAreCut() {
        assertThat(Untrusted.quote("x".repeat(1000))).hasSizeLessThan(Untrusted.MAX_SHOWN + 40).endsWith("...(1000 characters)'");
    }

    @Test
    void escapeControlsLeavesEverythingElseAlone() {
        assertThat(Untrusted.escapeControls("file.cfg:3: 'a'\tb\r\n")).isEqualTo("file.cfg:3: 'a'\\tb\\r\\n");
        assertThat(Untrusted.escapeControls("unchanged 'text'")).isEqualTo("unchanged 'text'");
    }
}
