/*
 * t38peer - spandsp's T.38 terminal as a UDPTL peer on loopback, the interop oracle of
 * faxlan's fax engine tests.
 *
 * README
 *   Build:  gcc -O2 -Wall -o t38peer t38peer.c -lspandsp -ltiff -lm
 *           (Debian: libspandsp-dev 0.0.6, libtiff-dev; the Java test helper SpandspPeer
 *           compiles this file into target/ by itself.)
 *   Run:    t38peer --send page.tif    --local-port 4000 --remote-port 4002 [options]
 *           t38peer --receive out.tif  --local-port 4002 --remote-port 4000 [options]
 *
 *   libspandsp does T.30 and IFP coding (t38_terminal) but has no UDPTL and no clock. This
 *   program adds both: one UDP socket bound to 127.0.0.1:LOCAL_PORT talking to
 *   127.0.0.1:REMOTE_PORT, UDPTL framing (sequence numbers, redundancy or FEC on send,
 *   redundancy and FEC recovery on receive, t38_terminal's `count` repeats sent as copies
 *   of one packet with one sequence number), and a tick calling
 *   t38_terminal_send_timeout(s, 160) every 20/SPEED ms, which is all the time spandsp
 *   knows: --speed 10 runs the whole T.30 session, timers included, ten times faster.
 *
 *   It ends when t38_terminal_send_timeout() reports T.30 done, or after --timeout wall
 *   seconds, and prints one JSON line on stdout (everything else goes to stderr):
 *     {"result":0,"result_text":"OK","pages_tx":1,"pages_rx":0,"bit_rate":14400,"ecm":true,
 *      "compression":"mmr","remote_ident":"...","x_res":204,"y_res":196,...}
 *   Exit status: 0 when the phase E completion code is T30_ERR_OK, 1 for any other code or
 *   a timeout, 2 for bad usage or a socket error.
 *
 *   Options: see usage() below, or docs/spandsp-harness.md.
 *
 * This is our own code written against spandsp's public API; it contains no spandsp source.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
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
#include <sys/socket.h>

#include <spandsp.h>

#define PEER_NAME "t38peer"
#include "../common/peer_common.h"

#define SAMPLES_PER_TICK 160        /* 20 ms at 8000 samples/s */
#define TICK_NS 20000000LL
#define MAX_IFP 2048                /* largest IFP we accept or keep */
#define MAX_DATAGRAM 1400           /* largest UDPTL packet we send */
#define MAX_REDUNDANCY 16
#define MAX_FEC_ENTRIES 16
#define MAX_FEC_SPAN 16
#define RING 256                    /* history slots, a power of two dividing 65536 */
#define SEQ_WINDOW 2000             /* forward jump treated as loss, not restart (as spandsp) */
#define MAX_PACKETS_PER_TICK 64     /* guard against stream_hdlc() spinning (0.0.6 bug) */
#define MAX_CATCH_UP_NS 1000000000LL

/* ---------------------------------------------------------------------------------------- */
/* Options                                                                                  */

