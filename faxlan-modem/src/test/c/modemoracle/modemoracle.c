/*
 * modemoracle - spandsp's high-speed fax modems (V.27ter, V.29, V.17) as filters over
 * stdin/stdout, the sample-level oracle for faxlan's own modems: our transmitter's samples
 * decoded by spandsp's receiver, spandsp's transmitter's samples decoded by ours.
 *
 * README
 *   Build:  gcc -O2 -Wall -o modemoracle modemoracle.c -lspandsp -ltiff -lm
 *   Run:    modemoracle tx MODEM RATE [options] < data.bin > line.s16
 *           modemoracle rx MODEM RATE [options] < line.s16 > data.bin
 *     MODEM RATE: v27ter 2400|4800, v29 7200|9600, v17 7200|9600|12000|14400
 *
 * FORMATS
 *   Data: bytes, each sent least significant bit first (as T.4 and HDLC put bytes on the
 *   line). The receiver's first output bit is the first bit after its training: with
 *   spandsp on both ends that is the transmitter's first data bit, so bytes come out as they
 *   went in. After the data the transmitter sends its closing sequence of scrambled ones
 *   (V.17 then 48 symbols of silence); the receiver hands those on as 0xFF bytes, so give it
 *   --count N (N,M,... for several carriers) to keep only the data of each carrier. Each
 *   carrier starts a new byte; a trailing partial byte is dropped.
 *   Line: 8000 samples per second, 16-bit signed little-endian linear (spandsp's scale: a
 *   full-scale sine is +3.14 dBm0), or with --law one G.711 octet per sample.
 *
 *   tx: the carrier starts at the first sample with the modem's training (V.27ter and V.29
 *   always long; V.17 long, or with --split N: the first N bytes on a long-trained carrier,
 *   75 ms of silence, then the rest on a short-trained carrier, as T.30 sends TCF then a
 *   page), and ends when the modem has sent its closing sequence.
 *   rx: each carrier is received in turn; with --short-train the carriers after the first
 *   are expected to use V.17's short training. On stderr, one line per modem event
 *   ("carrier up", "training succeeded", "training failed", "carrier down") and a final
 *   JSON line: {"carriers":2,"trained":2,"failed":0,"bytes":1000}. Exit status 0 when at
 *   least one carrier came and every carrier trained, 1 otherwise, 2 for bad usage.
 *
 * This is our own code written against spandsp's public API; it contains no spandsp source.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spandsp.h>

#define CHUNK 80                    /* rx feeds this many samples at a time (10 ms) */
#define GAP_SAMPLES 600             /* 75 ms between carriers, as T.30 asks */
#define MAX_CARRIERS 64
#define FAX_CUTOFF_DBM0 (-45.5f)    /* fax.c's carrier-detect setting: on at -43, off at -48 dBm0 */

typedef enum { V27TER, V29, V17 } modem_t;

typedef struct {
    bool tx;
    modem_t modem;
    int rate;
    long split;                     /* -1 = one carrier */
    bool short_train;
    long counts[MAX_CARRIERS];      /* bytes kept from each carrier in turn, -1 = all */
    int law;                        /* -1 = linear, else G711_ALAW/G711_ULAW */
    bool has_level;
    float level;
    bool log;
} options_t;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: modemoracle tx MODEM RATE [--split N] [--level DBM0] [--law ulaw|alaw] < bytes > samples\n"
        "       modemoracle rx MODEM RATE [--short-train] [--count N[,N...]] [--law ulaw|alaw] < samples > bytes\n"
        "  MODEM RATE     v27ter 2400|4800, v29 7200|9600, v17 7200|9600|12000|14400\n"
        "  --split N      (tx, v17) first N bytes long-trained, the rest on a short-trained carrier\n"
        "  --short-train  (rx, v17) carriers after the first use the short training\n"
        "  --count N,...  (rx) keep N bytes of the first carrier, the next N of the second...\n"
        "  --level DBM0   (tx) transmit level (default spandsp's, -14)\n"
        "  --law L        G.711 octets instead of 16-bit little-endian samples\n"
        "  --log          spandsp's modem log on stderr\n");
}

static void fail_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "modemoracle: %s%s%s\n", msg, arg  ?  ": "  :  "", arg  ?  arg  :  "");
    usage(stderr);
    exit(2);
}

