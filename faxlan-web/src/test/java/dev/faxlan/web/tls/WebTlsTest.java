package dev.faxlan.web.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebTlsTest {

    @TempDir
    Path dir;

    @Test
    void aSelfSignedIdentityIsMadeOnceOwnerOnlyAndKeptAcrossStarts() throws Exception {
        WebTls first = WebTls.selfSigned(dir.resolve("tls"));
        assertThat(first.made()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls/web.key")))).isEqualTo("rw-------");
        WebTls again = WebTls.selfSigned(dir.resolve("tls"));
        assertThat(again.made()).isFalse();
        assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(again.keyStore().getKey(WebTls.ALIAS, WebTls.STORE_PASSWORD)).isNotNull();
    }

    @Test
    void loopbackGetsPlainHttpAndOtherAddressesTls() throws Exception {
        assertThat(WebTls.forListen(null, null, dir, new InetSocketAddress("127.0.0.1", 8080))).isNull();
        assertThat(WebTls.forListen(null, null, dir, new InetSocketAddress("0.0.0.0", 8080))).isNotNull();
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedNamingBothFiles() throws Exception {
        WebTls.selfSigned(dir.resolve("a"));
        WebTls.selfSigned(dir.resolve("b"));
        Path cert = dir.resolve("a/web.crt");
        Path otherKey = dir.resolve("b/web.key");
        assertThatThrownBy(() -> WebTls.load(cert, otherKey, false)).isInstanceOf(WebTls.Unusable.class)
                .hasMessage(otherKey + ": this key does not belong to the first certificate of " + cert);
        assertThatThrownBy(() -> WebTls.load(dir.resolve("missing.crt"), otherKey, false)).isInstanceOf(WebTls.Unusable.class)
                .hasMessage(dir.resolve("missing.crt") + ": no such file");
    }
}
