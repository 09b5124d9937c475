/*
 * udpflood: sends UDP datagrams with a forged IPv4 header from a raw socket (IP_HDRINCL), for the
 * namespace flood test only. Each datagram gets a random source port and, with a spoof prefix, a random
 * source address inside it.
 *
 *   udpflood probe   COUNT RATE SRC DST PORT        discovery probes (512 bytes, random nonce)
 *   udpflood replay  COUNT RATE SRC DST PORT FILE   the datagram in FILE, again and again
 *
 * SRC is an address (a.b.c.d) or a spoof prefix (a.b.c.d/bits). RATE is datagrams per second (0: as
 * fast as possible). Prints "sent N failed M" and exits 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t state = 0x9e3779b97f4a7c15ULL;

static uint64_t next_random(void) { /* xorshift64*: fast, and good enough to scatter addresses and ports */
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545f4914f6cdd1dULL;
}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 7 || (strcmp(argv[1], "probe") != 0 && strcmp(argv[1], "replay") != 0) || (strcmp(argv[1], "replay") == 0 && argc < 8)) {
        fprintf(stderr, "usage: udpflood probe|replay COUNT RATE SRC[/BITS] DST PORT [FILE]\n");
        return 2;
    }
    long count = atol(argv[2]);
    double rate = atof(argv[3]);
    char src_text[64];
    snprintf(src_text, sizeof src_text, "%s", argv[4]);
    int bits = 32;
    char *slash = strchr(src_text, '/');
    if (slash) {
        *slash = 0;
        bits = atoi(slash + 1);
    }
    struct in_addr src, dst;
    if (!inet_aton(src_text, &src) || !inet_aton(argv[5], &dst) || bits < 0 || bits > 32) {
        fprintf(stderr, "udpflood: bad address\n");
        return 2;
    }
    int port = atoi(argv[6]);
    unsigned char payload[1500];
    size_t length = 512;
    if (strcmp(argv[1], "replay") == 0) {
        FILE *f = fopen(argv[7], "rb");
        if (!f) {
            perror("udpflood: payload file");
            return 2;
        }
        length = fread(payload, 1, sizeof payload - 28, f);
        fclose(f);
    } else {
        memset(payload, 0, sizeof payload);
        payload[0] = 0x01; /* probe */
        payload[1] = 0x01; /* version */
    }
    state ^= (uint64_t) getpid() << 17 ^ (uint64_t) time(NULL);

    int s = socket(AF_INET, SOCK_RAW, IPPROTO_RAW); /* IPPROTO_RAW implies IP_HDRINCL */
    if (s < 0) {
        perror("udpflood: raw socket");
        return 3;
    }
    int sndbuf = 4 << 20;
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    unsigned char packet[1528];
    struct iphdr *ip = (struct iphdr *) packet;
    struct udphdr *udp = (struct udphdr *) (packet + sizeof(struct iphdr));
    size_t total = sizeof(struct iphdr) + sizeof(struct udphdr) + length;
    memset(packet, 0, sizeof packet);
    ip->version = 4;
    ip->ihl = 5;
    ip->ttl = 64;
    ip->protocol = IPPROTO_UDP;
    ip->tot_len = htons(total);
    ip->daddr = dst.s_addr;
    udp->dest = htons(port);
    udp->len = htons(sizeof(struct udphdr) + length);
    udp->check = 0; /* no UDP checksum: allowed over IPv4 */
    memcpy(packet + 28, payload, length);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr = dst};
    uint32_t base = ntohl(src.s_addr);
    uint32_t host_mask = bits == 32 ? 0 : (bits == 0 ? 0xffffffffu : (0xffffffffu >> bits));

    long sent = 0, failed = 0;
    double start = now_seconds();
    for (long i = 0; i < count; i++) {
        uint64_t r = next_random();
        uint32_t host = (uint32_t) r & host_mask;
        if (host_mask && (host == 0 || host == host_mask)) host = 1; /* not the network or broadcast address */
        ip->saddr = htonl((base & ~host_mask) | host);
        udp->source = htons(1024 + (uint16_t) ((r >> 32) % 64511));
        ip->id = 0; /* the kernel fills in the id and the header checksum */
        if (strcmp(argv[1], "probe") == 0) memcpy(packet + 28 + 2, &r, 8); /* nonce */
        if (sendto(s, packet, total, 0, (struct sockaddr *) &to, sizeof to) < 0) {
            failed++;
            if (errno != ENOBUFS && errno != EAGAIN) {
                perror("udpflood: sendto");
                return 4;
            }
        } else {
            sent++;
        }
        if (rate > 0 && (i & 63) == 63) {
            double ahead = (i + 1) / rate - (now_seconds() - start);
            if (ahead > 0) {
                struct timespec pause = {(time_t) ahead, (long) ((ahead - (time_t) ahead) * 1e9)};
                nanosleep(&pause, NULL);
            }
        }
    }
    printf("sent %ld failed %ld seconds %.2f\n", sent, failed, now_seconds() - start);
    return 0;
}
