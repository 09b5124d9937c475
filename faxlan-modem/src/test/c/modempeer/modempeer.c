/*
 * modempeer: spandsp 0.0.6 as the sample-level oracle for faxlan-modem's tests.
 *
 *   modempeer g711              stdout: spandsp's G.711 results as little-endian binary:
 *                               ulaw code of each linear -32768..32767 (65536 bytes), alaw code of
 *                               each (65536 bytes), then ulaw_to_linear and alaw_to_linear of each
 *                               code 0..255 (2 x 256 int16).
 *   modempeer v21-tx [DBM0]     stdin: one frame per line in hex (FCS not included); stdout: V.21
 *                               channel 2 samples (int16 LE) of a 1 s flag preamble, the frames
 *                               with CRC-16, closing flags, then 100 ms of silence.
 *   modempeer v21-rx            stdin: samples (int16 LE); stdout: one line per event:
 *                               "frame HEX" (good CRC, FCS stripped), "bad HEX" (FCS removed), "carrier up",
 *                               "carrier down".
 *   modempeer tone KIND SECONDS stdout: SECONDS of spandsp's modem connect tone generator
 *                               (KIND cng, ced, ansam, ansam-pr).
 *   modempeer bench-v21 SECONDS stdout: spandsp's V.21 transmitter and receiver (with HDLC) real-time
 *                               factors on SECONDS of back-to-back frames, best of 5, one line each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <inttypes.h>
#include <time.h>
#include <spandsp.h>

static void put_le16(FILE *f, int16_t v)
{
    fputc(v & 0xFF, f);
    fputc((v >> 8) & 0xFF, f);
}

static int g711_dump(void)
{
    for (int i = -32768; i <= 32767; i++)
        fputc(linear_to_ulaw(i), stdout);
    for (int i = -32768; i <= 32767; i++)
        fputc(linear_to_alaw(i), stdout);
    for (int c = 0; c < 256; c++)
        put_le16(stdout, ulaw_to_linear((uint8_t) c));
    for (int c = 0; c < 256; c++)
        put_le16(stdout, alaw_to_linear((uint8_t) c));
    return 0;
}

/* Frames read from stdin, queued into the HDLC transmitter as it asks for more. */
#define MAX_FRAMES 256
static uint8_t frames[MAX_FRAMES][HDLC_MAXFRAME_LEN];
static int frame_lens[MAX_FRAMES];
static int frame_count;
static int next_frame;
static int tx_done;
static hdlc_tx_state_t *hdlc_tx;

