package dev.faxlan.engine.tiff;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positional reads from a file or an array, so that strips stream without loading the file. */
interface RandomAccessSource extends AutoCloseable {

    long size() throws IOException;

    /** Reads exactly {@code len} bytes at {@code pos}; the caller checked the range. */
    void readFully(long pos, byte[] dst, int off, int len) throws IOException;

    /** A stream over {@code len} bytes at {@code pos}. */
    InputStream stream(long pos, long len) throws IOException;

    @Override
    void close() throws IOException;

    static RandomAccessSource of(byte[] data) {
        return new RandomAccessSource() {
            @Override
            public long size() {
                return data.length;
            }

            @Override
            public void readFully(long pos, byte[] dst, int off, int len) {
                System.arraycopy(data, (int) pos, dst, off, len);
            }

            @Override
            public InputStream stream(long pos, long len) {
                return new ByteArrayInputStream(data, (int) pos, (int) len);
            }

            @Override
            public void close() {
            }
        };
    }

    static RandomAccessSource of(FileChannel ch) {
        return new RandomAccessSource() {
            @Override
            public long size() throws IOException {
                return ch.size();
            }

            @Override
            public void readFully(long pos, byte[] dst, int off, int len) throws IOException {
                ByteBuffer b = ByteBuffer.wrap(dst, off, len);
                while (b.hasRemaining()) {
                    if (ch.read(b, pos + b.position() - off) < 0) {
                        throw new TiffFormatException("file shrank while reading at offset " + pos);
                    }
                }
            }

            @Override
            public InputStream stream(long pos, long len) {
                return new InputStream() {
                    private long at = pos;
                    private final long end = pos + len;

                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
                    }

                    @Override
                    public int read(byte[] b, int off, int n) throws IOException {
                        if (at >= end) {
                            return -1;
                        }
                        int k = (int) Math.min(n, end - at);
                        int r = ch.read(ByteBuffer.wrap(b, off, k), at);
                        if (r < 0) {
                            return -1;
                        }
                        at += r;
                        return r;
                    }
                };
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }
}
