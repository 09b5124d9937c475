/*
 * audiopeer - spandsp's audio fax terminal (fax_state_t: T.30 over V.21/V.27ter/V.29/V.17)
 * exchanging G.711 audio with a peer over a TCP connection on loopback, the audio oracle of
 * faxlan's fax engine tests.
 *
 * README
 *   Build:  gcc -O2 -Wall -o audiopeer audiopeer.c -lspandsp -ltiff -lm
 *           (Debian: libspandsp-dev 0.0.6, libtiff-dev; the Java test helper AudioPeer
 *           compiles this file into target/ by itself.)
 *   Run:    audiopeer --send page.tif   --connect PORT [options]
 *           audiopeer --receive out.tif --connect PORT [options]
 *
 * WIRE (what a Java endpoint must speak to replace the other side)
 *   audiopeer connects to 127.0.0.1:PORT over TCP (TCP_NODELAY). The connection carries, in
 *   each direction, a plain byte stream of G.711 octets (one octet per sample, 8000 samples
 *   per second of call time, µ-law or A-law as --law says, the same law both ways) with no
 *   header and no other framing: the stream is cut into frames of 160 octets, 20 ms each.
 *   audiopeer runs in lockstep with the stream, not with a wall clock:
 *       repeat: write one 160-octet frame, then read one 160-octet frame
 *   so the peer must do the same (send one frame for each frame received, its first frame
 *   unprompted) and the whole call runs as fast as both ends compute, much faster than real
 *   time. Call time is the count of frames exchanged; spandsp's T.30 timers run on it.
 *   When the call ends (phase E) audiopeer goes on for 1 s of call time so the far end hears
 *   the end of the last signal, then closes the connection. If the far end closes first,
 *   audiopeer hears silence from then on (its own timers end the call).
 *
 *   It prints one JSON line on stdout (everything else goes to stderr):
 *     {"result":0,"result_text":"OK","pages_tx":1,"pages_rx":0,"bit_rate":14400,"ecm":true,
 *      "compression":"mmr","remote_ident":"...","call_ms":23480,"duration_ms":410,...}
 *   Exit status: 0 when the phase E completion code is T30_ERR_OK, 1 for any other code or a
 *   call-time limit, 2 for bad usage or a socket error.
 *
 *   Impairments apply to what this end sends, in this order: --level (gain), --drift
 *   (resampling), --snr (white noise), then G.711 encoding.
 *
 * RTP MODE (--rtp HOST:PORT instead of --connect)
 *   The audio goes as real RTP over UDP (RFC 3550): one packet per 20 ms, payload type 0 (PCMU)
 *   or 8 (PCMA) as --law says, paced by this process's own monotonic clock, so call time is wall
 *   time. Packets go to HOST:PORT from a socket bound to --rtp-bind PORT (default ephemeral,
 *   printed on stderr as "bound port N"); with port 0 they go to wherever the first datagram
 *   came from, and call time starts only then (a SIP far end whose SDP named this port);
 *   what arrives there from anywhere is taken as the far end's stream (a test harness, not a
 *   gateway: no latching). Received packets go through a fixed-delay jitter buffer (--playout MS,
 *   default 100, fixed from the first packet on: fax modems cannot stand a buffer that stretches);
 *   a packet that is late or missing at its playout time is concealed by repeating the last frame
 *   heard, which keeps the fast modems' carrier and symbol timing (zeros would drop the carrier);
 *   after CONCEAL_MAX missing frames in a row (the far end stopped) it plays silence. A single
 *   packet late or far off is dropped; RESYNC_AFTER in a row move the playout point to them (the
 *   sender's timestamps jumped), keeping the delay.
 *   Other payload types, RTCP and non-RTP datagrams are counted and dropped.
 *   The network between the ends is this harness's own shaper, seeded by --seed: --loss PCT drops
 *   that share of the packets this end sends, --jitter MS delays each by a uniform 0..MS extra
 *   (so packets may arrive out of order), --rx-loss PCT drops that share of the packets that
 *   arrive, before the jitter buffer (loss on the way here). The result line adds the counts.
 *
 * This is our own code written against spandsp's public API; it contains no spandsp source.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>

#include <spandsp.h>

#define PEER_NAME "audiopeer"
#include "../common/peer_common.h"

#define FRAME 160                   /* samples per 20 ms frame at 8000 samples/s */
#define FRAME_MS 20
#define FLUSH_MS 1000               /* call time kept up after phase E */
#define NOMINAL_DBM0 (-14.0)        /* spandsp's V.21/V.27ter/V.29/V.17 transmit level */

/* Resampler: windowed sinc, SINC_HALF taps either side, SINC_PHASES fractional positions. */
#define SINC_HALF 8
#define SINC_PHASES 1024
#define SRC_CAP 4096

/* ---------------------------------------------------------------------------------------- */
/* Options                                                                                  */

