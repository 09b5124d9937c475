package dev.faxlan.lines.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Refusals are logged once per source per interval, with the count of those that were not, and a bounded number in all. */
class RefusalLogTest {

    @Test
    void oneLinePerSourcePerInterval() throws Exception {
        RefusalLog log = new RefusalLog(60_000, 100, 100);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        assertThat(log.refused(a, 0)).as("first from a: logged").isEqualTo(new RefusalLog.Report(0, 0));
        for (int i = 1; i <= 999; i++) assertThat(log.refused(a, i)).as("a flood from a: not logged").isNull();
        assertThat(log.refused(b, 1000)).as("another source is logged on its own").isEqualTo(new RefusalLog.Report(0, 0));
        assertThat(log.refused(a, 59_999)).isNull();
        assertThat(log.refused(a, 60_000)).as("a minute later: logged, with what was not").isEqualTo(new RefusalLog.Report(1000, 0));
        assertThat(log.refused(a, 60_001)).isNull();
        assertThat(log.total()).isEqualTo(1004);
    }

    @Test
    void aFloodFromManyAddressesCostsABoundedNumberOfLines() throws Exception {
        RefusalLog log = new RefusalLog(60_000, 64, 20);
        int logged = 0;
        for (int i = 0; i < 10_000; i++) {
            InetAddress forged = InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
            if (log.refused(forged, i) != null) logged++;
        }
        assertThat(logged).as("lines in the first minute").isEqualTo(20);
        RefusalLog.Report next = log.refused(InetAddress.getByName("192.0.2.9"), 60_000);
        assertThat(next).as("the next minute's first line says how many went unlogged").isEqualTo(new RefusalLog.Report(0, 9_980));
        assertThat(log.total()).isEqualTo(10_001);
    }
}
