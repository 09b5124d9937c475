package dev.faxlan.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.faxlan.engine.fax.FaxResult;
import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.DecodeResult;
import dev.faxlan.lines.ReceivedFax;
import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Fields;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.cbor.Cbor;
import dev.faxlan.sdk.AlertSubscription;
import dev.faxlan.sdk.FaxlanClient;
import dev.faxlan.sdk.Route;
import dev.faxlan.sdk.SubmitRequest;
import dev.faxlan.sdk.transport.CpiConnection;
import dev.faxlan.sdk.transport.PinningTrustManager;
import dev.faxlan.server.FaxlanServer;
import dev.faxlan.server.ServerConfig;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CBOR bytes of every operation's request as the SDK sends it and of every operation's response as
 * the server sends it, pinned as hex. A change of these literals is a change of the wire protocol.
 *
 * <p>Each line is the operation and the CBOR of the message body (the frame around it is
 * {@link CpiCodec}'s, the same for all). Values that differ from run to run (times, random ids, tokens,
 * the version) are replaced by fixed ones of the same type before encoding; names, order, types and
 * presence of the fields are exactly as sent.
 */
class CpiWireBytesIT {
    static final String ADMIN_PW = "wire-admin-pw-1";
    static final long TIME = 1_700_000_000_000L;
    @TempDir
    Path dir;

    // ---------------------------------------------------------------- requests, as the SDK encodes them

    static final String REQUESTS = """
            info a0
            info a0
            login a2647573657265616c6963656870617373776f72646b706173732d776f72642d31
            upload.begin a36473697a650b66736861323536784030393466643939613130333063373661323330333364306332643761373733663833303833383530623862353639653335656263323265656439313163356664646e616d6566612e74657874
            upload.data a26675706c6f6164627531666f666673657400
            upload.status a16675706c6f6164627531
            upload.data a26675706c6f6164627531666f666673657400
            submit a862746f826b2b312035353520303130306a4d7920436f6d70616e7969646f63756d656e747381784030393466643939613130333063373661323330333364306332643761373733663833303833383530623862353639653335656263323265656439313163356664677375626a656374656f6666657265636f76657267636c61737369636a7265736f6c7574696f6e69737570657266696e656261741b000003b3d512ac00687072696f7269747908666669656c6473a267636f6d6d656e7465686f77647966757267656e7463796573
            upload.begin a36473697a650b66736861323536784030393466643939613130333063373661323330333364306332643761373733663833303833383530623862353639653335656263323265656439313163356664646e616d6566612e74657874
            submit a262746f816b2b3120353535203031303169646f63756d656e747381784030393466643939613130333063373661323330333364306332643761373733663833303833383530623862353639653335656263323265656439313163356664
            job.list a163616c6cf5
            job.list a163616c6cf4
            job.get a1636a6f6207
            job.cancel a1636a6f6207
            user.add a3647573657263626f626870617373776f72646d626f622d706173732d776f726464726f6c656475736572
            user.list a0
            user.passwd a2647573657263626f626870617373776f72646d6e65772d706173732d776f7264
            user.passwd a26763757272656e746b706173732d776f72642d316870617373776f72646d6e65772d706173732d776f7264
            user.remove a1647573657263626f62
            inbox.list a2676d61696c626f786573616c657366756e72656164f5
            inbox.list a0
            inbox.get a16366617803
            inbox.mark a263666178036472656164f5
            inbox.mark a263666178036472656164f4
            inbox.delete a16366617803
            inbox.get a16366617803
            inbox.fetch a26366617803666f666673657400
            route.list a0
            route.add a863646964633130306a737562616464726573736137646373696465435349442a6663616c6c6572662b343933302a646c696e65667472756e6b31676d61696c626f786573616c657367666f72776172646b2b3120353535203031393968706f736974696f6e02
            route.add a1676d61696c626f786573616c6573
            route.remove a165726f75746504
            route.test a563646964633130306a737562616464726573736137646373696464435349446663616c6c6572682b34393330313131646c696e65667472756e6b31
            route.test a0
            mailbox.list a0
            mailbox.add a1676d61696c626f786573616c6573
            mailbox.member.add a2676d61696c626f786573616c6573647573657263626f62
            mailbox.member.remove a2676d61696c626f786573616c6573647573657263626f62
            mailbox.remove a1676d61696c626f786573616c6573
            cover.list a0
            cover.get a1646e616d65646d656d6f
            cover.put a3646e616d65646d656d6f66736f75726365667b7b746f7d7d66736861726564f5
            cover.put a3646e616d65646d656d6f66736f75726365667b7b746f7d7d66736861726564f4
            phonebook.list a0
            phonebook.add a4646e616d656a41636d65204c6567616c636661786b2b3120353535203031323366736861726564f567636f6d70616e796441636d65
            phonebook.add a3646e616d6563426f62636661786b2b3120353535203031323466736861726564f4
            phonebook.remove a167636f6e7461637405
            logout a0
            alert.subscribe a26a73756273637269626572646465736b6466726f6d05
            alert.subscribe a16a73756273637269626572646465736b
            """;

