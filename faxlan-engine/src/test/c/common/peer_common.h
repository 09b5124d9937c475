/*
 * peer_common.h - what the spandsp peers (t38peer, audiopeer) share: option parsing with usage
 * errors as a JSON result line, the T.30 capability names, the phase E handler, JSON strings,
 * spandsp's logging set-up and a monotonic clock. Each peer defines PEER_NAME, usage() and
 * span_message() and includes this once, after spandsp.h.
 */
#ifndef PEER_COMMON_H
#define PEER_COMMON_H

#ifndef PEER_NAME
#error "define PEER_NAME before including peer_common.h"
#endif

static void usage(FILE *f);
static void span_message(int level, const char *text);

static void fail_usage(const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, PEER_NAME ": %s\n", msg);
    usage(stderr);
    printf("{\"result\":-1,\"error\":\"usage: ");
    for (const char *p = msg;  *p;  p++)
        putchar((*p == '"' || *p == '\\')  ?  '\'' : *p);
    printf("\"}\n");
    exit(2);
}

static long parse_long(const char *opt, const char *v, long lo, long hi)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(v, &end, 10);
    if (errno || *end || end == v || n < lo || n > hi)
        fail_usage("%s needs an integer in %ld..%ld, got '%s'", opt, lo, hi, v);
    return n;
}

static double parse_double(const char *opt, const char *v, double lo, double hi)
{
    char *end;
    double d;

    errno = 0;
    d = strtod(v, &end);
    if (errno || *end || end == v || !(d >= lo && d <= hi))
        fail_usage("%s needs a number in %g..%g, got '%s'", opt, lo, hi, v);
    return d;
}

typedef struct {
    const char *name;
    int bits;
} name_bits_t;

/* Comma-separated names to OR-ed bits; "all" is every name. */
static int parse_list(const char *opt, const char *v, const name_bits_t *names)
{
    char buf[256];
    int bits = 0;

    if (strlen(v) >= sizeof(buf))
        fail_usage("%s value too long", opt);
    strcpy(buf, v);
    for (char *tok = strtok(buf, ",");  tok;  tok = strtok(NULL, ","))
    {
        bool found = false;

        for (int i = 0;  names[i].name;  i++)
        {
            if (strcmp(tok, "all") == 0 || strcmp(tok, names[i].name) == 0)
            {
                bits |= names[i].bits;
                found = true;
            }
        }
        if (!found)
            fail_usage("%s: unknown value '%s'", opt, tok);
    }
    if (bits == 0)
        fail_usage("%s needs at least one value", opt);
    return bits;
}

static const name_bits_t compression_names[] = {
    {"mh", T30_SUPPORT_T4_1D_COMPRESSION},
    {"mr", T30_SUPPORT_T4_2D_COMPRESSION},
    {"mmr", T30_SUPPORT_T6_COMPRESSION},
    {NULL, 0}
};

/* Y resolutions; R8 (204 dpi across) comes with each, it is what fax uses with them. */
static const name_bits_t resolution_names[] = {
    {"standard", T30_SUPPORT_STANDARD_RESOLUTION | T30_SUPPORT_R8_RESOLUTION},
    {"fine", T30_SUPPORT_FINE_RESOLUTION | T30_SUPPORT_R8_RESOLUTION},
    {"superfine", T30_SUPPORT_SUPERFINE_RESOLUTION | T30_SUPPORT_R8_RESOLUTION},
    {NULL, 0}
};

static const name_bits_t modem_names[] = {
    {"v27ter", T30_SUPPORT_V27TER},
    {"v29", T30_SUPPORT_V29},
    {"v17", T30_SUPPORT_V17},
    {NULL, 0}
};


static volatile int phase_e_code = -1;

static void phase_e_handler(t30_state_t *t30, void *user_data, int code)
{
    (void) t30;
    (void) user_data;
    phase_e_code = code;
    fprintf(stderr, PEER_NAME ": phase E: %d %s\n", code, t30_completion_code_to_str(code));
}

static const char *compression_name(int encoding)
{
    switch (encoding)
    {
    case T4_COMPRESSION_NONE:
        return "none";
    case T4_COMPRESSION_ITU_T4_1D:
        return "mh";
    case T4_COMPRESSION_ITU_T4_2D:
        return "mr";
    case T4_COMPRESSION_ITU_T6:
        return "mmr";
    default:
        return "other";
    }
}

static void json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *) (s  ?  s  :  "");  *p;  p++)
    {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7F)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}


static void setup_logging(logging_state_t *ls, const char *tag, bool log)
{
    int level = log  ?  SPAN_LOG_FLOW  :  SPAN_LOG_WARNING;

    span_log_set_message_handler(ls, span_message);
    span_log_set_level(ls, SPAN_LOG_SHOW_SEVERITY | SPAN_LOG_SHOW_PROTOCOL | SPAN_LOG_SHOW_TAG
                           | SPAN_LOG_SHOW_SAMPLE_TIME | level);
    span_log_set_tag(ls, tag);
}

static int64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec*1000000000LL + ts.tv_nsec;
}


#endif