static void tx_underflow(void *user_data)
{
    (void) user_data;
    if (next_frame < frame_count) {
        hdlc_tx_frame(hdlc_tx, frames[next_frame], frame_lens[next_frame]);
        next_frame++;
    } else if (next_frame == frame_count) {
        /* A few closing flags, then the end of data. */
        hdlc_tx_flags(hdlc_tx, 2);
        next_frame++;
    } else {
        tx_done = 1;
    }
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int read_frames(void)
{
    char line[2 * HDLC_MAXFRAME_LEN + 16];
    while (fgets(line, sizeof(line), stdin)) {
        int n = 0;
        for (char *p = line; hexval(p[0]) >= 0 && hexval(p[1]) >= 0; p += 2)
            frames[frame_count][n++] = (uint8_t) (hexval(p[0]) << 4 | hexval(p[1]));
        if (n == 0)
            continue;
        if (frame_count == MAX_FRAMES) {
            fprintf(stderr, "too many frames (max %d)\n", MAX_FRAMES);
            return -1;
        }
        frame_lens[frame_count++] = n;
    }
    return 0;
}

static int v21_tx(float dbm0)
{
    if (read_frames() < 0)
        return 2;
    hdlc_tx = hdlc_tx_init(NULL, FALSE, 2, FALSE, tx_underflow, NULL);
    /* 1 s of flags at 300 bit/s, as T.30 asks for the V.21 preamble. */
    hdlc_tx_flags(hdlc_tx, 38);
    fsk_tx_state_t *fsk = fsk_tx_init(NULL, &preset_fsk_specs[FSK_V21CH2], (get_bit_func_t) hdlc_tx_get_bit, hdlc_tx);
    fsk_tx_power(fsk, dbm0);
    int16_t buf[160];
    /* Stop at the first block after the transmitter ran dry (it then sends idle flags or ones). */
    for (int blocks = 0; !tx_done && blocks < 50 * 600; blocks++) {
        int n = fsk_tx(fsk, buf, 160);
        for (int i = 0; i < n; i++)
            put_le16(stdout, buf[i]);
    }
    for (int i = 0; i < 800; i++)
        put_le16(stdout, 0);
    return 0;
}

static void rx_frame(void *user_data, const uint8_t *pkt, int len, int ok)
{
    (void) user_data;
    if (len < 0) {
        if (len == SIG_STATUS_CARRIER_UP)
            printf("carrier up\n");
        else if (len == SIG_STATUS_CARRIER_DOWN)
            printf("carrier down\n");
        return;
    }
    /* spandsp has already checked and removed the FCS. */
    printf("%s ", ok ? "frame" : "bad");
    for (int i = 0; i < len; i++)
        printf("%02x", pkt[i]);
    printf("\n");
}

static int v21_rx(void)
{
    hdlc_rx_state_t *hdlc = hdlc_rx_init(NULL, FALSE, TRUE, 5, rx_frame, NULL);
    fsk_rx_state_t *fsk = fsk_rx_init(NULL, &preset_fsk_specs[FSK_V21CH2], FSK_FRAME_MODE_SYNC,
                                      (put_bit_func_t) hdlc_rx_put_bit, hdlc);
    /* The fax path's cutoff (on at -43 dBm0). */
    fsk_rx_signal_cutoff(fsk, -45.5f);
    int16_t buf[160];
    uint8_t raw[320];
    size_t got;
    while ((got = fread(raw, 2, 160, stdin)) > 0) {
        for (size_t i = 0; i < got; i++)
            buf[i] = (int16_t) (raw[2 * i] | raw[2 * i + 1] << 8);
        fsk_rx(fsk, buf, (int) got);
    }
    fflush(stdout);
    return 0;
}

static int tone(const char *kind, double seconds)
{
    int type;
    if (strcmp(kind, "cng") == 0) type = MODEM_CONNECT_TONES_FAX_CNG;
    else if (strcmp(kind, "ced") == 0) type = MODEM_CONNECT_TONES_FAX_CED;
    else if (strcmp(kind, "ansam") == 0) type = MODEM_CONNECT_TONES_ANSAM;
    else if (strcmp(kind, "ansam-pr") == 0) type = MODEM_CONNECT_TONES_ANSAM_PR;
    else {
        fprintf(stderr, "unknown tone %s (cng, ced, ansam, ansam-pr)\n", kind);
        return 2;
    }
    modem_connect_tones_tx_state_t *s = modem_connect_tones_tx_init(NULL, type);
    long total = (long) (seconds * 8000.0);
    int16_t buf[160];
    for (long done = 0; done < total; ) {
        int want = total - done < 160 ? (int) (total - done) : 160;
        int n = modem_connect_tones_tx(s, buf, want);
        /* The generator stops after its own duration; pad with silence to the length asked. */
        for (int i = n; i < want; i++)
            buf[i] = 0;
        for (int i = 0; i < want; i++)
            put_le16(stdout, buf[i]);
        done += want;
    }
    return 0;
}

/* Endless 38-octet frames for the benchmark. */
static void bench_underflow(void *user_data)
{
    static uint8_t frame[38];
    for (int i = 0; i < 38; i++)
        frame[i] = (uint8_t) rand();
    hdlc_tx_frame((hdlc_tx_state_t *) user_data, frame, 38);
}

static int bench_frames;

static void bench_frame(void *user_data, const uint8_t *pkt, int len, int ok)
{
    (void) user_data;
    (void) pkt;
    if (len >= 0 && ok)
        bench_frames++;
}

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int bench_v21(int seconds)
{
    long total = seconds * 8000L;
    int16_t *audio = malloc(total * sizeof(int16_t));
    double best_tx = 1e9;
    double best_rx = 1e9;
    for (int round = 0; round < 5; round++) {
        hdlc_tx_state_t *tx = hdlc_tx_init(NULL, FALSE, 2, FALSE, NULL, NULL);
        hdlc_tx_init(tx, FALSE, 2, FALSE, bench_underflow, tx);
        hdlc_tx_flags(tx, 38);
        fsk_tx_state_t *fsk = fsk_tx_init(NULL, &preset_fsk_specs[FSK_V21CH2], (get_bit_func_t) hdlc_tx_get_bit, tx);
        fsk_tx_power(fsk, -14.0f);
        double t0 = cpu_seconds();
        for (long off = 0; off < total; off += 160)
            fsk_tx(fsk, audio + off, 160);
        double t1 = cpu_seconds();
        if (t1 - t0 < best_tx)
            best_tx = t1 - t0;
        fsk_tx_free(fsk);
        hdlc_tx_free(tx);

        bench_frames = 0;
        hdlc_rx_state_t *hdlc = hdlc_rx_init(NULL, FALSE, FALSE, 5, bench_frame, NULL);
        fsk_rx_state_t *rx = fsk_rx_init(NULL, &preset_fsk_specs[FSK_V21CH2], FSK_FRAME_MODE_SYNC,
                                         (put_bit_func_t) hdlc_rx_put_bit, hdlc);
        t0 = cpu_seconds();
        for (long off = 0; off < total; off += 160)
            fsk_rx(rx, audio + off, 160);
        t1 = cpu_seconds();
        if (t1 - t0 < best_rx)
            best_rx = t1 - t0;
        fsk_rx_free(rx);
        hdlc_rx_free(hdlc);
        if (bench_frames < seconds / 2) {
            fprintf(stderr, "only %d frames decoded\n", bench_frames);
            return 1;
        }
    }
    printf("spandsp V.21 transmitter + HDLC: %.0fx real time\n", seconds / best_tx);
    printf("spandsp V.21 receiver + HDLC:    %.0fx real time\n", seconds / best_rx);
    free(audio);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "g711") == 0)
        return g711_dump();
    if (argc >= 2 && strcmp(argv[1], "v21-tx") == 0)
        return v21_tx(argc >= 3 ? (float) atof(argv[2]) : -14.0f);
    if (argc >= 2 && strcmp(argv[1], "v21-rx") == 0)
        return v21_rx();
    if (argc >= 4 && strcmp(argv[1], "tone") == 0)
        return tone(argv[2], atof(argv[3]));
    if (argc >= 3 && strcmp(argv[1], "bench-v21") == 0)
        return bench_v21(atoi(argv[2]));
    fprintf(stderr, "usage: modempeer g711 | v21-tx [DBM0] | v21-rx | tone cng|ced|ansam|ansam-pr SECONDS | bench-v21 SECONDS\n");
    return 2;
}
