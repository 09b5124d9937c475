package dev.faxlan.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.quic.EpollQuicUtils;
import io.netty.handler.codec.quic.QuicChannelOption;
import io.netty.handler.codec.quic.QuicCodecBuilder;
import io.netty.handler.codec.quic.QuicCongestionControlAlgorithm;
import io.netty.handler.codec.quic.SegmentedDatagramPacketAllocator;
import java.util.concurrent.TimeUnit;

/**
 * The QUIC and UDP settings of CPI (docs/protocol.md §Transport), the same for the server and its
 * clients except for the flow-control windows each side grants.
 */
public final class QuicSettings {
    /** Idle connections close after this; clients send keep-alives well within it. */
    public static final long IDLE_TIMEOUT_SECONDS = 60;
    /** Fits an Ethernet MTU of 1500 with IPv6 and UDP headers. */
    public static final int UDP_PAYLOAD = 1452;
    /** Socket buffers, so that a burst of datagrams is not dropped before the event loop reads it (capped by rmem_max). */
    static final int SOCKET_BUFFER = 4 << 20;
    /** One read takes a whole GRO batch; Netty's default of 2048 bytes is too small for it. */
    static final int RECEIVE_BUFFER = 65536;
    /** Datagrams per GSO send. */
    static final int SEGMENTS = 32;

    private QuicSettings() {}

    /** The flow-control windows one side grants its peer. */
    public record Windows(long connection, long bidirectionalStream) {
        /** The server receives uploads of many clients. */
        public static final Windows SERVER = new Windows(64L << 20, 16L << 20);
        public static final Windows CLIENT = new Windows(16L << 20, 4L << 20);
    }

    /**
     * Applies what both sides set: the idle timeout (without one, quiche never
     * reaps half-open connections), UDP payload, windows, stream counts (quiche's default of 0 would refuse
     * the peer's streams) and DATAGRAM frames for keep-alives.
     */
    public static <B extends QuicCodecBuilder<B>> B apply(B codec, Windows windows, QuicCongestionControlAlgorithm congestionControl) {
        return codec.maxIdleTimeout(IDLE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .maxSendUdpPayloadSize(UDP_PAYLOAD)
                .maxRecvUdpPayloadSize(UDP_PAYLOAD)
                .initialMaxData(windows.connection())
                .initialMaxStreamDataBidirectionalLocal(windows.bidirectionalStream())
                .initialMaxStreamDataBidirectionalRemote(windows.bidirectionalStream())
                .initialMaxStreamDataUnidirectional(1L << 20)
                .initialMaxStreamsBidirectional(256)
                .initialMaxStreamsUnidirectional(16)
                .congestionControlAlgorithm(congestionControl)
                .datagram(64, 64);
    }

    /**
     * For {@link QuicChannelOption#SEGMENTED_DATAGRAM_PACKET_ALLOCATOR} on epoll (the server sets it on its
     * codec, a client on its channel bootstrap): GSO sends up to {@value #SEGMENTS} datagrams in one call.
     */
    public static SegmentedDatagramPacketAllocator segmentedAllocator() {
        return EpollQuicUtils.newSegmentedAllocator(SEGMENTS);
    }

    /** The UDP socket: epoll where available, large buffers, reads large enough for a GRO batch. */
    public static Bootstrap udp(Bootstrap b, boolean epoll) {
        return b.channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
                .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER));
    }
}
