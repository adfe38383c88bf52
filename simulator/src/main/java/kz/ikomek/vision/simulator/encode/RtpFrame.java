package kz.ikomek.vision.simulator.encode;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One picture as RTP packets (RFC 6184: single NAL unit packets, FU-A fragments for large NAL
 * units, marker bit on the last packet of the picture), each already framed for RTSP interleaving
 * ({@code '$', channel, length}, RFC 2326 section 10.12). Sequence number, timestamp, SSRC and
 * channel are zero here and patched per client at {@link #packetOffsets()}.
 */
public record RtpFrame(byte[] wire, int[] packetOffsets, boolean keyframe) {

    /** RTP payload bytes per packet: well under a 1500-byte MTU, so the same cut works over UDP. */
    public static final int MAX_PAYLOAD = 1400;
    public static final int PAYLOAD_TYPE = 96;
    private static final int FU_A = 28;

    static RtpFrame packetize(AccessUnit au) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(au.size() + 64);
        List<Integer> offsets = new ArrayList<>();
        List<byte[]> nals = au.nals();
        for (int n = 0; n < nals.size(); n++) {
            byte[] nal = nals.get(n);
            boolean lastNal = n == nals.size() - 1;
            if (nal.length <= MAX_PAYLOAD) {
                offsets.add(out.size());
                header(out, nal.length, lastNal);
                out.write(nal, 0, nal.length);
                continue;
            }
            int indicator = (nal[0] & 0xE0) | FU_A;
            int type = nal[0] & 0x1F;
            int pos = 1;
            while (pos < nal.length) {
                int chunk = Math.min(MAX_PAYLOAD - 2, nal.length - pos);
                boolean start = pos == 1;
                boolean end = pos + chunk == nal.length;
                offsets.add(out.size());
                header(out, chunk + 2, lastNal && end);
                out.write(indicator);
                out.write((start ? 0x80 : 0) | (end ? 0x40 : 0) | type);
                out.write(nal, pos, chunk);
                pos += chunk;
            }
        }
        return new RtpFrame(out.toByteArray(), offsets.stream().mapToInt(Integer::intValue).toArray(), au.keyframe());
    }

    private static void header(ByteArrayOutputStream out, int payload, boolean marker) {
        int rtpLength = 12 + payload;
        out.write('$');
        out.write(0);
        out.write(rtpLength >>> 8);
        out.write(rtpLength & 0xFF);
        out.write(0x80);
        out.write((marker ? 0x80 : 0) | PAYLOAD_TYPE);
        out.writeBytes(new byte[10]);
    }

    /**
     * Copies this picture into dst at pos for one client, patching every packet's channel,
     * sequence number (starting at seq), timestamp and SSRC. Returns the next sequence number.
     */
    public int writeTo(byte[] dst, int pos, int channel, int seq, int timestamp, int ssrc) {
        System.arraycopy(wire, 0, dst, pos, wire.length);
        for (int off : packetOffsets) {
            int p = pos + off;
            dst[p + 1] = (byte) channel;
            dst[p + 6] = (byte) (seq >>> 8);
            dst[p + 7] = (byte) seq;
            dst[p + 8] = (byte) (timestamp >>> 24);
            dst[p + 9] = (byte) (timestamp >>> 16);
            dst[p + 10] = (byte) (timestamp >>> 8);
            dst[p + 11] = (byte) timestamp;
            dst[p + 12] = (byte) (ssrc >>> 24);
            dst[p + 13] = (byte) (ssrc >>> 16);
            dst[p + 14] = (byte) (ssrc >>> 8);
            dst[p + 15] = (byte) ssrc;
            seq = (seq + 1) & 0xFFFF;
        }
        return seq;
    }

    public int packets() {
        return packetOffsets.length;
    }
}