static long parse_long(const char *v)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(v, &end, 10);
    if (errno || *end || end == v || n < 0)
        fail_usage("needs a non-negative integer", v);
    return n;
}

static void parse_options(int argc, char **argv, options_t *o)
{
    memset(o, 0, sizeof(*o));
    o->split = -1;
    for (int i = 0;  i < MAX_CARRIERS;  i++)
        o->counts[i] = -1;
    o->law = -1;
    if (argc < 4)
        fail_usage("needs tx|rx MODEM RATE", NULL);
    if (strcmp(argv[1], "tx") == 0)
        o->tx = true;
    else if (strcmp(argv[1], "rx") != 0)
        fail_usage("first argument must be tx or rx", argv[1]);
    if (strcmp(argv[2], "v27ter") == 0)
        o->modem = V27TER;
    else if (strcmp(argv[2], "v29") == 0)
        o->modem = V29;
    else if (strcmp(argv[2], "v17") == 0)
        o->modem = V17;
    else
        fail_usage("unknown modem", argv[2]);
    o->rate = (int) parse_long(argv[3]);
    if ((o->modem == V27TER && o->rate != 2400 && o->rate != 4800)
        || (o->modem == V29 && o->rate != 7200 && o->rate != 9600)
        || (o->modem == V17 && o->rate != 7200 && o->rate != 9600 && o->rate != 12000 && o->rate != 14400))
        fail_usage("rate not supported by this modem", argv[3]);
    for (int i = 4;  i < argc;  i++)
    {
        const char *a = argv[i];

        if (strcmp(a, "--short-train") == 0)
            o->short_train = true;
        else if (strcmp(a, "--log") == 0)
            o->log = true;
        else if (i + 1 >= argc)
            fail_usage("option needs a value (or is unknown)", a);
        else if (strcmp(a, "--split") == 0)
            o->split = parse_long(argv[++i]);
        else if (strcmp(a, "--count") == 0)
        {
            char buf[512];
            int k = 0;

            snprintf(buf, sizeof(buf), "%s", argv[++i]);
            for (char *tok = strtok(buf, ",");  tok;  tok = strtok(NULL, ","))
            {
                if (k == MAX_CARRIERS)
                    fail_usage("--count: too many carriers", argv[i]);
                o->counts[k++] = parse_long(tok);
            }
        }
        else if (strcmp(a, "--level") == 0)
        {
            char *end;

            o->has_level = true;
            o->level = strtof(argv[++i], &end);
            if (*end || o->level > 3.0f || o->level < -80.0f)
                fail_usage("--level needs dBm0 in -80..3", argv[i]);
        }
        else if (strcmp(a, "--law") == 0)
        {
            const char *v = argv[++i];

            if (strcmp(v, "alaw") == 0)
                o->law = G711_ALAW;
            else if (strcmp(v, "ulaw") == 0)
                o->law = G711_ULAW;
            else
                fail_usage("--law needs ulaw or alaw", v);
        }
        else
            fail_usage("unknown option", a);
    }
    if ((o->split >= 0 || o->short_train) && o->modem != V17)
        fail_usage("only V.17 has a short training (--split, --short-train)", NULL);
}

static void span_message(int level, const char *text)
{
    (void) level;
    fputs(text, stderr);
}

static void setup_logging(logging_state_t *ls, bool log)
{
    span_log_set_message_handler(ls, span_message);
    span_log_set_level(ls, SPAN_LOG_SHOW_SEVERITY | SPAN_LOG_SHOW_PROTOCOL | SPAN_LOG_SHOW_SAMPLE_TIME
                           | (log  ?  SPAN_LOG_FLOW  :  SPAN_LOG_WARNING));
}

/* ---------------------------------------------------------------------------------------- */
/* Line output and input                                                                    */

static void write_samples(const options_t *o, const int16_t *amp, int n)
{
    uint8_t buf[2*CHUNK*4];

    for (int done = 0;  done < n;  )
    {
        int k = n - done;
        int bytes;

        if (k > CHUNK*4)
            k = CHUNK*4;
        if (o->law >= 0)
        {
            for (int i = 0;  i < k;  i++)
                buf[i] = (o->law == G711_ALAW)  ?  linear_to_alaw(amp[done + i])  :  linear_to_ulaw(amp[done + i]);
            bytes = k;
        }
        else
        {
            for (int i = 0;  i < k;  i++)
            {
                buf[2*i] = (uint8_t) (amp[done + i] & 0xFF);
                buf[2*i + 1] = (uint8_t) ((uint16_t) amp[done + i] >> 8);
            }
            bytes = 2*k;
        }
        if (fwrite(buf, 1, bytes, stdout) != (size_t) bytes)
        {
            fprintf(stderr, "modemoracle: write failed: %s\n", strerror(errno));
            exit(1);
        }
        done += k;
    }
}