typedef struct {
    const char *send_file;
    const char *receive_file;
    int local_port;
    int remote_port;                /* 0 = latch onto the first datagram's source */
    bool has_local_port;
    bool has_remote_port;
    int version;
    int ecm;
    int compressions;               /* T30_SUPPORT_* bits, 0 = spandsp default */
    int resolutions;                /* T30_SUPPORT_* bits, 0 = spandsp default */
    int modems;                     /* T30_SUPPORT_* bits, 0 = spandsp default */
    const char *ident;
    int calling;                    /* -1 = by role: the sender calls */
    int redundancy;
    int fec_span;                   /* 0 = send redundancy */
    int fec_entries;
    double speed;
    double timeout_s;
    bool log;
    double drop_percent;
    uint64_t seed;
    int drop_data;                  /* T30_SUPPORT_* modem bits whose received image data is dropped */
    const char *password;           /* PWD sent when polling (a calling --receive polls), or NULL */
    const char *sep;                /* SEP sent when polling, or NULL */
} options_t;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: t38peer (--send FILE | --receive FILE) --local-port N --remote-port N [options]\n"
        "  --send FILE          send this TIFF-F file (1 bit, 1728 wide)\n"
        "  --receive FILE       receive into this TIFF-F file\n"
        "  --local-port N       UDP port bound on 127.0.0.1 (0: any free one, printed on stderr as\n"
        "                       'bound 127.0.0.1:PORT')\n"
        "  --remote-port N      UDP port of the peer on 127.0.0.1 (0: latch, i.e. wait for the first\n"
        "                       datagram and talk to its source from then on, as a SIP far end\n"
        "                       whose SDP named our port; the clock starts then)\n"
        "  --version N          T.38 version 0-3 (default 2)\n"
        "  --ecm 0|1            offer/use ECM (default 1)\n"
        "  --compressions LIST  mh,mr,mmr or all (default: spandsp's, mh,mr)\n"
        "  --resolutions LIST   standard,fine,superfine or all (default: spandsp's)\n"
        "  --modems LIST        v27ter,v29,v17 or all (default: spandsp's)\n"
        "  --ident TEXT         local TSI/CSID (default none)\n"
        "  --calling 0|1        calling party (default: 1 when sending, 0 when receiving)\n"
        "  --redundancy N       secondary IFPs per UDPTL packet, 0-%d (default 3)\n"
        "  --fec SPAN:ENTRIES   send FEC parity instead of redundancy\n"
        "  --speed X            time scale: one 20 ms tick every 20/X ms (default 1)\n"
        "  --timeout SECONDS    wall-clock limit (default 300)\n"
        "  --drop PERCENT       drop this share of outgoing datagrams (default 0)\n"
        "  --seed N             seed of --drop (default 1)\n"
        "  --drop-data LIST     drop received image data (TCF and pages) of these modems, v27ter,v29,v17:\n"
        "                       a gateway that cannot carry them; the indicators still pass\n"
        "  --password TEXT      polling: the PWD sent with DTC (a calling --receive peer polls;\n"
        "                       an answering --send peer holds its file for polling)\n"
        "  --sep TEXT           polling: the selective polling address (SEP) sent with DTC\n"
        "  --log                spandsp flow logging and UDPTL events on stderr\n",
        MAX_REDUNDANCY);
}

static void parse_options(int argc, char **argv, options_t *o)
{
    memset(o, 0, sizeof(*o));
    o->version = 2;
    o->ecm = 1;
    o->calling = -1;
    o->redundancy = 3;
    o->speed = 1.0;
    o->timeout_s = 300.0;
    o->seed = 1;
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
        else if (strcmp(a, "--local-port") == 0)
        {
            o->local_port = (int) parse_long(a, v, 0, 65535);
            o->has_local_port = true;
        }
        else if (strcmp(a, "--remote-port") == 0)
        {
            o->remote_port = (int) parse_long(a, v, 0, 65535);
            o->has_remote_port = true;
        }
        else if (strcmp(a, "--version") == 0)
            o->version = (int) parse_long(a, v, 0, 3);
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
        else if (strcmp(a, "--redundancy") == 0)
            o->redundancy = (int) parse_long(a, v, 0, MAX_REDUNDANCY);
        else if (strcmp(a, "--fec") == 0)
        {
            int span;
            int entries;
            char tail;

            if (sscanf(v, "%d:%d%c", &span, &entries, &tail) != 2
                || span < 1 || span > MAX_FEC_SPAN || entries < 1 || entries > MAX_FEC_ENTRIES)
                fail_usage("--fec needs SPAN:ENTRIES, each 1..%d, got '%s'", MAX_FEC_SPAN, v);
            o->fec_span = span;
            o->fec_entries = entries;
        }
        else if (strcmp(a, "--speed") == 0)
            o->speed = parse_double(a, v, 0.01, 1000.0);
        else if (strcmp(a, "--timeout") == 0)
            o->timeout_s = parse_double(a, v, 0.1, 86400.0);
        else if (strcmp(a, "--drop") == 0)
            o->drop_percent = parse_double(a, v, 0.0, 100.0);
        else if (strcmp(a, "--seed") == 0)
            o->seed = (uint64_t) parse_long(a, v, 0, INT32_MAX);
        else if (strcmp(a, "--drop-data") == 0)
            o->drop_data = parse_list(a, v, modem_names);
        else if (strcmp(a, "--password") == 0)
            o->password = v;
        else if (strcmp(a, "--sep") == 0)
            o->sep = v;
        else
            fail_usage("unknown option %s", a);
    }
    if ((o->send_file == NULL) == (o->receive_file == NULL))
        fail_usage("give exactly one of --send FILE and --receive FILE");
    if (!o->has_local_port || !o->has_remote_port)
        fail_usage("--local-port and --remote-port are required");
    if (o->calling < 0)
        o->calling = (o->send_file != NULL);
    if ((o->compressions & T30_SUPPORT_T6_COMPRESSION) && !o->ecm)
        fprintf(stderr, "t38peer: note: MMR needs ECM; with --ecm 0 it will not be used\n");
}

