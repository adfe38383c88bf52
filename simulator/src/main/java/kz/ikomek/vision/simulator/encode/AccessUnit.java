package kz.ikomek.vision.simulator.encode;

import java.util.List;

/** One encoded picture: its NAL units (without start codes), in decoding order. */
public record AccessUnit(List<byte[]> nals, boolean keyframe) {

    public int size() {
        int n = 0;
        for (byte[] nal : nals) {
            n += nal.length;
        }
        return n;
    }
}
