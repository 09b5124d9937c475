package dev.faxlan.server.cpi.operation;

import static dev.faxlan.server.cpi.operation.Operations.encode;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.message.SessionMessage;
import dev.faxlan.server.core.session.Authenticator;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/** {@code info}, {@code login} and {@code logout}. */
final class SessionOperations {
    private final Authenticator authenticator;
    private final Clock clock;
    private final String serverName;
    private final String version;
    private final byte[] fingerprint;
    private volatile Supplier<List<SessionMessage.Node>> clusterNodes = () -> null;

    SessionOperations(Authenticator authenticator, Clock clock, String serverName, String version, byte[] fingerprint) {
        this.authenticator = authenticator;
        this.clock = clock;
        this.serverName = serverName;
        this.version = version;
        this.fingerprint = fingerprint;
    }

    void clusterNodes(Supplier<List<SessionMessage.Node>> nodes) {
        this.clusterNodes = nodes;
    }

    void register(Operations ops) {
        ops.query(Op.INFO, call -> encode(new SessionMessage.InfoReply(serverName, version, CpiCodec.VERSION, clock.millis(), fingerprint,
                clusterNodes.get())));
        ops.query(Op.LOGIN, call -> {
            SessionMessage.Login r = call.body(SessionMessage.Login.class);
            Authenticator.Session s;
            if (r.key() != null) {
                if (r.user() != null || r.password() != null) {
                    throw new CpiException(ErrorCode.BAD_REQUEST, "log in with either key or user and password, not both");
                }
                s = authenticator.loginWithKey(r.key(), call.address());
            } else {
                if (r.user() == null) throw new CpiException(ErrorCode.BAD_REQUEST, "field \"user\" is missing");
                if (r.password() == null) throw new CpiException(ErrorCode.BAD_REQUEST, "field \"password\" is missing");
                s = authenticator.login(r.user(), r.password(), call.address());
            }
            return encode(new SessionMessage.LoginReply(s.token(), s.user(), s.role(), s.expires()));
        });
        ops.query(Op.LOGOUT, call -> {
            call.body(SessionMessage.Logout.class);
            authenticator.logout(call.request().session());
            return encode(new SessionMessage.Empty());
        });
    }
}
