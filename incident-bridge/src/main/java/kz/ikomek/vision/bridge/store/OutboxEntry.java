package kz.ikomek.vision.bridge.store;

import java.nio.ByteBuffer;

/**
 * Something still to deliver, written in the same batch as the change it announces.
 *
 * @param channel    {@link #KAFKA} or {@link #OPEN311}
 * @param eventType  the CloudEvents type (Kafka) or "submit" (case system)
 * @param payload    the CloudEvent JSON as of the change (Kafka); null for the case system, which sends the
 *                   incident as it is when sent
 * @param deadLetter gave up after its retries; kept until someone retries it
 */
public record OutboxEntry(long seq, byte channel, String incidentId, String eventType, String payload,
                          boolean deadLetter, String lastError) {

    public static final byte KAFKA = 1;
    public static final byte OPEN311 = 2;

    /** Channel first, so each worker scans only its own entries, oldest first. */
    public byte[] key() {
        return key(channel, seq);
    }

    public static byte[] key(byte channel, long seq) {
        return ByteBuffer.allocate(9).put(channel).putLong(seq).array();
    }

    public static long seqOf(byte[] key) {
        return ByteBuffer.wrap(key, 1, 8).getLong();
    }

    public OutboxEntry deadLettered(String error) {
        return new OutboxEntry(seq, channel, incidentId, eventType, payload, true, error);
    }

    public OutboxEntry revived() {
        return new OutboxEntry(seq, channel, incidentId, eventType, payload, false, lastError);
    }
}