/* Up to max samples from stdin; 0 at the end. */
static int read_samples(const options_t *o, int16_t *amp, int max)
{
    uint8_t buf[2*CHUNK];
    int width = (o->law >= 0)  ?  1  :  2;
    size_t got = fread(buf, width, max, stdin);

    for (size_t i = 0;  i < got;  i++)
    {
        if (o->law == G711_ALAW)
            amp[i] = alaw_to_linear(buf[i]);
        else if (o->law == G711_ULAW)
            amp[i] = ulaw_to_linear(buf[i]);
        else
            amp[i] = (int16_t) (buf[2*i] | (buf[2*i + 1] << 8));
    }
    return (int) got;
}

/* ---------------------------------------------------------------------------------------- */
/* Transmit                                                                                 */

typedef struct {
    const uint8_t *data;
    long len;
    long pos;                       /* next byte */
    int bit;                        /* next bit of it, LSB first */
    long end;                       /* this carrier's data ends before this byte */
} source_t;

static int get_bit(void *user_data)
{
    source_t *s = (source_t *) user_data;
    int b;

    if (s->pos >= s->end)
        return SIG_STATUS_END_OF_DATA;
    b = (s->data[s->pos] >> s->bit) & 1;
    if (++s->bit == 8)
    {
        s->bit = 0;
        s->pos++;
    }
    return b;
}