/* ---------------------------------------------------------------------------------------- */
/* Clock, randomness, logging                                                               */

/* splitmix64: small, seedable, good enough for a drop decision. */
static uint64_t rng_state;

static double rng_unit(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30))*0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27))*0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double) (z >> 11)/9007199254740992.0;
}

static bool verbose;
static long fax_ms;                 /* spandsp's time: 20 ms per tick, whatever --speed */

static void peer_log(const char *fmt, ...)
{
    va_list ap;

    if (!verbose)
        return;
    va_start(ap, fmt);
    fprintf(stderr, "%02ld:%02ld:%02ld.%03ld UDPTL ", fax_ms/3600000, fax_ms/60000%60, fax_ms/1000%60, fax_ms%1000);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void span_message(int level, const char *text)
{
    (void) level;
    fputs(text, stderr);
}

/* ---------------------------------------------------------------------------------------- */
/* UDPTL                                                                                    */

typedef struct {
    int seq;                        /* -1 = empty */
    int len;
    uint8_t ifp[MAX_IFP];
} ifp_slot_t;

typedef struct {
    int seq;                        /* -1 = empty; the packet that carried this parity */
    int span;
    int entries;
    int len[MAX_FEC_ENTRIES];
    uint8_t data[MAX_FEC_ENTRIES][MAX_IFP];
} fec_slot_t;

typedef struct {
    int fd;
    struct sockaddr_in remote;
    const options_t *opt;
    t38_core_state_t *core;

    /* send side */
    uint16_t tx_seq;
    uint32_t tx_total;              /* IFPs sent so far, for the redundancy/FEC ramp-up */
    ifp_slot_t tx_hist[RING];
    int tick_packets;
    bool spin_guard_tripped;

    /* receive side */
    int rx_expected;                /* -1 until the first packet */
    ifp_slot_t rx_hist[RING];
    fec_slot_t rx_fec[RING];

    /* counters */
    long datagrams_tx;
    long datagrams_dropped;
    long ifps_tx;
    long datagrams_rx;
    long malformed_rx;
    long foreign_rx;
    long late_rx;
    long recovered_redundancy;
    long recovered_fec;
    long lost;
    long data_dropped_rx;           /* image data IFPs dropped by --drop-data */
} udptl_t;

static int put_length(uint8_t *buf, int pos, int cap, int n)
{
    if (n < 0x80)
    {
        if (pos + 1 > cap)
            return -1;
        buf[pos++] = (uint8_t) n;
        return pos;
    }
    if (n < 0x4000)
    {
        if (pos + 2 > cap)
            return -1;
        buf[pos++] = (uint8_t) (0x80 | (n >> 8));
        buf[pos++] = (uint8_t) n;
        return pos;
    }
    return -1;
}

static int put_open_type(uint8_t *buf, int pos, int cap, const uint8_t *data, int len)
{
    if (len == 0)
    {
        /* An empty open type is carried as one zero octet. */
        static const uint8_t zero = 0;

        data = &zero;
        len = 1;
    }
    if ((pos = put_length(buf, pos, cap, len)) < 0 || pos + len > cap)
        return -1;
    memcpy(buf + pos, data, len);
    return pos + len;
}

static int get_length(const uint8_t *buf, int len, int *pos, int *n)
{
    if (*pos >= len)
        return -1;
    if ((buf[*pos] & 0x80) == 0)
    {
        *n = buf[(*pos)++];
        return 0;
    }
    if ((buf[*pos] & 0x40) != 0)
        return -1;                  /* PER fragmentation: never used by fax peers */
    if (*pos + 2 > len)
        return -1;
    *n = ((buf[*pos] & 0x3F) << 8) | buf[*pos + 1];
    *pos += 2;
    return 0;
}

static int get_open_type(const uint8_t *buf, int len, int *pos, const uint8_t **data, int *n)
{
    if (get_length(buf, len, pos, n) < 0 || *n > len - *pos)
        return -1;
    *data = buf + *pos;
    *pos += *n;
    return 0;
}

static void send_datagram(udptl_t *u, const uint8_t *pkt, int len, uint16_t seq)
{
    if (u->opt->drop_percent > 0.0 && rng_unit()*100.0 < u->opt->drop_percent)
    {
        u->datagrams_dropped++;
        peer_log("tx seq %u dropped (--drop)", seq);
        return;
    }
    if (sendto(u->fd, pkt, len, 0, (const struct sockaddr *) &u->remote, sizeof(u->remote)) < 0)
    {
        /* The peer may not be listening yet, or has gone: UDP loses it, as a network would. */
        peer_log("tx seq %u: sendto: %s", seq, strerror(errno));
        return;
    }
    u->datagrams_tx++;
}

/* t38_terminal's packet handler: one IFP, to be sent `count` times under one sequence number. */
static int tx_packet_handler(t38_core_state_t *core, void *user_data, const uint8_t *ifp, int len, int count)
{
    udptl_t *u = (udptl_t *) user_data;
    uint8_t pkt[MAX_DATAGRAM];
    uint16_t seq = u->tx_seq;
    ifp_slot_t *slot;
    int pos;

    (void) core;
    if (++u->tick_packets > MAX_PACKETS_PER_TICK)
    {
        /* spandsp 0.0.6 stream_hdlc() can loop forever sending when the bit rate is 0;
           failing the send makes t38_terminal_send_timeout() end the call instead. */
        if (!u->spin_guard_tripped)
            fprintf(stderr, "t38peer: more than %d packets in one tick: spandsp is spinning, ending the call\n",
                    MAX_PACKETS_PER_TICK);
        u->spin_guard_tripped = true;
        return -1;
    }
    if (len < 1 || len > MAX_IFP)
    {
        fprintf(stderr, "t38peer: IFP of %d octets not sendable\n", len);
        return -1;
    }
    if (count <= 0)
        return 0;                   /* spandsp's way of suppressing a packet */

    pkt[0] = (uint8_t) (seq >> 8);
    pkt[1] = (uint8_t) seq;
    if ((pos = put_open_type(pkt, 2, MAX_DATAGRAM, ifp, len)) < 0)
    {
        fprintf(stderr, "t38peer: IFP of %d octets does not fit a datagram\n", len);
        return -1;
    }
    if (u->opt->fec_span == 0)
    {
        /* Redundancy: the previous IFPs, newest first, as many as were sent and fit. */
        int n = u->opt->redundancy;
        int count_pos;

        if ((uint32_t) n > u->tx_total)
            n = (int) u->tx_total;
        pkt[pos++] = 0x00;
        count_pos = pos++;
        pkt[count_pos] = 0;
        for (int i = 1;  i <= n;  i++)
        {
            const ifp_slot_t *s = &u->tx_hist[(uint16_t) (seq - i) % RING];
            int next;

            if (s->seq != (uint16_t) (seq - i))
                break;
            if ((next = put_open_type(pkt, pos, MAX_DATAGRAM, s->ifp, s->len)) < 0)
                break;
            pos = next;
            pkt[count_pos]++;
        }
    }
    else
    {
        /* FEC: entry m is the XOR of packets seq+m-span*entries, stepping by entries, span of
           them; span and entries ramp up while there are fewer packets than that behind us. */
        int span = u->opt->fec_span;
        int entries = u->opt->fec_entries;
        int entries_pos;

        if (u->tx_total < (uint32_t) (span*entries))
        {
            entries = (int) (u->tx_total/span);
            if (u->tx_total < (uint32_t) span)
                span = 0;
        }
        if (pos + 4 > MAX_DATAGRAM)
            return -1;
        pkt[pos++] = 0x80;
        pkt[pos++] = 1;
        pkt[pos++] = (uint8_t) span;
        entries_pos = pos++;
        pkt[entries_pos] = 0;
        for (int m = 0;  m < entries && span > 0;  m++)
        {
            uint8_t parity[MAX_IFP];
            int high = 0;
            int next;

            for (int j = 0;  j < span;  j++)
            {
                uint16_t k = (uint16_t) (seq + m - span*entries + j*entries);
                const ifp_slot_t *s = &u->tx_hist[k % RING];

                if (s->seq != k)
                    continue;
                for (int x = 0;  x < s->len;  x++)
                    parity[x] = (x < high)  ?  (uint8_t) (parity[x] ^ s->ifp[x])  :  s->ifp[x];
                if (s->len > high)
                    high = s->len;
            }
            if ((next = put_open_type(pkt, pos, MAX_DATAGRAM, parity, high)) < 0)
                break;
            pos = next;
            pkt[entries_pos]++;
        }
    }

    slot = &u->tx_hist[seq % RING];
    slot->seq = seq;
    slot->len = len;
    memcpy(slot->ifp, ifp, len);
    for (int c = 0;  c < count;  c++)
        send_datagram(u, pkt, pos, seq);
    u->ifps_tx++;
    u->tx_total++;
    u->tx_seq++;
    return 0;
}

static void rx_remember(udptl_t *u, uint16_t seq, const uint8_t *ifp, int len)
{
    ifp_slot_t *s = &u->rx_hist[seq % RING];

    if (len > MAX_IFP)
        return;
    s->seq = seq;
    s->len = len;
    memcpy(s->ifp, ifp, len);
}

static const ifp_slot_t *rx_stored(const udptl_t *u, uint16_t seq)
{
    const ifp_slot_t *s = &u->rx_hist[seq % RING];

    return (s->seq == seq)  ?  s  :  NULL;
}

/* The T30_SUPPORT_* modem bit of a t30-data IFP's data type, or 0 for an indicator or V.21. The
   first octet of an IFP (T.38 ASN.1, PER): bit 6 data (1) or indicator (0), bit 5 the extension
   flag, bits 4-1 the data type: 1-2 V.27ter, 3-4 V.29, 5-8 V.17. */
static int ifp_data_modem(const uint8_t *ifp, int len)
{
    if (len < 1 || (ifp[0] & 0x40) == 0 || (ifp[0] & 0x20) != 0)
        return 0;
    switch ((ifp[0] >> 1) & 0x0F)
    {
    case 1: case 2: return T30_SUPPORT_V27TER;
    case 3: case 4: return T30_SUPPORT_V29;
    case 5: case 6: case 7: case 8: return T30_SUPPORT_V17;
    default: return 0;
    }
}

static void rx_deliver(udptl_t *u, uint16_t seq, const uint8_t *ifp, int len)
{
    rx_remember(u, seq, ifp, len);
    u->rx_expected = (uint16_t) (seq + 1);
    if (ifp_data_modem(ifp, len) & u->opt->drop_data)
    {
        /* Kept for redundancy bookkeeping above, never shown to spandsp: its T.30 sees the training
           indicator and then no data, as behind a gateway that cannot carry this modem. */
        u->data_dropped_rx++;
        return;
    }
    t38_core_rx_ifp_packet(u->core, ifp, len, seq);
}

/* Rebuilds IFP `seq` from a stored parity group in which it is the only one missing. The result
   has the length of the parity entry (the longest member), as in every UDPTL FEC scheme. */
static int rx_fec_recover(const udptl_t *u, uint16_t seq, uint8_t *out)
{
    for (int g = 0;  g < RING;  g++)
    {
        const fec_slot_t *f = &u->rx_fec[g];

        if (f->seq < 0 || f->span <= 0)
            continue;
        for (int m = 0;  m < f->entries;  m++)
        {
            uint16_t first = (uint16_t) (f->seq + m - f->span*f->entries);
            bool covers = false;
            bool others = true;

            for (int j = 0;  j < f->span;  j++)
            {
                uint16_t k = (uint16_t) (first + j*f->entries);

                if (k == seq)
                    covers = true;
                else if (rx_stored(u, k) == NULL)
                    others = false;
            }
            if (!covers || !others)
                continue;
            memcpy(out, f->data[m], f->len[m]);
            for (int j = 0;  j < f->span;  j++)
            {
                uint16_t k = (uint16_t) (first + j*f->entries);
                const ifp_slot_t *s;

                if (k == seq)
                    continue;
                s = rx_stored(u, k);
                for (int x = 0;  x < s->len && x < f->len[m];  x++)
                    out[x] ^= s->ifp[x];
            }
            return f->len[m];
        }
    }
    return -1;
}

#define MAX_SECONDARIES 64

static void udptl_rx(udptl_t *u, const uint8_t *buf, int len)
{
    const uint8_t *primary;
    int primary_len;
    const uint8_t *sec[MAX_SECONDARIES];
    int sec_len[MAX_SECONDARIES];
    int nsec = 0;
    uint16_t seq;
    int pos = 2;
    int ahead;

    if (len < 4 || get_open_type(buf, len, &pos, &primary, &primary_len) < 0 || primary_len < 1
        || primary_len > MAX_IFP || pos >= len)
    {
        u->malformed_rx++;
        peer_log("rx malformed datagram of %d octets", len);
        return;
    }
    seq = (uint16_t) ((buf[0] << 8) | buf[1]);
    if ((buf[pos] & 0x80) == 0)
    {
        pos++;
        if (get_length(buf, len, &pos, &nsec) < 0 || nsec > MAX_SECONDARIES)
        {
            u->malformed_rx++;
            return;
        }
        for (int i = 0;  i < nsec;  i++)
        {
            if (get_open_type(buf, len, &pos, &sec[i], &sec_len[i]) < 0 || sec_len[i] > MAX_IFP)
            {
                u->malformed_rx++;
                return;
            }
        }
    }
    else
    {
        fec_slot_t *f = &u->rx_fec[seq % RING];
        int span;
        int entries;

        pos++;
        if (pos + 3 > len || buf[pos] != 1)
        {
            u->malformed_rx++;
            return;
        }
        span = buf[pos + 1];
        entries = buf[pos + 2];
        pos += 3;
        if (entries > MAX_FEC_ENTRIES)
        {
            u->malformed_rx++;
            return;
        }
        f->seq = -1;
        for (int m = 0;  m < entries;  m++)
        {
            const uint8_t *d;
            int n;

            if (get_open_type(buf, len, &pos, &d, &n) < 0 || n > MAX_IFP)
            {
                u->malformed_rx++;
                return;
            }
            memcpy(f->data[m], d, n);
            f->len[m] = n;
        }
        f->seq = seq;
        f->span = span;
        f->entries = entries;
    }
    if (pos != len)
    {
        u->malformed_rx++;
        peer_log("rx seq %u: %d octets after the recovery field", seq, len - pos);
        return;
    }
    u->datagrams_rx++;

    if (u->rx_expected < 0)
    {
        rx_deliver(u, seq, primary, primary_len);
        return;
    }
    ahead = (uint16_t) (seq - u->rx_expected);
    if (ahead >= 0x10000 - SEQ_WINDOW)
    {
        /* A repeat (t38_terminal sends indicators 3 times) or a late packet. */
        u->late_rx++;
        if (rx_stored(u, seq) == NULL)
            rx_remember(u, seq, primary, primary_len);
        return;
    }
    if (ahead >= SEQ_WINDOW)
    {
        /* A sequence restart: spandsp sees the jump itself. */
        peer_log("rx seq %u: restart, expected %d", seq, u->rx_expected);
        rx_deliver(u, seq, primary, primary_len);
        return;
    }
    rx_remember(u, seq, primary, primary_len);
    /* Oldest first, each under its own sequence number, then the primary. */
    for (int i = ahead;  i >= 1;  i--)
    {
        uint16_t s = (uint16_t) (seq - i);
        uint8_t rebuilt[MAX_IFP];
        int n;

        if (i - 1 < nsec)
        {
            u->recovered_redundancy++;
            peer_log("rx seq %u recovered from redundancy of %u", s, seq);
            rx_deliver(u, s, sec[i - 1], sec_len[i - 1]);
        }
        else if ((n = rx_fec_recover(u, s, rebuilt)) > 0)
        {
            u->recovered_fec++;
            peer_log("rx seq %u recovered from FEC", s);
            rx_deliver(u, s, rebuilt, n);
        }
        else
        {
            u->lost++;
            peer_log("rx seq %u lost", s);
        }
    }
    rx_deliver(u, seq, primary, primary_len);
}

static void udptl_drain(udptl_t *u)
{
    static uint8_t buf[65536];

    for (;;)
    {
        struct sockaddr_in from;
        socklen_t fromlen = sizeof(from);
        ssize_t n = recvfrom(u->fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *) &from, &fromlen);

        if (n < 0)
        {
            if (errno == EINTR)
                continue;
            return;                 /* EAGAIN, or an ICMP error we do not care about */
        }
        if (from.sin_family != AF_INET || from.sin_port != u->remote.sin_port
            || from.sin_addr.s_addr != u->remote.sin_addr.s_addr)
        {
            u->foreign_rx++;
            continue;
        }
        udptl_rx(u, buf, (int) n);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* T.30                                                                                      */

static udptl_t udptl;

/* Waits for the far end's first datagram and talks to its source from then on (symmetric
   UDPTL, as a SIP far end does); the datagram itself stays queued for the first tick. */
static bool latch(udptl_t *u, double timeout_s)
{
    int64_t deadline = now_ns() + (int64_t) llround(timeout_s*1e9);

    for (;;)
    {
        struct pollfd pfd = {.fd = u->fd, .events = POLLIN};
        struct sockaddr_in from;
        socklen_t fromlen = sizeof(from);
        uint8_t b[1];
        int64_t left = deadline - now_ns();

        if (left <= 0)
            return false;
        if (poll(&pfd, 1, (int) (left/1000000 + 1)) <= 0)
            continue;
        if (recvfrom(u->fd, b, sizeof(b), MSG_PEEK | MSG_TRUNC, (struct sockaddr *) &from, &fromlen) < 0 || from.sin_family != AF_INET)
            continue;
        u->remote = from;
        fprintf(stderr, "latched onto %s:%d\n", inet_ntoa(from.sin_addr), ntohs(from.sin_port));
        fflush(stderr);
        return true;
    }
}

int main(int argc, char **argv)
{
    options_t o;
    t38_terminal_state_t *t38;
    t30_state_t *t30;
    t38_core_state_t *core;
    struct sockaddr_in local;
    t30_stats_t st;
    int64_t start;
    int64_t deadline;
    int64_t next_tick;
    int64_t period;
    long ticks = 0;
    long late_ticks = 0;
    bool done = false;
    bool timed_out = false;
    int result;
    const char *tag;

    setvbuf(stderr, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    parse_options(argc, argv, &o);
    verbose = o.log;
    rng_state = o.seed;
    tag = o.ident  ?  o.ident  :  (o.send_file  ?  "tx"  :  "rx");

    memset(&udptl, 0, sizeof(udptl));
    udptl.opt = &o;
    udptl.rx_expected = -1;
    for (int i = 0;  i < RING;  i++)
    {
        udptl.tx_hist[i].seq = -1;
        udptl.rx_hist[i].seq = -1;
        udptl.rx_fec[i].seq = -1;
    }
    if ((udptl.fd = socket(AF_INET, SOCK_DGRAM, 0)) < 0)
    {
        printf("{\"result\":-1,\"error\":\"socket: %s\"}\n", strerror(errno));
        return 2;
    }
    memset(&local, 0, sizeof(local));
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    local.sin_port = htons((uint16_t) o.local_port);
    if (bind(udptl.fd, (struct sockaddr *) &local, sizeof(local)) < 0)
    {
        printf("{\"result\":-1,\"error\":\"bind 127.0.0.1:%d: %s\"}\n", o.local_port, strerror(errno));
        return 2;
    }
    {
        struct sockaddr_in bound;
        socklen_t bound_len = sizeof(bound);

        if (getsockname(udptl.fd, (struct sockaddr *) &bound, &bound_len) == 0)
        {
            fprintf(stderr, "bound 127.0.0.1:%d\n", ntohs(bound.sin_port));
            fflush(stderr);
        }
    }
    udptl.remote.sin_family = AF_INET;
    udptl.remote.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    udptl.remote.sin_port = htons((uint16_t) o.remote_port);
    if (o.remote_port == 0 && !latch(&udptl, o.timeout_s))
    {
        printf("{\"result\":-1,\"error\":\"no datagram to latch onto within %.0f s\"}\n", o.timeout_s);
        return 1;
    }

    if ((t38 = t38_terminal_init(NULL, o.calling, tx_packet_handler, &udptl)) == NULL)
    {
        printf("{\"result\":-1,\"error\":\"t38_terminal_init failed\"}\n");
        return 2;
    }
    t30 = t38_terminal_get_t30_state(t38);
    core = t38_terminal_get_t38_core_state(t38);
    udptl.core = core;
    setup_logging(t38_terminal_get_logging_state(t38), tag, o.log);
    setup_logging(t30_get_logging_state(t30), tag, o.log);
    setup_logging(t38_core_get_logging_state(core), tag, o.log);

    t38_set_t38_version(core, o.version);   /* spandsp's default is 0 */
    t30_set_ecm_capability(t30, o.ecm);
    if (o.compressions)
        t30_set_supported_compressions(t30, o.compressions);
    if (o.resolutions)
        t30_set_supported_resolutions(t30, o.resolutions);
    if (o.modems)
        t30_set_supported_modems(t30, o.modems);
    if (o.ident)
        t30_set_tx_ident(t30, o.ident);
    /* Polling needs no switch in spandsp: a caller with only a file to receive into answers the
       called side's DIS with DTC, and an answerer with a file to send offers it in its DIS. */
    if (o.password)
        t30_set_tx_password(t30, o.password);
    if (o.sep)
        t30_set_tx_selective_polling_address(t30, o.sep);
    if (o.send_file)
        t30_set_tx_file(t30, o.send_file, -1, -1);
    else
        t30_set_rx_file(t30, o.receive_file, -1);
    t30_set_phase_e_handler(t30, phase_e_handler, NULL);

    period = (int64_t) llround((double) TICK_NS/o.speed);
    start = now_ns();
    deadline = start + (int64_t) llround(o.timeout_s*1e9);
    next_tick = start;
    while (!done)
    {
        int64_t now = now_ns();

        if (now >= deadline)
        {
            timed_out = true;
            break;
        }
        if (now >= next_tick)
        {
            udptl_drain(&udptl);
            udptl.tick_packets = 0;
            ticks++;
            fax_ms += 20;
            /* Log lines carry spandsp's own (scaled) time, so logs of any --speed compare. */
            span_log_bump_samples(t38_terminal_get_logging_state(t38), SAMPLES_PER_TICK);
            span_log_bump_samples(t30_get_logging_state(t30), SAMPLES_PER_TICK);
            span_log_bump_samples(t38_core_get_logging_state(core), SAMPLES_PER_TICK);
            if (t38_terminal_send_timeout(t38, SAMPLES_PER_TICK))
            {
                done = true;
                break;
            }
            next_tick += period;
            if (now - next_tick > MAX_CATCH_UP_NS)
            {
                /* Starved of CPU for over a second: resume from now rather than burst. */
                late_ticks++;
                next_tick = now;
            }
            continue;
        }
        {
            struct pollfd pfd = {.fd = udptl.fd, .events = POLLIN};
            int64_t wait = next_tick - now;
            struct timespec ts = {.tv_sec = wait/1000000000LL, .tv_nsec = wait%1000000000LL};

            if (ppoll(&pfd, 1, &ts, NULL) > 0)
                udptl_drain(&udptl);
        }
    }

    if (timed_out)
    {
        fprintf(stderr, "t38peer: no end of call after %.1f s, giving up\n", o.timeout_s);
        if (phase_e_code < 0)
            t30_terminate(t30);     /* reports the state as a completion code via phase E */
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
    printf(",\"duration_ms\":%" PRId64 ",\"ticks\":%ld,\"late_ticks\":%ld,\"speed\":%g",
           (now_ns() - start)/1000000, ticks, late_ticks, o.speed);
    printf(",\"ifps_tx\":%ld,\"datagrams_tx\":%ld,\"dropped\":%ld,\"datagrams_rx\":%ld,\"late_rx\":%ld"
           ",\"recovered_redundancy\":%ld,\"recovered_fec\":%ld,\"lost\":%ld,\"malformed_rx\":%ld,\"foreign_rx\":%ld",
           udptl.ifps_tx, udptl.datagrams_tx, udptl.datagrams_dropped, udptl.datagrams_rx, udptl.late_rx,
           udptl.recovered_redundancy, udptl.recovered_fec, udptl.lost, udptl.malformed_rx, udptl.foreign_rx);
    printf(",\"data_dropped_rx\":%ld", udptl.data_dropped_rx);
    printf(",\"spin_guard\":%s}\n", udptl.spin_guard_tripped  ?  "true"  :  "false");
    fflush(stdout);

    /* 0.0.6 can still call into T.30 until send_timeout() says it is done: free only then. */
    if (done)
        t38_terminal_free(t38);
    close(udptl.fd);
    return (result == T30_ERR_OK && !timed_out)  ?  0  :  1;
}
