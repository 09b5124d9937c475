package dev.faxlan.server.cpi;

import dev.faxlan.protocol.CpiCodec;
import dev.faxlan.protocol.CpiException;
import dev.faxlan.protocol.ErrorCode;
import dev.faxlan.protocol.Message;
import dev.faxlan.protocol.Op;
import dev.faxlan.protocol.RequestFrameException;
import dev.faxlan.protocol.message.AlertMessage;
import dev.faxlan.protocol.message.MessageCodec;
import dev.faxlan.protocol.message.UploadMessage;
import dev.faxlan.server.service.Caller;
import dev.faxlan.server.cpi.operation.CpiService;
import dev.faxlan.server.storage.Database;
import dev.faxlan.server.storage.Sessions;
import dev.faxlan.server.storage.Uploads;
import dev.faxlan.transport.FrameReader;
import dev.faxlan.transport.FrameWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.quic.DefaultQuicStreamFrame;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicStreamChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client-opened stream: one request frame, one response frame. For {@code upload.data} the request
 * frame is followed by raw bytes up to the client's FIN, appended to the upload's part file as they
 * arrive, so a broken connection keeps every byte received and the client resumes at that offset.
 * For {@code inbox.fetch} it is the reverse: the response frame is followed by the document's bytes.
 * Requests execute on worker threads; the event loop only moves bytes.
 */