typedef struct {
    const char *send_file;
    const char *receive_file;
    int port;
    int alaw;                       /* 1 = A-law, 0 = µ-law */
    int ecm;
    int compressions;               /* T30_SUPPORT_* bits, 0 = spandsp default */
    int resolutions;
    int modems;
    const char *ident;
    int calling;                    /* -1 = by role: the sender calls */
    bool has_snr;
    double snr_db;
    bool has_level;
    double level_dbm0;
    double drift_ppm;
    int seed;
    double timeout_s;               /* call time, not wall time */
    bool log;
    /* RTP mode */
    const char *rtp_peer;           /* HOST:PORT, NULL = TCP lockstep mode */
    int rtp_bind;
    int playout_ms;
    double loss_pct;
    double rx_loss_pct;
    int jitter_ms;
} options_t;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: audiopeer (--send FILE | --receive FILE) (--connect PORT | --rtp HOST:PORT) [options]\n"
        "  --send FILE          send this TIFF-F file (1 bit, 1728 wide)\n"
        "  --receive FILE       receive into this TIFF-F file\n"
        "  --connect PORT       TCP port on 127.0.0.1 carrying the G.711 streams (lockstep)\n"
        "  --rtp HOST:PORT      instead: real-time RTP over UDP to HOST:PORT (see RTP MODE); port 0:\n"
        "                       latch, i.e. wait for the first datagram and send to its source\n"
        "  --rtp-bind PORT      local UDP port of the RTP socket (default: any free one)\n"
        "  --playout MS         fixed jitter-buffer delay in RTP mode (default 100)\n"
        "  --loss PCT           RTP mode: drop this percentage of the packets sent (seeded)\n"
        "  --rx-loss PCT        RTP mode: drop this percentage of the packets received (seeded)\n"
        "  --jitter MS          RTP mode: delay each packet sent by a uniform 0..MS ms (seeded)\n"
        "  --law ulaw|alaw      G.711 law both ways (default alaw)\n"
        "  --ecm 0|1            offer/use ECM (default 1)\n"
        "  --compressions LIST  mh,mr,mmr or all (default: spandsp's, mh,mr)\n"
        "  --resolutions LIST   standard,fine,superfine or all (default: spandsp's)\n"
        "  --modems LIST        v27ter,v29,v17 or all (default: spandsp's, all)\n"
        "  --ident TEXT         local TSI/CSID (default none)\n"
        "  --calling 0|1        calling party (default: 1 when sending, 0 when receiving)\n"
        "  --level DBM0         level of the modem signals sent (spandsp's is -14); all sent\n"
        "                       audio is scaled by the same gain\n"
        "  --snr DB             add white noise this many dB under the modem level\n"
        "  --drift PPM          this end's sample clock runs PPM parts per million fast\n"
        "                       (negative: slow) against the far end's: what it sends is resampled\n"
        "  --seed N             seed of the noise (default 1)\n"
        "  --timeout SECONDS    call-time limit (default 300)\n"
        "  --log                spandsp flow logging on stderr\n");
}

