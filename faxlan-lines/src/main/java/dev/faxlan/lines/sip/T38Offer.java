package dev.faxlan.lines.sip;

import java.util.Optional;

/** An accepted T.38 media section with its parameters: a fax can start on it. */
record T38Offer(SessionSdp.Media media, T38Sdp.Params params) {
    static Optional<T38Offer> in(String sdp) {
        Optional<SessionSdp.Media> m = SessionSdp.t38(sdp);
        Optional<T38Sdp.Params> p = T38Sdp.parse(sdp);
        return m.isPresent() && p.isPresent() ? Optional.of(new T38Offer(m.get(), p.get())) : Optional.empty();
    }
}
