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
} options_t;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: audiopeer (--send FILE | --receive FILE) --connect PORT [options]\n"
        "  --send FILE          send this TIFF-F file (1 bit, 1728 wide)\n"
        "  --receive FILE       receive into this TIFF-F file\n"
        "  --connect PORT       TCP port on 127.0.0.1 carrying the G.711 streams\n"
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
        else
            fail_usage("unknown option %s", a);
    }
    if ((o->send_file == NULL) == (o->receive_file == NULL))
        fail_usage("give exactly one of --send FILE and --receive FILE");
    if (o->port == 0)
        fail_usage("--connect PORT is required");
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

    setvbuf(stderr, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    parse_options(argc, argv, &o);
    tag = o.ident  ?  o.ident  :  (o.send_file  ?  "tx"  :  "rx");

    if ((fd = connect_loopback(o.port)) < 0)
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
    for (;;)
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
    shutdown(fd, SHUT_RDWR);
    close(fd);

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
    printf(",\"call_ms\":%ld,\"duration_ms\":%" PRId64 ",\"frames_tx\":%ld,\"frames_rx\":%ld,\"peer_closed\":%s}\n",
           call_ms, (now_ns() - start)/1000000, frames_tx, frames_rx, peer_closed  ?  "true"  :  "false");
    fflush(stdout);
    fax_free(fax);
    return (result == T30_ERR_OK && !timed_out)  ?  0  :  1;
}