    @Test
    void requestsAsTheSdkEncodesThem() throws Exception {
        byte[] tiff = "II*\0 a received fax".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        String tiffSha = sha256(tiff);
        AtomicInteger uploadBegins = new AtomicInteger();
        AtomicInteger uploadData = new AtomicInteger();
        Path doc = dir.resolve("a.text");
        Files.writeString(doc, "hello fax\n\n");
        try (WireFakeServer fake = new WireFakeServer(dir.resolve("keys"), r -> cannedAnswer(r, uploadBegins, uploadData, tiff, tiffSha), tiff)) {
            List<WireFakeServer.Received> main;
            List<Fields> subscribes = new ArrayList<>();
            try (FaxlanClient c = FaxlanClient.builder().server(fake.address()).user("alice").password("pass-word-1".toCharArray())
                    .timeout(Duration.ofSeconds(20)).build()) {
                c.info();
                c.login();
                c.submit(new SubmitRequest(List.of("+1 555 0100", "My Company"), List.of(doc), "offer", "classic", "superfine",
                        Instant.parse("2099-01-01T00:00:00Z"), 8, orderedFields()));
                c.submit(SubmitRequest.of("+1 555 0101", doc));
                c.jobs(true);
                c.jobs(false);
                c.job(7);
                c.cancel(7);
                c.addUser("bob", "bob-pass-word".toCharArray(), "user");
                c.users();
                c.passwd("bob", "new-pass-word".toCharArray());
                c.passwd(null, "pass-word-1".toCharArray(), "new-pass-word".toCharArray());
                c.removeUser("bob");
                c.inbox("sales", true);
                c.inbox(null, false);
                c.receivedFax(3);
                c.markRead(3, true);
                c.markRead(3, false);
                c.deleteFax(3);
                c.fetch(3, dir.resolve("fax.tif"), p -> {});
                c.routes();
                c.addRoute(new Route.Match("100", "7", "CSID*", "+4930*", "trunk1"), "sales", 2, "+1 555 0199");
                c.addRoute(new Route.Match(null, null, null, null, null), "sales", 0);
                c.removeRoute(4);
                c.testRoute(new Route.Match("100", "7", "CSID", "+4930111", "trunk1"));
                c.testRoute(new Route.Match(null, null, null, null, null));
                c.mailboxes();
                c.addMailbox("sales");
                c.setMailboxMember("sales", "bob", true);
                c.setMailboxMember("sales", "bob", false);
                c.removeMailbox("sales");
                c.covers();
                c.coverSource("memo");
                c.putCover("memo", "{{to}}", true);
                c.putCover("memo", "{{to}}", false);
                c.contacts();
                c.addContact("Acme Legal", "Acme", "+1 555 0123", true);
                c.addContact("Bob", null, "+1 555 0124", false);
                c.removeContact(5);
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !fake.bodies(Op.LOGOUT).isEmpty());
            main = List.copyOf(fake.received);
            try (FaxlanClient c = FaxlanClient.builder().server(fake.address()).user("alice").password("pass-word-1".toCharArray())
                    .timeout(Duration.ofSeconds(20)).build()) {
                // A subscription's first request, then another's without a cursor of its own.
                AlertSubscription from5 = c.subscribe("desk", 5L, a -> {});
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fake.bodies(Op.ALERT_SUBSCRIBE).size() >= 1);
                from5.close();
                subscribes.add(fake.bodies(Op.ALERT_SUBSCRIBE).get(0));
            }
            try (FaxlanClient c = FaxlanClient.builder().server(fake.address()).user("alice").password("pass-word-1".toCharArray())
                    .timeout(Duration.ofSeconds(20)).build()) {
                int before = fake.bodies(Op.ALERT_SUBSCRIBE).size();
                c.subscribe("desk", null, a -> {});
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fake.bodies(Op.ALERT_SUBSCRIBE).size() > before);
                subscribes.add(fake.bodies(Op.ALERT_SUBSCRIBE).get(before));
            }
            StringBuilder lines = new StringBuilder();
            for (WireFakeServer.Received r : main) lines.append(r.op().wire()).append(' ').append(hex(r.body())).append('\n');
            for (Fields b : subscribes) lines.append(Op.ALERT_SUBSCRIBE.wire()).append(' ').append(hex(b)).append('\n');
            assertThat(lines.toString()).isEqualTo(REQUESTS);
        }
    }

    private static Map<String, String> orderedFields() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("comment", "howdy");
        m.put("urgent", "yes");
        return m;
    }

    /** Enough of each answer for the SDK to go on to its next request. */
    private static Message cannedAnswer(Message.Request r, AtomicInteger uploadBegins, AtomicInteger uploadData, byte[] tiff, String tiffSha) {
        Map<String, Object> b = new LinkedHashMap<>();
        switch (r.op()) {
            case INFO -> {
                b.put("name", "fake");
                b.put("version", "v");
                b.put("protocol", 1L);
                b.put("time", TIME);
                b.put("fp", new byte[32]);
            }
            case LOGIN -> {
                b.put("session", new byte[32]);
                b.put("user", "alice");
                b.put("role", "admin");
                b.put("expires", TIME);
            }
            case UPLOAD_BEGIN -> {
                boolean first = uploadBegins.getAndIncrement() == 0;
                b.put("upload", "u1");
                b.put("offset", first ? 0L : 11L);
                b.put("size", 11L);
                b.put("complete", !first);
            }
            case UPLOAD_DATA -> {
                // The first attempt is told its offset is wrong, so the SDK asks for the upload's status.
                if (uploadData.getAndIncrement() == 0) return WireFakeServer.error(r, ErrorCode.UPLOAD_OFFSET_MISMATCH);
                b.put("upload", "u1");
                b.put("offset", 11L);
                b.put("size", 11L);
                b.put("complete", true);
            }
            case UPLOAD_STATUS -> {
                b.put("upload", "u1");
                b.put("offset", 0L);
                b.put("size", 11L);
                b.put("complete", false);
            }
            case SUBMIT -> {
                b.put("submission", "s1");
                b.put("jobs", List.of(job()));
            }
            case JOB_LIST -> b.put("jobs", List.of(job()));
            case JOB_GET, JOB_CANCEL -> b.put("job", job());
            case INBOX_LIST -> b.put("faxes", List.of(fax(tiff, tiffSha)));
            case INBOX_GET, INBOX_MARK -> b.put("fax", fax(tiff, tiffSha));
            case INBOX_FETCH -> {
                b.put("fax", 3L);
                b.put("offset", 0L);
                b.put("size", (long) tiff.length);
                b.put("sha256", tiffSha);
            }
            case ROUTE_LIST -> b.put("routes", List.of(route()));
            case ROUTE_ADD -> b.put("route", route());
            case ROUTE_TEST -> b.put("mailbox", "sales");
            case USER_LIST -> b.put("users", List.of(Map.of("name", "bob", "role", "user", "created", TIME)));
            case MAILBOX_LIST -> b.put("mailboxes", List.of(Map.of("name", "sales", "kind", "shared", "members", List.of("bob"))));
            case COVER_LIST -> b.put("covers", List.of(Map.of("name", "classic", "kind", "built-in")));
            case COVER_GET -> {
                b.put("name", "memo");
                b.put("source", "{{to}}");
            }
            case PHONEBOOK_LIST -> b.put("contacts", List.of(contact()));
            case PHONEBOOK_ADD -> b.put("contact", contact());
            case ALERT_SUBSCRIBE -> {
                b.put("from", 5L);
                b.put("last", 5L);
            }
            default -> {
                // the SDK reads nothing of the other answers
            }
        }
        return WireFakeServer.ok(r, b);
    }

    private static Map<String, Object> job() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("id", 7L);
        j.put("to", "+15550100");
        j.put("state", "queued");
        return j;
    }

    private static Map<String, Object> fax(byte[] tiff, String sha) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", 3L);
        f.put("size", (long) tiff.length);
        f.put("sha256", sha);
        return f;
    }

    private static Map<String, Object> route() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", 4L);
        r.put("mailbox", "sales");
        return r;
    }

    private static Map<String, Object> contact() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", 5L);
        c.put("name", "Bob");
        c.put("fax", "+15550124");
        return c;
    }

    // ---------------------------------------------------------------- responses, as the server encodes them

    static final String RESPONSES = """
            info a6646e616d6567776972652d69746776657273696f6e61786870726f746f636f6c016474696d651b0000018bcfe5680062667058200000000000000000000000000000000000000000000000000000000000000000656e6f64657381a4646e616d65756e6f64652d3030303030303030303030303030303064686f7374693132372e302e302e3164706f72740062667058200000000000000000000000000000000000000000000000000000000000000000
            login a46773657373696f6e5820000000000000000000000000000000000000000000000000000000000000000064757365726561646d696e64726f6c656561646d696e67657870697265731b0000018bcfe56800
            upload.begin a46675706c6f61647818303030303030303030303030303030303030303030303030666f6666736574006473697a65182168636f6d706c657465f4
            upload.data a46675706c6f61647818303030303030303030303030303030303030303030303030666f6666736574106473697a65182168636f6d706c657465f4
            upload.status a56675706c6f61647818303030303030303030303030303030303030303030303030666f6666736574106473697a65182168636f6d706c657465f466736861323536784038333265663865646132633836623035643061306131663662353730383335633131643664613939373635363432373233383132376535363964383839616565
            upload.data a56675706c6f61647818303030303030303030303030303030303030303030303030666f666673657418216473697a65182168636f6d706c657465f566736861323536784038333265663865646132633836623035643061306131663662353730383335633131643664613939373635363432373233383132376535363964383839616565
            upload.status a56675706c6f61647818303030303030303030303030303030303030303030303030666f666673657418216473697a65182168636f6d706c657465f566736861323536784038333265663865646132633836623035643061306131663662353730383335633131643664613939373635363432373233383132376535363964383839616565
            upload.begin a46675706c6f61647818303030303030303030303030303030303030303030303030666f666673657418216473697a65182168636f6d706c657465f5
            submit a26a7375626d697373696f6e7818303030303030303030303030303030303030303030303030646a6f627381b162696401656f776e65726561646d696e6a7375626d697373696f6e781830303030303030303030303030303030303030303030303062746f692b313535353031303065737461746566717565756564677375626a656374656f6666657265636f76657267636c61737369636a7265736f6c7574696f6e69737570657266696e656261741b000003b3d512ac0067637265617465641b0000018bcfe5680067757064617465641b0000018bcfe5680066726561736f6e617869646f63756d656e747381784038333265663865646132633836623035643061306131663662353730383335633131643664613939373635363432373233383132376535363964383839616565656e616d6573816a6c65747465722e747874687072696f726974790868617474656d70747300666669656c6473a167636f6d6d656e7465686f776479
            submit a26a7375626d697373696f6e7818303030303030303030303030303030303030303030303030646a6f627381af62696402656f776e65726561646d696e6a7375626d697373696f6e781830303030303030303030303030303030303030303030303062746f692b3135353530313031657374617465667175657565646a7265736f6c7574696f6e6466696e656261741b000003b3d512ac0067637265617465641b0000018bcfe5680067757064617465641b0000018bcfe5680066726561736f6e617869646f63756d656e747381784038333265663865646132633836623035643061306131663662353730383335633131643664613939373635363432373233383132376535363964383839616565656e616d6573816a6c65747465722e747874687072696f726974790568617474656d70747300666669656c6473a0
            job.list a1646a6f627382af62696402656f776e65726561646d696e6a7375626d697373696f6e781830303030303030303030303030303030303030303030303062746f692b3135353530313031657374617465667175657565646a7265736f6c7574696f6e6466696e656261741b000003b3d512ac0067637265617465641b0000018bcfe5680067757064617465641b0000018bcfe5680066726561736f6e617869646f63756d656e747381784038333265663865646132633836623035643061306131663662353730383335633131643664613939373635363432373233383132376535363964383839616565656e616d6573816a6c65747465722e747874687072696f726974790568617474656d70747300666669656c6473a0b162696401656f776e65726561646d696e6a7375626d697373696f6e781830303030303030303030303030303030303030303030303062746f692b313535353031303065737461746566717565756564677375626a656374656f6666657265636f76657267636c61737369636a7265736f6c7574696f6e69737570657266696e656261741b000003b3d512ac0067637265617465641b0000018bcfe5680067757064617465641b0000018bcfe5680066726561736f6e617869646f63756d656e747381784038333265663865646132633836623035643061306131663662353730383335633131643664613939373635363432373233383132376535363964383839616565656e616d6573816a6c65747465722e747874687072696f726974790868617474656d70747300666669656c6473a167636f6d6d656e7465686f776479
            job.get a1636a6f62b262696401656f776e65726561646d696e6a7375626d697373696f6e781830303030303030303030303030303030303030303030303062746f692b313535353031303065737461746566717565756564677375626a656374656f6666657265636f76657267636c61737369636a7265736f6c7574696f6e69737570657266696e656261741b000003b3d512ac0067637265617465641b0000018bcfe5680067757064617465641b0000018bcfe5680066726561736f6e617869646f63756d656e747381784038333265663865646132633836623035643061306131663662353730383335633131643664613939373635363432373233383132376535363964383839616565656e616d6573816a6c65747465722e747874687072696f726974790868617474656d70747300666669656c6473a167636f6d6d656e7465686f7764796563616c6c7380
            job.cancel a1636a6f62af62696402656f776e65726561646d696e6a7375626d697373696f6e781830303030303030303030303030303030303030303030303062746f692b31353535303130316573746174656963616e63656c6c65646a7265736f6c7574696f6e6466696e656261741b000003b3d512ac0067637265617465641b0000018bcfe5680067757064617465641b0000018bcfe5680066726561736f6e617869646f63756d656e747381784038333265663865646132633836623035643061306131663662353730383335633131643664613939373635363432373233383132376535363964383839616565656e616d6573816a6c65747465722e747874687072696f726974790568617474656d70747300666669656c6473a0
            user.add a2647573657263626f6264726f6c656475736572
            user.list a165757365727382a3646e616d656561646d696e64726f6c656561646d696e67637265617465641b0000018bcfe56800a3646e616d6563626f6264726f6c65647573657267637265617465641b0000018bcfe56800
            user.passwd a1647573657263626f62
            alert.subscribe a26466726f6d03646c61737403
            alert.subscribe a26466726f6d01646c61737403
            mailbox.add a1676d61696c626f786573616c6573
            mailbox.member.add a2676d61696c626f786573616c6573647573657263626f62
            mailbox.list a1696d61696c626f78657384a3646e616d656b556e616464726573736564646b696e6466736861726564676d656d6265727380a3646e616d656561646d696e646b696e6468706572736f6e616c676d656d62657273816561646d696ea3646e616d6563626f62646b696e6468706572736f6e616c676d656d626572738163626f62a3646e616d656573616c6573646b696e6466736861726564676d656d626572738163626f62
            mailbox.member.remove a2676d61696c626f786573616c6573647573657263626f62
            route.add a165726f757465aa6269640168706f736974696f6e0163646964633130306a737562616464726573736137646373696465435349442a6663616c6c6572662b343933302a646c696e65667472756e6b31676d61696c626f786573616c657367666f7277617264692b313535353031393967637265617465641b0000018bcfe56800
            route.add a165726f757465a56269640268706f736974696f6e026364696463323030676d61696c626f786561646d696e67637265617465641b0000018bcfe56800
            route.list a166726f7574657382aa6269640168706f736974696f6e0163646964633130306a737562616464726573736137646373696465435349442a6663616c6c6572662b343933302a646c696e65667472756e6b31676d61696c626f786573616c657367666f7277617264692b313535353031393967637265617465641b0000018bcfe56800a56269640268706f736974696f6e026364696463323030676d61696c626f786561646d696e67637265617465641b0000018bcfe56800
            route.test a2676d61696c626f786561646d696e65726f757465a56269640268706f736974696f6e026364696463323030676d61696c626f786561646d696e67637265617465641b0000018bcfe56800
            route.test a1676d61696c626f786b556e616464726573736564
            inbox.list a165666178657381b0626964016872656365697665641b0000018bcfe56800646c696e65667472756e6b316663616c6c65726b2b34393330313131313131636469646332303064637369646653454e4445526a73756261646472657373606673656e6465726065706167657301696261645f6c696e657300686475726174696f6e19271066726573756c74624f4b6473697a6519013466736861323536784033396135386432363439633866316330636666666331633236346261346333626166656634653932306362323966343339616233613866663531343637666232676d61696c626f786561646d696e6472656164f4
            inbox.list a165666178657381b0626964016872656365697665641b0000018bcfe56800646c696e65667472756e6b316663616c6c65726b2b34393330313131313131636469646332303064637369646653454e4445526a73756261646472657373606673656e6465726065706167657301696261645f6c696e657300686475726174696f6e19271066726573756c74624f4b6473697a6519013466736861323536784033396135386432363439633866316330636666666331633236346261346333626166656634653932306362323966343339616233613866663531343637666232676d61696c626f786561646d696e6472656164f4
            inbox.get a163666178b0626964016872656365697665641b0000018bcfe56800646c696e65667472756e6b316663616c6c65726b2b34393330313131313131636469646332303064637369646653454e4445526a73756261646472657373606673656e6465726065706167657301696261645f6c696e657300686475726174696f6e19271066726573756c74624f4b6473697a6519013466736861323536784033396135386432363439633866316330636666666331633236346261346333626166656634653932306362323966343339616233613866663531343637666232676d61696c626f786561646d696e6472656164f4
            inbox.fetch a46366617801666f6666736574006473697a6519013466736861323536784033396135386432363439633866316330636666666331633236346261346333626166656634653932306362323966343339616233613866663531343637666232
            inbox.mark a163666178b0626964016872656365697665641b0000018bcfe56800646c696e65667472756e6b316663616c6c65726b2b34393330313131313131636469646332303064637369646653454e4445526a73756261646472657373606673656e6465726065706167657301696261645f6c696e657300686475726174696f6e19271066726573756c74624f4b6473697a6519013466736861323536784033396135386432363439633866316330636666666331633236346261346333626166656634653932306362323966343339616233613866663531343637666232676d61696c626f786561646d696e6472656164f5
            inbox.delete a16366617801
            route.remove a165726f75746501
            route.remove a165726f75746502
            mailbox.remove a1676d61696c626f786573616c6573
            phonebook.add a167636f6e74616374a562696401646e616d656a41636d65204c6567616c67636f6d70616e796441636d6563666178692b313535353031323366736861726564f5
            phonebook.add a167636f6e74616374a462696402646e616d6563426f6263666178692b313535353031323466736861726564f4
            phonebook.list a168636f6e746163747382a562696401646e616d656a41636d65204c6567616c67636f6d70616e796441636d6563666178692b313535353031323366736861726564f5a462696402646e616d6563426f6263666178692b313535353031323466736861726564f4
            phonebook.remove a167636f6e7461637402
            cover.put a2646e616d65646d656d6f646b696e64636f776e
            cover.put a2646e616d65656d656d6f32646b696e6466736861726564
            cover.list a166636f7665727384a2646e616d6567636c6173736963646b696e64686275696c742d696ea2646e616d65666d6f6465726e646b696e64686275696c742d696ea3646e616d65646d656d6f646b696e64636f776e67757064617465641b0000018bcfe56800a3646e616d65656d656d6f32646b696e646673686172656467757064617465641b0000018bcfe56800
            cover.get a2646e616d65646d656d6f66736f7572636578197465787420783d3020793d302022546f3a20247b746f7d220a
            user.remove a1647573657263626f62
            logout a0
            """;

    @Test
    void responsesAsTheServerEncodesThem() throws Exception {
        StringBuilder lines = new StringBuilder();
        try (FaxlanServer server = FaxlanServer.start(ServerConfig.defaults().withDataDir(dir.resolve("data"))
                .withBind(new InetSocketAddress("127.0.0.1", 0)).withName("wire-it").withAdminPassword(ADMIN_PW).withLines(TestTrunk.lines()));
                FaxlanClient admin = FaxlanClient.builder().server(server.address()).user("admin").password(ADMIN_PW.toCharArray())
                        .timeout(Duration.ofSeconds(20)).build()) {
            Line line = (op, body) -> lines.append(op.wire()).append(' ').append(hex(masked(admin.call(op, body)))).append('\n');
            line.add(Op.INFO, Fields.EMPTY);
            Fields login = admin.call(Op.LOGIN, Fields.builder().put("user", "admin").put("password", ADMIN_PW).build());
            lines.append("login ").append(hex(masked(login))).append('\n');
            byte[] session = login.bytes("session");

            Path doc = dir.resolve("letter.txt");
            Files.writeString(doc, "Dear Sir,\nplease find our offer.\n");
            long size = Files.size(doc);
            String sha = FaxlanClient.sha256(doc);
            Fields begun = admin.call(Op.UPLOAD_BEGIN, Fields.builder().put("size", size).put("sha256", sha).put("name", "letter.txt").build());
            lines.append("upload.begin ").append(hex(masked(begun))).append('\n');
            String upload = begun.string("upload");
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try {
                CpiConnection conn = CpiConnection.connect(group, false, server.address(), new PinningTrustManager(null), e -> {}, 10_000);
                try (FileChannel ch = FileChannel.open(doc, StandardOpenOption.READ)) {
                    // Half the bytes: the answer tells where to resume; then the rest completes the upload.
                    Message half = conn.upload(request(Op.UPLOAD_DATA, session, Fields.builder().put("upload", upload).put("offset", 0L).build()),
                            ch, 0, size / 2, p -> {}).get(20, TimeUnit.SECONDS);
                    lines.append("upload.data ").append(hex(masked(((Message.Ok) half).body()))).append('\n');
                    line.add(Op.UPLOAD_STATUS, Fields.builder().put("upload", upload).build());
                    Message rest = conn.upload(request(Op.UPLOAD_DATA, session, Fields.builder().put("upload", upload).put("offset", size / 2).build()),
                            ch, size / 2, size, p -> {}).get(20, TimeUnit.SECONDS);
                    lines.append("upload.data ").append(hex(masked(((Message.Ok) rest).body()))).append('\n');
                }
                line.add(Op.UPLOAD_STATUS, Fields.builder().put("upload", upload).build());
                line.add(Op.UPLOAD_BEGIN, Fields.builder().put("size", size).put("sha256", sha).build());

                Map<String, Object> coverFields = new LinkedHashMap<>();
                coverFields.put("comment", "howdy");
                line.add(Op.SUBMIT, Fields.builder().put("to", List.of("+1 555 0100")).put("documents", List.of(sha)).put("subject", "offer")
                        .put("cover", "classic").put("resolution", "superfine").put("at", Instant.parse(TestTrunk.LATER).toEpochMilli())
                        .put("priority", 8L).put("fields", coverFields).build());
                line.add(Op.SUBMIT, Fields.builder().put("to", List.of("+1 555 0101")).put("documents", List.of(sha))
                        .put("at", Instant.parse(TestTrunk.LATER).toEpochMilli()).build());
                line.add(Op.JOB_LIST, Fields.builder().put("all", true).build());
                line.add(Op.JOB_GET, Fields.builder().put("job", 1L).build());
                line.add(Op.JOB_CANCEL, Fields.builder().put("job", 2L).build());

                line.add(Op.USER_ADD, Fields.builder().put("user", "bob").put("password", "bob-pass-word").put("role", "user").build());
                line.add(Op.USER_LIST, Fields.EMPTY);
                line.add(Op.USER_PASSWD, Fields.builder().put("user", "bob").put("password", "new-pass-word").build());

                line.add(Op.ALERT_SUBSCRIBE, Fields.builder().put("subscriber", "desk").build());
                line.add(Op.ALERT_SUBSCRIBE, Fields.builder().put("subscriber", "desk").put("from", 1L).build());

                line.add(Op.MAILBOX_ADD, Fields.builder().put("mailbox", "sales").build());
                line.add(Op.MAILBOX_MEMBER_ADD, Fields.builder().put("mailbox", "sales").put("user", "bob").build());
                line.add(Op.MAILBOX_LIST, Fields.EMPTY);
                line.add(Op.MAILBOX_MEMBER_REMOVE, Fields.builder().put("mailbox", "sales").put("user", "bob").build());

                line.add(Op.ROUTE_ADD, Fields.builder().put("did", "100").put("subaddress", "7").put("csid", "CSID*").put("caller", "+4930*")
                        .put("line", "trunk1").put("mailbox", "sales").put("forward", "+1 555 0199").put("position", 1L).build());
                line.add(Op.ROUTE_ADD, Fields.builder().put("did", "200").put("mailbox", "admin").build());
                line.add(Op.ROUTE_LIST, Fields.EMPTY);
                line.add(Op.ROUTE_TEST, Fields.builder().put("did", "200").build());
                line.add(Op.ROUTE_TEST, Fields.builder().put("did", "999").build());

                long faxId = server.inbound().store(new ReceivedFax("trunk1", "+4930111111", "200", "SENDER", "", "",
                        List.of(new DecodeResult(page(), 0, 0)), TIME, 10_000, FaxResult.OK)).id();
                line.add(Op.INBOX_LIST, Fields.EMPTY);
                line.add(Op.INBOX_LIST, Fields.builder().put("mailbox", "admin").put("unread", true).put("limit", 10L).build());
                line.add(Op.INBOX_GET, Fields.builder().put("fax", faxId).build());
                Path out = dir.resolve("fax.tif");
                try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
                    Message fetched = conn.fetch(request(Op.INBOX_FETCH, session, Fields.builder().put("fax", faxId).put("offset", 0L).build()), ch,
                            p -> {}).get(20, TimeUnit.SECONDS);
                    lines.append("inbox.fetch ").append(hex(masked(((Message.Ok) fetched).body()))).append('\n');
                }
                conn.close();
                line.add(Op.INBOX_MARK, Fields.builder().put("fax", faxId).put("read", true).build());
                line.add(Op.INBOX_DELETE, Fields.builder().put("fax", faxId).build());

                line.add(Op.ROUTE_REMOVE, Fields.builder().put("route", 1L).build());
                line.add(Op.ROUTE_REMOVE, Fields.builder().put("route", 2L).build());
                line.add(Op.MAILBOX_REMOVE, Fields.builder().put("mailbox", "sales").build());

                line.add(Op.PHONEBOOK_ADD, Fields.builder().put("name", "Acme Legal").put("fax", "+1 555 0123").put("shared", true).put("company", "Acme")
                        .build());
                line.add(Op.PHONEBOOK_ADD, Fields.builder().put("name", "Bob").put("fax", "+1 555 0124").put("shared", false).build());
                line.add(Op.PHONEBOOK_LIST, Fields.EMPTY);
                line.add(Op.PHONEBOOK_REMOVE, Fields.builder().put("contact", 2L).build());

                line.add(Op.COVER_PUT, Fields.builder().put("name", "memo").put("source", "text x=0 y=0 \"To: ${to}\"\n").put("shared", false).build());
                line.add(Op.COVER_PUT, Fields.builder().put("name", "memo2").put("source", "text x=0 y=0 \"To: ${to}\"\n").put("shared", true).build());
                line.add(Op.COVER_LIST, Fields.EMPTY);
                line.add(Op.COVER_GET, Fields.builder().put("name", "memo").build());

                line.add(Op.USER_REMOVE, Fields.builder().put("user", "bob").build());
                line.add(Op.LOGOUT, Fields.EMPTY);
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
        assertThat(lines.toString()).isEqualTo(RESPONSES);
    }

    @FunctionalInterface
    private interface Line {
        void add(Op op, Fields body) throws Exception;
    }

    private static final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong(1000);

    private static Message.Request request(Op op, byte[] session, Fields body) {
        return new Message.Request(ids.incrementAndGet(), op, session, null, body);
    }

    private static BilevelPage page() {
        BilevelPage p = new BilevelPage(1728, 300, 204, 196);
        for (int y = 40; y < 70; y++) for (int x = 100; x < 1400; x++) p.setPixel(x, y, true);
        return p;
    }

    /** Values that differ between runs, replaced by fixed ones of the same type; everything else as sent. */
    private static Fields masked(Fields body) {
        return new Fields(mask(body.asMap()));
    }

    private static Map<String, Object> mask(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Object v = e.getValue();
            out.put(e.getKey(), switch (e.getKey()) {
                case "time", "expires", "created", "updated", "received" -> TIME;
                case "session", "fp" -> new byte[32];
                case "version", "reason" -> "x";
                case "upload", "submission" -> v instanceof String ? "0".repeat(24) : v;
                // info's live nodes: a node's name comes from its key and its port is the system's choice.
                case "nodes" -> v instanceof List<?> l ? l.stream().map(n -> maskNode(n)).toList() : v;
                default -> maskValue(v);
            });
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object maskNode(Object node) {
        if (!(node instanceof Map<?, ?> m)) return node;
        Map<String, Object> out = mask((Map<String, Object>) m);
        out.replace("name", "node-" + "0".repeat(16));
        out.replace("port", 0L);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object maskValue(Object v) {
        if (v instanceof Map<?, ?> m) return mask((Map<String, Object>) m);
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(maskValue(o));
            return out;
        }
        return v;
    }

    private static String hex(Fields body) {
        return HexFormat.of().formatHex(Cbor.encode(body.asMap()));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }
}
