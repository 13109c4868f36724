package dev.triggerlayer.scheduler.run.service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps at most {@code limit} bytes of a run's output: the first three quarters of the limit and
 * the last quarter, since a script's first lines say what it did and its last ones why it failed.
 */
final class BoundedLog {

    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
    private final int headLimit;
    private final byte[] tail;
    private int tailStart;
    private int tailSize;
    private long total;

    BoundedLog(int limit) {
        this.headLimit = limit - limit / 4;
        this.tail = new byte[limit / 4];
    }

    synchronized void write(byte[] buffer, int length) {
        total += length;
        int offset = 0;
        int intoHead = Math.min(length, headLimit - head.size());
        if (intoHead > 0) {
            head.write(buffer, 0, intoHead);
            offset = intoHead;
        }
        for (int k = offset; k < length && tail.length > 0; k++) {
            int at = (tailStart + tailSize) % tail.length;
            tail[at] = buffer[k];
            if (tailSize < tail.length) {
                tailSize++;
            } else {
                tailStart = (tailStart + 1) % tail.length;
            }
        }
    }

    synchronized long droppedBytes() {
        return total - head.size() - tailSize;
    }

    /** The kept output, with a marker where bytes were dropped. */
    synchronized String text() {
        StringBuilder out = new StringBuilder(head.toString(StandardCharsets.UTF_8));
        long dropped = droppedBytes();
        if (dropped > 0) {
            out.append("\n[... ").append(dropped).append(" bytes of output dropped ...]\n");
        }
        byte[] last = new byte[tailSize];
        for (int k = 0; k < tailSize; k++) {
            last[k] = tail[(tailStart + k) % tail.length];
        }
        return out.append(new String(last, StandardCharsets.UTF_8)).toString();
    }
}
