package dev.faxlan.engine.fax;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** T.30 procedures as data: each script in resources/…/fax/conformance plays a far end against a session. */
class T30ConformanceTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"send-multipage.t30", "send-ftt-fallback.t30", "send-rtn-retrain.t30", "send-ecm-ppr.t30",
            "send-remote-hangup.t30", "send-t1-expiry.t30", "send-remote-not-receiver.t30", "send-incompatible-resolution.t30",
            "receive-normal.t30", "receive-hangup-mid-page.t30", "send-ecm-ctc.t30", "receive-eom-phase-b.t30",
            "receive-dcs-without-tcf.t30", "send-crp-after-dcs.t30",
            "send-crp-three-times.t30", "receive-eom-repeated.t30"})
    void script(String name) throws Exception {
        new ConformanceScript(name).run();
    }
}
