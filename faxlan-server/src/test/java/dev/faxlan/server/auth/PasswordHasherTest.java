package dev.faxlan.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PBKDF2 at 600,000 iterations costs about half a second per hash: this class makes two. */
class PasswordHasherTest {
    private static final PasswordHasher HASHER = new PasswordHasher();
    private static String stored;

    @BeforeAll
    static void hashOnce() {
        stored = HASHER.hash("correct horse battery staple".toCharArray());
    }

    @Test
    void storedFormatIsSchemeIterationsSaltAndHash() {
        String[] parts = stored.split("\\$");
        assertThat(parts).hasSize(4);
        assertThat(parts[0]).isEqualTo("pbkdf2-sha256");
        assertThat(parts[1]).isEqualTo("600000");
        assertThat(PasswordHasher.ITERATIONS).isEqualTo(600_000);
        assertThat(Base64.getDecoder().decode(parts[2])).hasSize(16);
        assertThat(Base64.getDecoder().decode(parts[3])).hasSize(32);
    }

    @Test
    void rightPasswordVerifies() {
        assertThat(HASHER.verify("correct horse battery staple".toCharArray(), stored)).isTrue();
    }

    @Test
    void wrongPasswordDoesNotVerify() {
        assertThat(HASHER.verify("correct horse battery stapler".toCharArray(), stored)).isFalse();
    }

    @Test
    void saltMakesEveryHashDifferent() {
        String again = HASHER.hash("correct horse battery staple".toCharArray());
        assertThat(again).isNotEqualTo(stored);
        assertThat(again.split("\\$")[2]).isNotEqualTo(stored.split("\\$")[2]);
    }

    @Test
    void iterationCountIsReadFromTheStoredHash() throws Exception {
        byte[] salt = "0123456789abcdef".getBytes();
        byte[] dk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec("pw".toCharArray(), salt, 1000, 256)).getEncoded();
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        String old = "pbkdf2-sha256$1000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(dk);
        assertThat(HASHER.verify("pw".toCharArray(), old)).isTrue();
        assertThat(HASHER.verify("pW".toCharArray(), old)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "$",
        "$$$",
        "plaintext-password",
        "pbkdf2-sha256",
        "pbkdf2-sha256$600000",
        "pbkdf2-sha256$600000$MDEyMzQ1Njc4OWFiY2RlZg",
        "pbkdf2-sha256$600000$MDEyMzQ1Njc4OWFiY2RlZg$",
        "pbkdf2-sha256$600000$$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$600000$MDEyMzQ1Njc4OWFiY2RlZg$AAAA$extra",
        "pbkdf2-sha1$1$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "PBKDF2-SHA256$1$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$lots$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$0$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$-5$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$99999999999$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$10000001$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$1$not*base64$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "pbkdf2-sha256$1$MDEyMzQ1Njc4OWFiY2RlZg$not*base64",
        "pbkdf2-sha256$1$MDEyMzQ1Njc4OWFiY2RlZg$AAAA",
        "pbkdf2-sha256$1$MDEyMzQ1Njc4OWFiY2RlZg$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    })
    void malformedOrForeignStoredHashNeverMatches(String malformed) {
        assertThat(HASHER.verify("".toCharArray(), malformed)).isFalse();
        assertThat(HASHER.verify("password".toCharArray(), malformed)).isFalse();
    }

    @Test
    void emptyPasswordDoesNotVerify() {
        assertThat(HASHER.verify("".toCharArray(), stored)).isFalse();
    }
}