static int run_tx(const options_t *o)
{
    static uint8_t data[1 << 24];
    source_t src = {data, 0, 0, 0, 0};
    int16_t amp[CHUNK];
    int carriers = (o->split >= 0)  ?  2  :  1;
    v17_tx_state_t *v17 = NULL;
    v29_tx_state_t *v29 = NULL;
    v27ter_tx_state_t *v27 = NULL;

    src.len = (long) fread(data, 1, sizeof(data), stdin);
    if (!feof(stdin))
    {
        fprintf(stderr, "modemoracle: input larger than %zu bytes\n", sizeof(data));
        return 2;
    }
    for (int c = 0;  c < carriers;  c++)
    {
        src.end = (carriers == 2 && c == 0)  ?  (o->split < src.len  ?  o->split  :  src.len)  :  src.len;
        switch (o->modem)
        {
        case V17:
            if (c == 0)
            {
                v17 = v17_tx_init(NULL, o->rate, false, get_bit, &src);
                setup_logging(v17_tx_get_logging_state(v17), o->log);
            }
            else
            {
                int16_t silence[GAP_SAMPLES] = {0};

                write_samples(o, silence, GAP_SAMPLES);
                v17_tx_restart(v17, o->rate, false, true);
            }
            if (o->has_level)
                v17_tx_power(v17, o->level);
            break;
        case V29:
            v29 = v29_tx_init(NULL, o->rate, false, get_bit, &src);
            setup_logging(v29_tx_get_logging_state(v29), o->log);
            if (o->has_level)
                v29_tx_power(v29, o->level);
            break;
        case V27TER:
            v27 = v27ter_tx_init(NULL, o->rate, false, get_bit, &src);
            setup_logging(v27ter_tx_get_logging_state(v27), o->log);
            if (o->has_level)
                v27ter_tx_power(v27, o->level);
            break;
        }
        /* The modem returns fewer samples than asked once its closing sequence is out. */
        for (;;)
        {
            int n = 0;

            switch (o->modem)
            {
            case V17:
                n = v17_tx(v17, amp, CHUNK);
                break;
            case V29:
                n = v29_tx(v29, amp, CHUNK);
                break;
            case V27TER:
                n = v27ter_tx(v27, amp, CHUNK);
                break;
            }
            write_samples(o, amp, n);
            if (n < CHUNK)
                break;
        }
    }
    fflush(stdout);
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Receive                                                                                  */

typedef struct {
    const options_t *o;
    uint8_t byte;
    int nbits;
    long bytes;
    long carrier_bytes;             /* of the present carrier */
    int carriers;
    int trained;
    int failed;
    bool carrier_on;
    bool restart_short;             /* a carrier ended: the next one is short-trained */
} sink_t;

static void put_bit(void *user_data, int bit)
{
    sink_t *s = (sink_t *) user_data;

    if (bit < 0)
    {
        switch (bit)
        {
        case SIG_STATUS_CARRIER_UP:
            if (!s->carrier_on)
            {
                s->carriers++;
                s->carrier_bytes = 0;
                s->nbits = 0;
                s->byte = 0;
            }
            s->carrier_on = true;
            fprintf(stderr, "modemoracle rx: carrier up\n");
            break;
        case SIG_STATUS_TRAINING_SUCCEEDED:
            s->trained++;
            fprintf(stderr, "modemoracle rx: training succeeded\n");
            break;
        case SIG_STATUS_TRAINING_FAILED:
            s->failed++;
            fprintf(stderr, "modemoracle rx: training failed\n");
            break;
        case SIG_STATUS_CARRIER_DOWN:
            if (s->carrier_on && s->o->short_train)
                s->restart_short = true;
            s->carrier_on = false;
            fprintf(stderr, "modemoracle rx: carrier down\n");
            break;
        default:
            fprintf(stderr, "modemoracle rx: status %d %s\n", bit, signal_status_to_str(bit));
            break;
        }
        return;
    }
    if (s->carriers < 1)
        return;
    if (s->carriers > MAX_CARRIERS
        || (s->o->counts[s->carriers - 1] >= 0 && s->carrier_bytes >= s->o->counts[s->carriers - 1]))
        return;
    s->byte |= (uint8_t) ((bit & 1) << s->nbits);
    if (++s->nbits == 8)
    {
        putchar(s->byte);
        s->bytes++;
        s->carrier_bytes++;
        s->byte = 0;
        s->nbits = 0;
    }
}

static int run_rx(const options_t *o)
{
    sink_t sink;
    int16_t amp[CHUNK];
    v17_rx_state_t *v17 = NULL;
    v29_rx_state_t *v29 = NULL;
    v27ter_rx_state_t *v27 = NULL;
    int n;

    memset(&sink, 0, sizeof(sink));
    sink.o = o;
    switch (o->modem)
    {
    case V17:
        v17 = v17_rx_init(NULL, o->rate, put_bit, &sink);
        setup_logging(v17_rx_get_logging_state(v17), o->log);
        v17_rx_signal_cutoff(v17, FAX_CUTOFF_DBM0);
        break;
    case V29:
        v29 = v29_rx_init(NULL, o->rate, put_bit, &sink);
        setup_logging(v29_rx_get_logging_state(v29), o->log);
        v29_rx_signal_cutoff(v29, FAX_CUTOFF_DBM0);
        break;
    case V27TER:
        v27 = v27ter_rx_init(NULL, o->rate, put_bit, &sink);
        setup_logging(v27ter_rx_get_logging_state(v27), o->log);
        v27ter_rx_signal_cutoff(v27, FAX_CUTOFF_DBM0);
        break;
    }
    while ((n = read_samples(o, amp, CHUNK)) > 0)
    {
        switch (o->modem)
        {
        case V17:
            v17_rx(v17, amp, n);
            /* Outside the callback: the modem is not in the middle of its own work. */
            if (sink.restart_short)
            {
                sink.restart_short = false;
                v17_rx_restart(v17, o->rate, true);
                v17_rx_signal_cutoff(v17, FAX_CUTOFF_DBM0);
            }
            break;
        case V29:
            v29_rx(v29, amp, n);
            break;
        case V27TER:
            v27ter_rx(v27, amp, n);
            break;
        }
    }
    fflush(stdout);
    fprintf(stderr, "{\"carriers\":%d,\"trained\":%d,\"failed\":%d,\"bytes\":%ld}\n",
            sink.carriers, sink.trained, sink.failed, sink.bytes);
    return (sink.carriers > 0 && sink.failed == 0 && sink.trained >= sink.carriers)  ?  0  :  1;
}

int main(int argc, char **argv)
{
    options_t o;

    parse_options(argc, argv, &o);
    return o.tx  ?  run_tx(&o)  :  run_rx(&o);
}
