package kz.ikomek.vision.simulator.encode;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import kz.ikomek.vision.simulator.scene.Scenario;
import kz.ikomek.vision.simulator.scene.StreetScene;

/**
 * An encoded scenario loop held in memory: the access units, the parameter sets for the SDP, and
 * each picture already cut into RTP packets (RFC 6184) framed for RTSP interleaving. Serving a
 * client is then a copy plus patching of channel, sequence number, timestamp and SSRC.
 */
public final class VideoLoop {
    private final Scenario scenario;
    private final long seed;
    private final int fps;
    private final String codec;
    private final byte[] sps;
    private final byte[] pps;
    private final List<RtpFrame> frames;
    private final long bytes;

    private VideoLoop(Scenario scenario, long seed, int fps, String codec, byte[] sps, byte[] pps,
                      List<RtpFrame> frames) {
        this.scenario = scenario;
        this.seed = seed;
        this.fps = fps;
        this.codec = codec;
        this.sps = sps;
        this.pps = pps;
        this.frames = frames;
        this.bytes = frames.stream().mapToLong(f -> f.wire().length).sum();
    }

    /** Builds the loop from an H.264 Annex B stream that starts with a keyframe. */
    public static VideoLoop parse(Scenario scenario, long seed, int fps, String codec, byte[] annexB) {
        return of(scenario, seed, fps, codec, AnnexB.accessUnits(AnnexB.nals(annexB)));
    }

    static VideoLoop of(Scenario scenario, long seed, int fps, String codec, List<AccessUnit> units) {
        byte[] sps = null;
        byte[] pps = null;
        for (AccessUnit au : units) {
            for (byte[] nal : au.nals()) {
                if (AnnexB.type(nal) == AnnexB.NAL_SPS && sps == null) {
                    sps = nal;
                } else if (AnnexB.type(nal) == AnnexB.NAL_PPS && pps == null) {
                    pps = nal;
                }
            }
        }
        if (sps == null || pps == null || units.isEmpty() || !units.get(0).keyframe()) {
            throw new IllegalStateException(codec + " produced no SPS/PPS or no leading keyframe for " + scenario);
        }
        List<RtpFrame> frames = new ArrayList<>(units.size());
        for (AccessUnit au : units) {
            frames.add(RtpFrame.packetize(withParameterSets(au, sps, pps)));
        }
        return new VideoLoop(scenario, seed, fps, codec, sps, pps, List.copyOf(frames));
    }

    /** Keyframes carry SPS and PPS in band, so a client joining at any keyframe can decode. */
    private static AccessUnit withParameterSets(AccessUnit au, byte[] sps, byte[] pps) {
        if (!au.keyframe()) {
            return au;
        }
        boolean hasSps = au.nals().stream().anyMatch(n -> AnnexB.type(n) == AnnexB.NAL_SPS);
        if (hasSps) {
            return au;
        }
        List<byte[]> nals = new ArrayList<>();
        nals.add(sps);
        nals.add(pps);
        nals.addAll(au.nals());
        return new AccessUnit(nals, true);
    }

    public Scenario scenario() {
        return scenario;
    }

    public long seed() {
        return seed;
    }

    public int fps() {
        return fps;
    }

    public String codec() {
        return codec;
    }

    public List<RtpFrame> frames() {
        return frames;
    }

    public int size() {
        return frames.size();
    }

    /** Bytes of all packets of one loop (memory held for this loop). */
    public long bytes() {
        return bytes;
    }

    public int width() {
        return StreetScene.WIDTH;
    }

    public int height() {
        return StreetScene.HEIGHT;
    }

    /** {@code profile-level-id} for the SDP: profile_idc, constraint flags, level_idc from the SPS. */
    public String profileLevelId() {
        return String.format("%02X%02X%02X", sps[1] & 0xFF, sps[2] & 0xFF, sps[3] & 0xFF);
    }

    /** {@code sprop-parameter-sets} for the SDP. */
    public String spropParameterSets() {
        Base64.Encoder b64 = Base64.getEncoder();
        return b64.encodeToString(sps) + "," + b64.encodeToString(pps);
    }

    /** The last keyframe at or before index i. */
    public int keyframeAtOrBefore(int i) {
        for (int k = i; k >= 0; k--) {
            if (frames.get(k).keyframe()) {
                return k;
            }
        }
        return 0;
    }
}