static void parse_options(int argc, char **argv, options_t *o)
{
    memset(o, 0, sizeof(*o));
    o->alaw = 1;
    o->ecm = 1;
    o->calling = -1;
    o->seed = 1;
    o->timeout_s = 300.0;
    o->playout_ms = 100;
    for (int i = 1;  i < argc;  i++)
    {
        const char *a = argv[i];
        const char *v;

        if (strcmp(a, "--log") == 0)
        {
            o->log = true;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
        {
            usage(stdout);
            exit(0);
        }
        if (i + 1 >= argc)
            fail_usage("%s needs a value (or is unknown)", a);
        v = argv[++i];
        if (strcmp(a, "--send") == 0)
            o->send_file = v;
        else if (strcmp(a, "--receive") == 0)
            o->receive_file = v;
        else if (strcmp(a, "--connect") == 0)
            o->port = (int) parse_long(a, v, 1, 65535);
        else if (strcmp(a, "--law") == 0)
        {
            if (strcmp(v, "alaw") == 0)
                o->alaw = 1;
            else if (strcmp(v, "ulaw") == 0)
                o->alaw = 0;
            else
                fail_usage("--law needs ulaw or alaw, got '%s'", v);
        }
        else if (strcmp(a, "--ecm") == 0)
            o->ecm = (int) parse_long(a, v, 0, 1);
        else if (strcmp(a, "--compressions") == 0)
            o->compressions = parse_list(a, v, compression_names);
        else if (strcmp(a, "--resolutions") == 0)
            o->resolutions = parse_list(a, v, resolution_names);
        else if (strcmp(a, "--modems") == 0)
            o->modems = parse_list(a, v, modem_names);
        else if (strcmp(a, "--ident") == 0)
            o->ident = v;
        else if (strcmp(a, "--calling") == 0)
            o->calling = (int) parse_long(a, v, 0, 1);
        else if (strcmp(a, "--level") == 0)
        {
            o->has_level = true;
            o->level_dbm0 = parse_double(a, v, -80.0, 3.0);
        }
        else if (strcmp(a, "--snr") == 0)
        {
            o->has_snr = true;
            o->snr_db = parse_double(a, v, -20.0, 120.0);
        }
        else if (strcmp(a, "--drift") == 0)
            o->drift_ppm = parse_double(a, v, -10000.0, 10000.0);
        else if (strcmp(a, "--seed") == 0)
            o->seed = (int) parse_long(a, v, 0, INT32_MAX);
        else if (strcmp(a, "--timeout") == 0)
            o->timeout_s = parse_double(a, v, 0.1, 86400.0);
        else if (strcmp(a, "--rtp") == 0)
            o->rtp_peer = v;
        else if (strcmp(a, "--rtp-bind") == 0)
            o->rtp_bind = (int) parse_long(a, v, 0, 65535);
        else if (strcmp(a, "--playout") == 0)
            o->playout_ms = (int) parse_long(a, v, 0, 1000);
        else if (strcmp(a, "--loss") == 0)
            o->loss_pct = parse_double(a, v, 0.0, 100.0);
        else if (strcmp(a, "--rx-loss") == 0)
            o->rx_loss_pct = parse_double(a, v, 0.0, 100.0);
        else if (strcmp(a, "--jitter") == 0)
            o->jitter_ms = (int) parse_long(a, v, 0, 1000);
        else
            fail_usage("unknown option %s", a);
    }
    if ((o->send_file == NULL) == (o->receive_file == NULL))
        fail_usage("give exactly one of --send FILE and --receive FILE");
    if ((o->port == 0) == (o->rtp_peer == NULL))
        fail_usage("give exactly one of --connect PORT and --rtp HOST:PORT");
    if (o->rtp_peer == NULL && (o->loss_pct > 0 || o->rx_loss_pct > 0 || o->jitter_ms > 0))
        fail_usage("--loss, --rx-loss and --jitter need --rtp");
    if (o->calling < 0)
        o->calling = (o->send_file != NULL);
    if ((o->compressions & T30_SUPPORT_T6_COMPRESSION) && !o->ecm)
        fprintf(stderr, "audiopeer: note: MMR needs ECM; with --ecm 0 it will not be used\n");
}

/* ---------------------------------------------------------------------------------------- */
/* The line: what this end sends, impaired                                                  */

typedef struct {
    fax_state_t *fax;
    double gain;
    awgn_state_t *noise;            /* NULL = no noise */
    /* Resampling (only when drift != 0): src holds fax_tx output, src[0] is sample src_base. */
    bool resample;
    double step;                    /* source samples per sent sample: 1 + drift */
    double pos;                     /* source position of the next sent sample, from src_base */
    int16_t src[SRC_CAP];
    int src_len;
    float sinc[SINC_PHASES + 1][2*SINC_HALF];
} line_t;

static int16_t clip16(double x)
{
    if (x > 32767.0)
        return 32767;
    if (x < -32768.0)
        return -32768;
    return (int16_t) lrint(x);
}

/* fax_tx with transmit-on-idle always fills the buffer; pad anyway, it costs nothing. */
static void fax_samples(fax_state_t *fax, int16_t *buf, int n)
{
    int got = fax_tx(fax, buf, n);

    if (got < n)
        memset(buf + got, 0, sizeof(int16_t)*(n - got));
}

static void line_init(line_t *l, fax_state_t *fax, const options_t *o)
{
    double level = o->has_level  ?  o->level_dbm0  :  NOMINAL_DBM0;

    memset(l, 0, sizeof(*l));
    l->fax = fax;
    l->gain = pow(10.0, (level - NOMINAL_DBM0)/20.0);
    if (o->has_snr)
        l->noise = awgn_init_dbm0(NULL, o->seed, (float) (level - o->snr_db));
    l->resample = o->drift_ppm != 0.0;
    l->step = 1.0 + o->drift_ppm*1e-6;
    /* Blackman-windowed sinc, one row per fractional delay, so each sent sample costs 16 MACs. */
    for (int p = 0;  p <= SINC_PHASES;  p++)
    {
        double frac = (double) p/SINC_PHASES;

        for (int k = 0;  k < 2*SINC_HALF;  k++)
        {
            double x = (k - (SINC_HALF - 1)) - frac;
            double w = 0.42 + 0.5*cos(M_PI*x/SINC_HALF) + 0.08*cos(2.0*M_PI*x/SINC_HALF);
            double s = (fabs(x) < 1e-12)  ?  1.0  :  sin(M_PI*x)/(M_PI*x);

            l->sinc[p][k] = (float) (s*((fabs(x) >= SINC_HALF)  ?  0.0  :  w));
        }
    }
    /* History before the first sample is silence. */
    l->src_len = SINC_HALF;
    l->pos = SINC_HALF;
}

static void line_frame(line_t *l, int16_t *out)
{
    if (!l->resample)
    {
        fax_samples(l->fax, out, FRAME);
        for (int i = 0;  i < FRAME;  i++)
            out[i] = clip16(out[i]*l->gain);
    }
    else
    {
        for (int i = 0;  i < FRAME;  i++)
        {
            int base = (int) floor(l->pos);
            double frac = l->pos - base;
            const float *h;
            double acc = 0.0;
            int need = base + SINC_HALF + 1;

            if (need > l->src_len)
            {
                int n = need - l->src_len + FRAME;

                fax_samples(l->fax, l->src + l->src_len, n);
                l->src_len += n;
            }
            h = l->sinc[(int) lrint(frac*SINC_PHASES)];
            for (int k = 0;  k < 2*SINC_HALF;  k++)
                acc += h[k]*l->src[base - (SINC_HALF - 1) + k];
            out[i] = clip16(acc*l->gain);
            l->pos += l->step;
        }
        /* Drop what no later sample needs. */
        {
            int keep_from = (int) floor(l->pos) - SINC_HALF;

            if (keep_from > 0)
            {
                memmove(l->src, l->src + keep_from, sizeof(int16_t)*(l->src_len - keep_from));
                l->src_len -= keep_from;
                l->pos -= keep_from;
            }
        }
    }
    if (l->noise)
    {
        for (int i = 0;  i < FRAME;  i++)
            out[i] = clip16((double) out[i] + awgn(l->noise));
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Socket                                                                                   */

static int connect_loopback(int port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;

    if (fd < 0)
        return -1;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((uint16_t) port);
    if (connect(fd, (struct sockaddr *) &a, sizeof(a)) < 0)
    {
        int e = errno;

        close(fd);
        errno = e;
        return -1;
    }
    /* One small write per frame in lockstep: Nagle would hold each for the peer's ACK. */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

static bool write_full(int fd, const uint8_t *buf, int len)
{
    while (len > 0)
    {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= n;
    }
    return true;
}

static bool read_full(int fd, uint8_t *buf, int len)
{
    while (len > 0)
    {
        ssize_t n = read(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= n;
    }
    return true;
}

/* ---------------------------------------------------------------------------------------- */
/* T.30 and the result line                                                                 */

static void span_message(int level, const char *text)
{
    (void) level;
    fputs(text, stderr);
}

static line_t line;

/* ---------------------------------------------------------------------------------------- */
/* RTP mode: real UDP, real time, a fixed-delay jitter buffer, and a seeded shaper            */

#define RTP_HEADER 12
#define JB_SLOTS 64                 /* 1.28 s of frames: far more than any playout delay here */
#define SHAPER_CAP 256              /* packets held back by --jitter at once */
#define RESYNC_AFTER 5              /* packets late or far off in a row that move the playout point to them */
#define CONCEAL_MAX 3               /* frames repeated for a gap, at most: then silence, as a stream that ended */

typedef struct {
    int64_t due_ns;
    int len;
    uint8_t data[RTP_HEADER + FRAME];
} delayed_t;

typedef struct {
    /* sending */
    uint16_t seq;
    uint32_t ts;
    uint32_t ssrc;
    int pt;
    long sent;
    long shaped_lost;               /* dropped by --loss */
    delayed_t queue[SHAPER_CAP];    /* held by --jitter, unordered; SHAPER_CAP is never near full */
    int queued;
    /* receiving */
    bool started;
    uint32_t play_ts;               /* timestamp of the next frame to play */
    uint32_t first_ts;
    uint8_t slot[JB_SLOTS][FRAME];
    uint32_t slot_ts[JB_SLOTS];
    bool slot_full[JB_SLOTS];
    uint8_t last[FRAME];
    bool have_last;
    int missing_run;                /* frames missing in a row */
    int misplaced_run;              /* packets late or far off in a row */
    long resyncs;
    long received;
    long rx_shaped_lost;            /* dropped by --rx-loss */
    long played;
    long concealed;                 /* frames played from the last one because theirs was missing */
    long silent;                    /* frames missing beyond CONCEAL_MAX in a row, played as silence */
    long late;
    long far_off;
    long duplicates;
    long other;                     /* other payload types, RTCP, not RTP */
    /* the shaper's random numbers, our own so that a seed gives the same run everywhere */
    uint64_t rng;
} rtp_t;

static double rtp_random(rtp_t *r)
{
    /* xorshift64*: plenty for loss and jitter draws. */
    r->rng ^= r->rng >> 12;
    r->rng ^= r->rng << 25;
    r->rng ^= r->rng >> 27;
    return (double) ((r->rng*2685821657736338717ULL) >> 11)/9007199254740992.0;
}

static int rtp_socket(const options_t *o, struct sockaddr_storage *peer, socklen_t *peer_len)
{
    char host[256];
    const char *colon = strrchr(o->rtp_peer, ':');
    struct addrinfo hints;
    struct addrinfo *ai;
    struct sockaddr_storage local;
    int fd;
    int rc;

    if (colon == NULL || colon == o->rtp_peer || (size_t) (colon - o->rtp_peer) >= sizeof(host))
        fail_usage("--rtp needs HOST:PORT, got '%s'", o->rtp_peer);
    memcpy(host, o->rtp_peer, colon - o->rtp_peer);
    host[colon - o->rtp_peer] = '\0';
    if (host[0] == '[' && host[strlen(host) - 1] == ']')
    {
        memmove(host, host + 1, strlen(host));
        host[strlen(host) - 1] = '\0';
    }
    parse_long("--rtp", colon + 1, 0, 65535);
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_DGRAM;
    if ((rc = getaddrinfo(host, colon + 1, &hints, &ai)) != 0)
        fail_usage("--rtp %s: %s", o->rtp_peer, gai_strerror(rc));
    memcpy(peer, ai->ai_addr, ai->ai_addrlen);
    *peer_len = ai->ai_addrlen;
    freeaddrinfo(ai);
    if ((fd = socket(peer->ss_family, SOCK_DGRAM, 0)) < 0)
        return -1;
    memset(&local, 0, sizeof(local));
    local.ss_family = peer->ss_family;
    if (peer->ss_family == AF_INET)
        ((struct sockaddr_in *) &local)->sin_port = htons((uint16_t) o->rtp_bind);
    else
        ((struct sockaddr_in6 *) &local)->sin6_port = htons((uint16_t) o->rtp_bind);
    if (bind(fd, (struct sockaddr *) &local, *peer_len) < 0)
    {
        int e = errno;

        close(fd);
        errno = e;
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    {
        struct sockaddr_storage bound;
        socklen_t bound_len = sizeof(bound);

        if (getsockname(fd, (struct sockaddr *) &bound, &bound_len) == 0)
        {
            fprintf(stderr, "bound port %d\n", ntohs(bound.ss_family == AF_INET  ?  ((struct sockaddr_in *) &bound)->sin_port
                                                                               :  ((struct sockaddr_in6 *) &bound)->sin6_port));
            fflush(stderr);
        }
    }
    return fd;
}

/* --rtp HOST:0: waits for the far end's first datagram and sends to its source from then on
   (symmetric RTP, as a SIP far end whose SDP named our port); call time starts then. */
static bool rtp_latch(int fd, struct sockaddr_storage *peer, socklen_t *peer_len, double timeout_s)
{
    int64_t deadline = now_ns() + (int64_t) (timeout_s*1e9);

    for (;;)
    {
        struct pollfd p = {fd, POLLIN, 0};
        struct sockaddr_storage from;
        socklen_t from_len = sizeof(from);
        uint8_t b[1];
        int64_t left = deadline - now_ns();

        if (left <= 0)
            return false;
        if (poll(&p, 1, (int) (left/1000000 + 1)) <= 0)
            continue;
        if (recvfrom(fd, b, sizeof(b), MSG_PEEK | MSG_TRUNC, (struct sockaddr *) &from, &from_len) < 0)
            continue;
        memcpy(peer, &from, from_len);
        *peer_len = from_len;
        fprintf(stderr, "latched onto port %d\n", ntohs(from.ss_family == AF_INET  ?  ((struct sockaddr_in *) &from)->sin_port
                                                                           :  ((struct sockaddr_in6 *) &from)->sin6_port));
        fflush(stderr);
        return true;
    }
}

/* One frame of ours as an RTP packet, through the shaper: lost, held back, or sent now. */
static void rtp_send_frame(rtp_t *r, const options_t *o, int fd, const struct sockaddr *peer, socklen_t peer_len,
                           const uint8_t *g711, int64_t now)
{
    uint8_t pkt[RTP_HEADER + FRAME];

    pkt[0] = 0x80;
    pkt[1] = (uint8_t) (r->pt | ((r->sent + r->shaped_lost == 0)  ?  0x80  :  0));
    pkt[2] = (uint8_t) (r->seq >> 8);
    pkt[3] = (uint8_t) r->seq;
    pkt[4] = (uint8_t) (r->ts >> 24);
    pkt[5] = (uint8_t) (r->ts >> 16);
    pkt[6] = (uint8_t) (r->ts >> 8);
    pkt[7] = (uint8_t) r->ts;
    pkt[8] = (uint8_t) (r->ssrc >> 24);
    pkt[9] = (uint8_t) (r->ssrc >> 16);
    pkt[10] = (uint8_t) (r->ssrc >> 8);
    pkt[11] = (uint8_t) r->ssrc;
    memcpy(pkt + RTP_HEADER, g711, FRAME);
    r->seq++;
    r->ts += FRAME;
    /* Draw both numbers for every packet, so --loss does not change which packets are delayed. */
    {
        double lose = rtp_random(r);
        double delay = rtp_random(r);

        if (o->loss_pct > 0 && lose*100.0 < o->loss_pct)
        {
            r->shaped_lost++;
            return;
        }
        if (o->jitter_ms > 0 && r->queued < SHAPER_CAP)
        {
            delayed_t *d = &r->queue[r->queued++];

            d->due_ns = now + (int64_t) (delay*o->jitter_ms*1e6);
            d->len = sizeof(pkt);
            memcpy(d->data, pkt, sizeof(pkt));
            return;
        }
    }
    sendto(fd, pkt, sizeof(pkt), 0, peer, peer_len);
    r->sent++;
}

/* Sends what the shaper holds that is due by now; returns the earliest time still held, or -1. */
static int64_t rtp_send_due(rtp_t *r, int fd, const struct sockaddr *peer, socklen_t peer_len, int64_t now)
{
    int64_t next = -1;

    for (int i = 0;  i < r->queued; )
    {
        if (r->queue[i].due_ns <= now)
        {
            sendto(fd, r->queue[i].data, r->queue[i].len, 0, peer, peer_len);
            r->sent++;
            r->queue[i] = r->queue[--r->queued];
            continue;
        }
        if (next < 0 || r->queue[i].due_ns < next)
            next = r->queue[i].due_ns;
        i++;
    }
    return next;
}

/* One datagram heard: an RTP packet of our payload type is placed by timestamp, the rest counted. */
static void rtp_heard(rtp_t *r, const options_t *o, const uint8_t *d, int len)
{
    int off = RTP_HEADER;
    uint32_t ts;
    int32_t ahead;
    int i;

    if (len < RTP_HEADER || (d[0] >> 6) != 2 || (d[1] & 0x7F) != r->pt)
    {
        r->other++;
        return;
    }
    off += 4*(d[0] & 0x0F);
    if ((d[0] & 0x10) && len >= off + 4)
        off += 4 + 4*((d[off + 2] << 8) | d[off + 3]);
    if (d[0] & 0x20)
        len -= d[len - 1];
    if (len - off != FRAME)
    {
        r->other++;
        return;
    }
    if (o->rx_loss_pct > 0 && rtp_random(r)*100.0 < o->rx_loss_pct)
    {
        r->rx_shaped_lost++;
        return;
    }
    r->received++;
    ts = ((uint32_t) d[4] << 24) | ((uint32_t) d[5] << 16) | ((uint32_t) d[6] << 8) | d[7];
    if (!r->started)
    {
        /* The playout delay is fixed here, from the first packet, and never changes. */
        r->started = true;
        r->first_ts = ts;
        r->play_ts = ts - (uint32_t) (o->playout_ms/FRAME_MS)*FRAME;
    }
    ahead = (int32_t) (ts - r->play_ts);
    if (ahead < 0 || ahead >= JB_SLOTS*FRAME)
    {
        if (ahead < 0)
            r->late++;
        else
            r->far_off++;
        /* One stray packet is dropped; a run of them means the sender's timestamps moved (it
           stalled and skipped, or restarted): play from them again, with the same delay. */
        if (++r->misplaced_run < RESYNC_AFTER)
            return;
        r->resyncs++;
        memset(r->slot_full, 0, sizeof(r->slot_full));
        r->play_ts = ts - (uint32_t) (o->playout_ms/FRAME_MS)*FRAME;
        r->first_ts = ts;
    }
    r->misplaced_run = 0;
    i = (ts/FRAME) % JB_SLOTS;
    if (r->slot_full[i] && r->slot_ts[i] == ts)
    {
        r->duplicates++;
        return;
    }
    memcpy(r->slot[i], d + off, FRAME);
    r->slot_ts[i] = ts;
    r->slot_full[i] = true;
}

/* The frame due now: from the buffer, else the last one again, else silence before the stream. */
static void rtp_play(rtp_t *r, uint8_t *g711, uint8_t silence)
{
    int i;

    if (!r->started)
    {
        memset(g711, silence, FRAME);
        return;
    }
    i = (r->play_ts/FRAME) % JB_SLOTS;
    if (r->slot_full[i] && r->slot_ts[i] == r->play_ts)
    {
        memcpy(g711, r->slot[i], FRAME);
        memcpy(r->last, g711, FRAME);
        r->have_last = true;
        r->slot_full[i] = false;
        r->played++;
        r->missing_run = 0;
    }
    else if ((int32_t) (r->play_ts - r->first_ts) < 0)
    {
        memset(g711, silence, FRAME);
    }
    else
    {
        /* A short gap is bridged by the last frame; a long one (the far end stopped) is silence. */
        if (r->have_last && r->missing_run++ < CONCEAL_MAX)
        {
            memcpy(g711, r->last, FRAME);
            r->concealed++;
        }
        else
        {
            memset(g711, silence, FRAME);
            r->silent++;
        }
    }
    r->play_ts += FRAME;
}

static void sleep_until(int64_t t)
{
    struct timespec ts;

    ts.tv_sec = t/1000000000LL;
    ts.tv_nsec = t%1000000000LL;
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
        ;
}

/* Runs the call over RTP in real time; returns false on a socket error. */
static bool rtp_call(const options_t *o, fax_state_t *fax, rtp_t *r, long *call_ms, bool *timed_out, long *ended)
{
    struct sockaddr_storage peer;
    socklen_t peer_len;
    int fd;
    int64_t next_frame;
    uint8_t silence = o->alaw  ?  linear_to_alaw(0)  :  linear_to_ulaw(0);

    if ((fd = rtp_socket(o, &peer, &peer_len)) < 0)
    {
        printf("{\"result\":-1,\"error\":\"RTP socket: %s\"}\n", strerror(errno));
        return false;
    }
    memset(r, 0, sizeof(*r));
    r->pt = o->alaw  ?  8  :  0;
    r->rng = 0x9E3779B97F4A7C15ULL ^ ((uint64_t) o->seed*0xBF58476D1CE4E5B9ULL);
    if (r->rng == 0)
        r->rng = 1;
    r->ssrc = (uint32_t) (rtp_random(r)*4294967296.0);
    r->seq = (uint16_t) (rtp_random(r)*65536.0);
    r->ts = (uint32_t) (rtp_random(r)*4294967296.0);
    if (strcmp(strrchr(o->rtp_peer, ':'), ":0") == 0 && !rtp_latch(fd, &peer, &peer_len, o->timeout_s))
    {
        printf("{\"result\":-1,\"error\":\"no RTP to latch onto within %.0f s\"}\n", o->timeout_s);
        close(fd);
        return false;
    }
    next_frame = now_ns();
    for (;;)
    {
        int16_t amp[FRAME];
        uint8_t g711[FRAME];
        int64_t now;

        if (*ended >= 0 && *call_ms - *ended >= FLUSH_MS)
            break;
        if (*ended < 0 && *call_ms >= (long) (o->timeout_s*1000.0))
        {
            *timed_out = true;
            break;
        }
        /* Until the frame is due: send what the shaper releases, take in what arrives. */
        for (;;)
        {
            int64_t held;
            int64_t wake;
            struct pollfd p = {fd, POLLIN, 0};
            uint8_t buf[2048];
            ssize_t n;

            now = now_ns();
            held = rtp_send_due(r, fd, (struct sockaddr *) &peer, peer_len, now);
            while ((n = recv(fd, buf, sizeof(buf), 0)) >= 0)
                rtp_heard(r, o, buf, (int) n);
            if (now >= next_frame)
                break;
            wake = (held >= 0 && held < next_frame)  ?  held  :  next_frame;
            poll(&p, 1, (int) ((wake - now + 999999)/1000000));
        }
        /* A stalled process (a busy machine) catches up frame by frame: call time stays wall time. */
        line_frame(&line, amp);
        for (int i = 0;  i < FRAME;  i++)
            g711[i] = o->alaw  ?  linear_to_alaw(amp[i])  :  linear_to_ulaw(amp[i]);
        rtp_send_frame(r, o, fd, (struct sockaddr *) &peer, peer_len, g711, now);
        rtp_play(r, g711, silence);
        for (int i = 0;  i < FRAME;  i++)
            amp[i] = o->alaw  ?  alaw_to_linear(g711[i])  :  ulaw_to_linear(g711[i]);
        fax_rx(fax, amp, FRAME);
        *call_ms += FRAME_MS;
        next_frame += FRAME_MS*1000000LL;
        if (*ended < 0 && phase_e_code >= 0)
            *ended = *call_ms;
    }
    /* What the shaper still holds goes out now, so the far end hears our whole closing. */
    while (r->queued > 0)
    {
        int64_t held = rtp_send_due(r, fd, (struct sockaddr *) &peer, peer_len, now_ns());

        if (held > 0)
            sleep_until(held);
    }
    close(fd);
    return true;
}

int main(int argc, char **argv)
{
    options_t o;
    fax_state_t *fax;
    t30_state_t *t30;
    t30_stats_t st;
    int fd;
    int64_t start;
    long call_ms = 0;
    long ended_ms = -1;
    long frames_tx = 0;
    long frames_rx = 0;
    bool peer_closed = false;
    bool timed_out = false;
    int result;
    const char *tag;
    static rtp_t rtp;

    setvbuf(stderr, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    parse_options(argc, argv, &o);
    tag = o.ident  ?  o.ident  :  (o.send_file  ?  "tx"  :  "rx");

    fd = -1;
    if (o.rtp_peer == NULL && (fd = connect_loopback(o.port)) < 0)
    {
        printf("{\"result\":-1,\"error\":\"connect 127.0.0.1:%d: %s\"}\n", o.port, strerror(errno));
        return 2;
    }
    if ((fax = fax_init(NULL, o.calling)) == NULL)
    {
        printf("{\"result\":-1,\"error\":\"fax_init failed\"}\n");
        return 2;
    }
    t30 = fax_get_t30_state(fax);
    setup_logging(fax_get_logging_state(fax), tag, o.log);
    setup_logging(t30_get_logging_state(t30), tag, o.log);
    /* Without it fax_tx returns nothing while idle, and the stream would stall. */
    fax_set_transmit_on_idle(fax, true);
    t30_set_ecm_capability(t30, o.ecm);
    if (o.compressions)
        t30_set_supported_compressions(t30, o.compressions);
    if (o.resolutions)
        t30_set_supported_resolutions(t30, o.resolutions);
    if (o.modems)
        t30_set_supported_modems(t30, o.modems);
    if (o.ident)
        t30_set_tx_ident(t30, o.ident);
    if (o.send_file)
        t30_set_tx_file(t30, o.send_file, -1, -1);
    else
        t30_set_rx_file(t30, o.receive_file, -1);
    t30_set_phase_e_handler(t30, phase_e_handler, NULL);
    line_init(&line, fax, &o);

    start = now_ns();
    if (o.rtp_peer)
    {
        if (!rtp_call(&o, fax, &rtp, &call_ms, &timed_out, &ended_ms))
            return 2;
        frames_tx = rtp.sent;
        frames_rx = rtp.received;
    }
    for (;  fd >= 0;  )
    {
        int16_t amp[FRAME];
        uint8_t g711[FRAME];

        if (ended_ms >= 0 && call_ms - ended_ms >= FLUSH_MS)
            break;
        if (ended_ms < 0 && call_ms >= (long) (o.timeout_s*1000.0))
        {
            timed_out = true;
            break;
        }
        /* Send one frame, then hear one: the far end's frames are our clock. */
        line_frame(&line, amp);
        for (int i = 0;  i < FRAME;  i++)
            g711[i] = o.alaw  ?  linear_to_alaw(amp[i])  :  linear_to_ulaw(amp[i]);
        if (!peer_closed)
        {
            if (write_full(fd, g711, FRAME))
                frames_tx++;
            else
                peer_closed = true;
        }
        if (!peer_closed && read_full(fd, g711, FRAME))
        {
            frames_rx++;
            for (int i = 0;  i < FRAME;  i++)
                amp[i] = o.alaw  ?  alaw_to_linear(g711[i])  :  ulaw_to_linear(g711[i]);
        }
        else
        {
            if (!peer_closed)
                fprintf(stderr, "audiopeer: far end closed the stream at %ld ms of call time\n", call_ms);
            peer_closed = true;
            memset(amp, 0, sizeof(amp));
        }
        fax_rx(fax, amp, FRAME);
        call_ms += FRAME_MS;
        if (ended_ms < 0 && phase_e_code >= 0)
            ended_ms = call_ms;
    }
    if (fd >= 0)
    {
        shutdown(fd, SHUT_RDWR);
        close(fd);
    }

    if (timed_out)
    {
        fprintf(stderr, "audiopeer: no end of call after %.1f s of call time, giving up\n", o.timeout_s);
        if (phase_e_code < 0)
            t30_terminate(t30);
    }
    t30_get_transfer_statistics(t30, &st);
    result = phase_e_code;
    if (result < 0)
        result = st.current_status;

    printf("{\"result\":%d,\"result_text\":", result);
    json_string(t30_completion_code_to_str(result));
    printf(",\"timed_out\":%s", timed_out  ?  "true"  :  "false");
    printf(",\"role\":\"%s\",\"calling\":%s", o.send_file  ?  "send"  :  "receive", o.calling  ?  "true"  :  "false");
    printf(",\"pages_tx\":%d,\"pages_rx\":%d,\"pages_in_file\":%d", st.pages_tx, st.pages_rx, st.pages_in_file);
    printf(",\"bit_rate\":%d,\"ecm\":%s,\"compression\":\"%s\"", st.bit_rate,
           st.error_correcting_mode  ?  "true"  :  "false", compression_name(st.encoding));
    printf(",\"remote_ident\":");
    json_string(t30_get_rx_ident(t30));
    /* spandsp keeps resolutions in pixels per metre; print dpi as TIFF and faxlan use. */
    if (st.x_resolution > 0 && st.y_resolution > 0)
        printf(",\"x_res\":%d,\"y_res\":%d", (int) lround(st.x_resolution*0.0254), (int) lround(st.y_resolution*0.0254));
    printf(",\"width\":%d,\"length\":%d,\"bad_rows\":%d,\"ecm_retries\":%d", st.width, st.length, st.bad_rows,
           st.error_correcting_mode_retries);
    printf(",\"law\":\"%s\",\"level_dbm0\":%g,\"drift_ppm\":%g", o.alaw  ?  "alaw"  :  "ulaw",
           o.has_level  ?  o.level_dbm0  :  NOMINAL_DBM0, o.drift_ppm);
    if (o.has_snr)
        printf(",\"snr_db\":%g", o.snr_db);
    if (o.rtp_peer)
    {
        printf(",\"rtp\":true,\"playout_ms\":%d,\"loss_pct\":%g,\"rx_loss_pct\":%g,\"jitter_ms\":%d", o.playout_ms,
               o.loss_pct, o.rx_loss_pct, o.jitter_ms);
        printf(",\"rtp_sent\":%ld,\"rtp_shaped_lost\":%ld,\"rtp_received\":%ld,\"rtp_rx_shaped_lost\":%ld", rtp.sent,
               rtp.shaped_lost, rtp.received, rtp.rx_shaped_lost);
        printf(",\"rtp_played\":%ld,\"rtp_concealed\":%ld,\"rtp_silent\":%ld,\"rtp_late\":%ld,\"rtp_far_off\":%ld,\"rtp_resyncs\":%ld,\"rtp_duplicates\":%ld"
               ",\"rtp_other\":%ld", rtp.played, rtp.concealed, rtp.silent, rtp.late, rtp.far_off, rtp.resyncs, rtp.duplicates, rtp.other);
    }
    printf(",\"call_ms\":%ld,\"duration_ms\":%" PRId64 ",\"frames_tx\":%ld,\"frames_rx\":%ld,\"peer_closed\":%s}\n",
           call_ms, (now_ns() - start)/1000000, frames_tx, frames_rx, peer_closed  ?  "true"  :  "false");
    fflush(stdout);
    fax_free(fax);
    return (result == T30_ERR_OK && !timed_out)  ?  0  :  1;
}
