package kz.ikomek.vision.simulator.encode;

import java.util.ArrayList;
import java.util.List;

/** Splits an H.264 Annex B byte stream into NAL units and groups them into access units. */
final class AnnexB {
    static final int NAL_SLICE = 1;
    static final int NAL_IDR = 5;
    static final int NAL_SEI = 6;
    static final int NAL_SPS = 7;
    static final int NAL_PPS = 8;
    static final int NAL_AUD = 9;

    private AnnexB() {
    }

    static int type(byte[] nal) {
        return nal[0] & 0x1F;
    }

    /** NAL units between start codes (00 00 01 or 00 00 00 01), start codes removed. */
    static List<byte[]> nals(byte[] stream) {
        List<byte[]> out = new ArrayList<>();
        int start = -1;
        int i = 0;
        while (i + 2 < stream.length) {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1) {
                if (start >= 0) {
                    out.add(trim(stream, start, i));
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0 && start < stream.length) {
            out.add(trim(stream, start, stream.length));
        }
        return out;
    }

    /** Drops the zero bytes that belong to the next 4-byte start code. */
    private static byte[] trim(byte[] s, int from, int to) {
        while (to > from && s[to - 1] == 0) {
            to--;
        }
        byte[] nal = new byte[to - from];
        System.arraycopy(s, from, nal, 0, nal.length);
        return nal;
    }

    /**
     * Groups NAL units into pictures: a new access unit starts at an AUD, SPS, PPS or SEI that
     * follows a slice, or at a slice whose first_mb_in_slice is 0 (its first header bit is 1).
     */
    static List<AccessUnit> accessUnits(List<byte[]> nals) {
        List<AccessUnit> out = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        boolean sawSlice = false;
        boolean key = false;
        for (byte[] nal : nals) {
            int t = type(nal);
            boolean slice = t == NAL_SLICE || t == NAL_IDR;
            boolean firstSlice = slice && nal.length > 1 && (nal[1] & 0x80) != 0;
            boolean prefix = t == NAL_AUD || t == NAL_SPS || t == NAL_PPS || t == NAL_SEI;
            if (sawSlice && (prefix || firstSlice)) {
                out.add(new AccessUnit(List.copyOf(current), key));
                current.clear();
                sawSlice = false;
                key = false;
            }
            current.add(nal);
            if (slice) {
                sawSlice = true;
                key |= t == NAL_IDR;
            }
        }
        if (sawSlice) {
            out.add(new AccessUnit(List.copyOf(current), key));
        }
        return out;
    }
}
