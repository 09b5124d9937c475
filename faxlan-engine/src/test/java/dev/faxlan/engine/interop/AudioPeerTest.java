package dev.faxlan.engine.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.interop.AudioPeer.Law;
import dev.faxlan.engine.interop.AudioPeer.Options;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The audio harness's plumbing, without running the peer. */
class AudioPeerTest {

    @Test
    void optionsBecomeThePeersArguments() {
        Options o = Options.send(Path.of("in.tif")).withLaw(Law.ULAW).withEcm(false).withCompressions("mh,mr")
                .withResolutions("fine").withModems("v29").withIdent("A B").withCalling(false).withLevel(-30)
                .withNoise(30, 7).withDrift(-100).withCallLimit(Duration.ofMillis(1500)).withLog(true);

        assertThat(o.toArgs(4000)).containsExactly("--send", "in.tif", "--connect", "4000", "--law", "ulaw",
                "--ecm", "0", "--timeout", "1.5", "--compressions", "mh,mr", "--resolutions", "fine", "--modems", "v29",
                "--ident", "A B", "--calling", "0", "--level", "-30", "--snr", "30", "--seed", "7", "--drift", "-100",
                "--log");
    }

    @Test
    void defaultsLeaveTheLineClean() {
        Options o = Options.receive(Path.of("out.tif"));

        assertThat(o.toArgs(1)).containsExactly("--receive", "out.tif", "--connect", "1", "--law", "alaw", "--ecm", "1",
                "--timeout", "300");
    }
}