final class RequestStreamHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestStreamHandler.class);
    private final CpiService service;
    private final ExecutorService workers;
    private final AlertPusher alerts;
    private final UploadRegistry uploads;
    private final CpiLimits limits;
    /** Until the request frame is complete; then null, so a finished stream keeps no buffer. */
    private FrameReader frames = new FrameReader();
    private ConnectionState connection;
    private final ConnectionState.Charge charge = new ConnectionState.Charge();
    private ScheduledFuture<?> deadline;
    private Message.Request request;
    private boolean responded;
    // upload.data state
    private UploadRegistry.Writer writer;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private boolean inputDone;
    // inbox.fetch state
    private static final int FETCH_CHUNK = 64 * 1024;
    private FileChannel fetchFile;
    private long fetchPosition;
    private long fetchEnd;

    RequestStreamHandler(CpiService service, ExecutorService workers, AlertPusher alerts, UploadRegistry uploads, CpiLimits limits) {
        this.service = service;
        this.workers = workers;
        this.alerts = alerts;
        this.uploads = uploads;
        this.limits = limits;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        open(ctx);
        ctx.fireChannelActive();
    }

    /** Counts the stream against its connection and starts the deadline for its request frame. */
    private void open(ChannelHandlerContext ctx) {
        if (connection != null) return;
        connection = ctx.channel().parent().attr(ConnectionState.KEY).get();
        String refusal = connection.openStream(charge);
        if (refusal != null) {
            refuse(ctx, ErrorCode.BUSY, refusal);
        } else {
            long ms = limits.frameDeadline().toMillis();
            deadline = ctx.executor().schedule(() -> {
                if (request == null && !responded) {
                    refuse(ctx, ErrorCode.BAD_REQUEST, "no complete request frame within " + ms / 1000.0 + " s of opening the stream");
                }
            }, ms, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            open(ctx);
            if (responded) return;
            if (request == null) {
                String refusal = connection.reserve(charge, buf.readableBytes());
                if (refusal != null) {
                    refuse(ctx, ErrorCode.BUSY, refusal);
                    return;
                }
                byte[] frame = frames.read(buf);
                if (frame == null) return;
                byte[] rest = frames.rest();
                frames = null;
                deadline.cancel(false);
                connection.releaseBytes(charge);
                Message m = CpiCodec.decode(frame);
                if (!(m instanceof Message.Request r)) throw new CpiException(ErrorCode.BAD_REQUEST, "expected a request frame");
                request = r;
                service.metrics().request(r.op().wire());
                if (r.op() == Op.UPLOAD_DATA) {
                    if (rest.length > 0) keepEarly(ctx, rest);
                    ctx.channel().config().setAutoRead(false);
                    startUpload(ctx, r);
                } else if (r.op() == Op.INBOX_FETCH) {
                    submit(ctx, () -> startFetch(ctx, r));
                } else if (r.op() == Op.ALERT_SUBSCRIBE) {
                    submit(ctx, () -> subscribe(ctx, r));
                } else {
                    submit(ctx, () -> {
                        Message response = service.handle(r, address(ctx));
                        // An answered login, or any answered request that needed a session, proves a user.
                        if (response instanceof Message.Ok && (r.op() == Op.LOGIN || r.op().needsSession())) connection.authenticate();
                        respond(ctx, response);
                    });
                }
            } else if (writer != null) {
                writer.write(buf);
            } else if (request.op() == Op.UPLOAD_DATA) {
                byte[] b = new byte[buf.readableBytes()];
                buf.readBytes(b);
                keepEarly(ctx, b);
            }
            // Bytes after any other request frame have no meaning: they are dropped, never kept.
        } catch (RequestFrameException e) {
            refuse(ctx, e.requestId(), e.code(), e.getMessage());
        } catch (CpiException e) {
            if (request == null) refuse(ctx, e.code(), e.getMessage());
            else respond(ctx, new Message.Error(request.id(), e.code(), e.getMessage()));
        } catch (IOException e) {
            respond(ctx, service.storageFailure(request.id(), "writing upload data", e));
        } finally {
            buf.release();
        }
    }

    /**
     * Keeps upload bytes that arrived before the upload was checked, charged like an unfinished frame:
     * the sender is not known to be logged in yet.
     */
    private void keepEarly(ChannelHandlerContext ctx, byte[] b) {
        String refusal = connection.reserve(charge, b.length);
        if (refusal != null) {
            refuse(ctx, ErrorCode.BUSY, refusal);
            return;
        }
        pending.add(b);
    }

    /** Answers with an error, drops what is held and asks the peer to stop sending (STOP_SENDING). */
    private void refuse(ChannelHandlerContext ctx, ErrorCode code, String message) {
        refuse(ctx, request == null ? 0 : request.id(), code, message);
    }

    /** As {@link #refuse(ChannelHandlerContext, ErrorCode, String)}, echoing {@code id}: the refused frame's own. */
    private void refuse(ChannelHandlerContext ctx, long id, ErrorCode code, String message) {
        respond(ctx, new Message.Error(id, code, message));
        frames = null;
        pending.clear();
        connection.releaseBytes(charge);
        ((QuicStreamChannel) ctx.channel()).shutdownInput(code.number());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputDone = true;
            if (writer != null) finishUpload(ctx);
            else if (request == null && !responded) respond(ctx, new Message.Error(0, ErrorCode.BAD_REQUEST, "stream ended before a complete request frame"));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (fetchFile != null) pumpFetch(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) deadline.cancel(false);
        if (connection != null) connection.closeStream(charge);
        pending.clear();
        closeFetch();
        if (writer != null && !responded) uploads.release(writer);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("stream failed: {}", cause.toString());
        closeFetch();
        if (writer != null) uploads.release(writer);
        ctx.close();
    }

    private void startUpload(ChannelHandlerContext ctx, Message.Request r) {
        submit(ctx, () -> {
            Caller caller;
            Uploads.Upload u;
            long offset;
            try {
                caller = service.authenticate(r);
                connection.authenticate();
                u = service.ownUpload(caller, r.body().string("upload"));
                if (u.completed()) throw new CpiException(ErrorCode.CONFLICT, "upload " + u.id() + " is complete already");
                offset = r.body().integer("offset");
            } catch (CpiException e) {
                respond(ctx, new Message.Error(r.id(), e.code(), e.getMessage()));
                return;
            } catch (Exception e) {
                if (Database.isUnavailable(e)) {
                    respond(ctx, service.databaseUnavailable(r, e));
                    return;
                }
                log.error("upload check failed", e);
                respond(ctx, new Message.Error(r.id(), ErrorCode.INTERNAL, "internal error while checking the upload"));
                return;
            }
            ctx.executor().execute(() -> attach(ctx, r, u, offset));
        });
    }

    /** On the event loop: take the upload over from any older stream, check the offset, drain what came early. */
    private void attach(ChannelHandlerContext ctx, Message.Request r, Uploads.Upload u, long offset) {
        // Refused meanwhile (early bytes over budget) or gone: taking the upload over would leave a writer open.
        if (responded || !ctx.channel().isActive()) return;
        try {
            writer = uploads.acquire(u, offset);
            while (!pending.isEmpty()) writer.write(pending.poll());
            connection.releaseBytes(charge);
        } catch (CpiException e) {
            respond(ctx, new Message.Error(r.id(), e.code(), e.getMessage()));
            return;
        } catch (IOException e) {
            respond(ctx, service.storageFailure(r.id(), "opening an upload", e));
            return;
        }
        if (inputDone) finishUpload(ctx);
        else ctx.channel().config().setAutoRead(true);
    }

    private void finishUpload(ChannelHandlerContext ctx) {
        UploadRegistry.Writer w = writer;
        long length;
        try {
            length = w.close();
        } catch (IOException e) {
            respond(ctx, service.storageFailure(request.id(), "writing upload data", e));
            return;
        } finally {
            uploads.release(w);
        }
        if (length < w.upload().size()) {
            respond(ctx, new Message.Ok(request.id(), MessageCodec.encode(new UploadMessage.State(w.upload().id(), length, w.upload().size(), false, null))));
            return;
        }
        submit(ctx, () -> {
            try {
                respond(ctx, new Message.Ok(request.id(), service.completeUpload(w.upload())));
            } catch (CpiException e) {
                respond(ctx, new Message.Error(request.id(), e.code(), e.getMessage()));
            } catch (Exception e) {
                respond(ctx, service.storageFailure(request.id(), "completing an upload", e));
            }
        });
    }

    // ---- inbox.fetch: the response frame, then the document's bytes up to FIN ----

    private void startFetch(ChannelHandlerContext ctx, Message.Request r) {
        CpiService.Fetch fetch;
        FileChannel file;
        try {
            Caller caller = service.authenticate(r);
            connection.authenticate();
            fetch = service.openFetch(caller, r.body());
            file = FileChannel.open(fetch.file(), StandardOpenOption.READ);
        } catch (CpiException e) {
            respond(ctx, new Message.Error(r.id(), e.code(), e.getMessage()));
            return;
        } catch (Exception e) {
            if (Database.isUnavailable(e)) {
                respond(ctx, service.databaseUnavailable(r, e));
                return;
            }
            log.error("inbox.fetch failed", e);
            respond(ctx, new Message.Error(r.id(), ErrorCode.INTERNAL, "internal error while opening the fax"));
            return;
        }
        ctx.executor().execute(() -> {
            if (responded || !ctx.channel().isActive()) {
                closeQuietly(file);
                return;
            }
            responded = true;
            fetchFile = file;
            fetchPosition = fetch.offset();
            fetchEnd = fetch.size();
            boolean last = fetchPosition >= fetchEnd;
            ctx.write(FrameWriter.frame(new Message.Ok(r.id(), fetch.header()), last));
            if (last) closeFetch();
            pumpFetch(ctx);
        });
    }

    /** Writes while the stream is writable, so a slow client holds at most QUIC's window of the file in memory. */
    private void pumpFetch(ChannelHandlerContext ctx) {
        try {
            while (fetchFile != null && ctx.channel().isWritable()) {
                int n = (int) Math.min(FETCH_CHUNK, fetchEnd - fetchPosition);
                ByteBuf buf = ctx.alloc().directBuffer(n);
                int read = 0;
                while (read < n) {
                    int got = buf.writeBytes(fetchFile, fetchPosition + read, n - read);
                    if (got < 0) {
                        buf.release();
                        throw new IOException("document shrank while it was sent");
                    }
                    read += got;
                }
                fetchPosition += n;
                boolean last = fetchPosition >= fetchEnd;
                ctx.write(new DefaultQuicStreamFrame(buf, last));
                if (last) closeFetch();
            }
            ctx.flush();
        } catch (IOException e) {
            log.error("sending a received fax failed", e);
            closeFetch();
            ctx.close();
        }
    }

    private void closeFetch() {
        if (fetchFile != null) {
            closeQuietly(fetchFile);
            fetchFile = null;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // read-only: nothing is lost
        }
    }

    private void subscribe(ChannelHandlerContext ctx, Message.Request r) {
        try {
            Caller caller = service.authenticate(r);
            connection.authenticate();
            String subscriber = CpiService.subscriber(r.body());
            long from = service.subscriptionStart(caller, r.body());
            long last = service.lastEventSeq(caller.userId());
            AlertPusher.Subscription s = alerts.subscribe((QuicChannel) ctx.channel().parent(), caller.userId(),
                    Sessions.tokenHash(r.session()), subscriber, from);
            respond(ctx, new Message.Ok(r.id(), MessageCodec.encode(new AlertMessage.Subscribed(from, last))));
            s.pump();
        } catch (CpiException e) {
            respond(ctx, new Message.Error(r.id(), e.code(), e.getMessage()));
        } catch (Exception e) {
            if (Database.isUnavailable(e)) {
                respond(ctx, service.databaseUnavailable(r, e));
                return;
            }
            log.error("subscribe failed", e);
            respond(ctx, new Message.Error(r.id(), ErrorCode.INTERNAL, "internal error while subscribing"));
        }
    }

    private void submit(ChannelHandlerContext ctx, Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            respond(ctx, new Message.Error(request == null ? 0 : request.id(), ErrorCode.BUSY, "the server is busy; retry shortly"));
        }
    }

    private void respond(ChannelHandlerContext ctx, Message m) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> respond(ctx, m));
            return;
        }
        if (responded) return;
        responded = true;
        if (m instanceof Message.Error e) service.metrics().error(request == null ? "unknown" : request.op().wire(), e.code().name());
        if (writer != null && !writer.closed()) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // the error response already says the upload failed
            }
            uploads.release(writer);
        }
        FrameWriter.writeLast(ctx.channel(), m);
        ctx.channel().config().setAutoRead(true);
    }

    private static String address(ChannelHandlerContext ctx) {
        SocketAddress a = ((QuicChannel) ctx.channel().parent()).remoteSocketAddress();
        return a instanceof InetSocketAddress isa ? isa.getAddress().getHostAddress() : String.valueOf(a);
    }
}
