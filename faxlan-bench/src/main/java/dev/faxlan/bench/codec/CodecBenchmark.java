package dev.faxlan.bench.codec;

import dev.faxlan.engine.image.BilevelPage;
import dev.faxlan.engine.t4.CodecOptions;
import dev.faxlan.engine.t4.FaxCodecException;
import dev.faxlan.engine.t4.T4Decoder;
import dev.faxlan.engine.t4.T4Encoder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Pages per second for MH and MMR encode and decode, in memory, over the 100-page corpus of
 * {@link BenchPages}. One operation is one page.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {

    private static final int PAGES = 100;

    @Param({"MH", "MMR"})
    public String codec;

    private List<BilevelPage> pages;
    private byte[][] coded;
    private CodecOptions options;

    @Setup
    public void setUp() {
        options = codec.equals("MH") ? CodecOptions.mh() : CodecOptions.mmr();
        pages = BenchPages.all();
        coded = new byte[PAGES][];
        for (int i = 0; i < PAGES; i++) {
            coded[i] = T4Encoder.encode(pages.get(i), options);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void encode(Blackhole bh) {
        for (BilevelPage p : pages) {
            bh.consume(T4Encoder.encode(p, options));
        }
    }

    @Benchmark
    @OperationsPerInvocation(PAGES)
    public void decode(Blackhole bh) throws FaxCodecException {
        for (byte[] c : coded) {
            bh.consume(T4Decoder.decode(c, BenchPages.WIDTH, 204, 196, options, 0));
        }
    }
}
